"""`kubetutor api`: an HTTPS server that answers kubectl as the lab's v1.20.2 API server would,
for the sandbox of whoever owns the bearer token.

Every resource request becomes a `!k …` message of the token's owner through the chat router
(the same sandbox, lock, budget and lab checks as chat); discovery, /version and /openapi/v2
are static documents of the real 1.20.2 server. Node shells, exec, attach and port-forward stay
in chat: they answer with a Status that says so.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
import tempfile
import time
from collections import defaultdict, deque

from aiohttp import web

from bot.api import pki, rest, tokens
from bot.api.kubeconfig import api_hosts
from bot.reply import Message

log = logging.getLogger(__name__)

MAX_BODY = 3 * 1024 * 1024            # the real server's limit on a request body (3 MiB)
RATE = (100, 10.0)                    # requests per window (seconds), per token; kubectl retries 429s
MAX_WATCHES = 10                      # open watches per token
MAX_WATCHES_TOTAL = 1000              # open watches in all (each holds one poll loop, little memory)
WATCH_POLL = 1.0                      # seconds between looks at the sandbox during a watch
WATCH_LONGEST = 1800.0                # a watch ends after this; kubectl starts a new one
# The real server's protobuf OpenAPI document, cut to its header (swagger "2.0", info): kubectl
# then finds no schema for a kind and skips client-side validation (the engine validates).
OPENAPI_PB = bytes.fromhex("0a03322e3012150a0a4b756265726e65746573120776312e32302e32")
# Subresources kubectl may ask for that only chat can serve.
CHAT_ONLY = {"exec": "kubectl exec", "attach": "kubectl attach", "portforward": "kubectl port-forward",
             "proxy": "kubectl proxy"}


def _json(body: dict, status: int = 200) -> web.Response:
    return web.Response(status=status, text=json.dumps(body, ensure_ascii=False), content_type="application/json")


def _status(code: int, reason: str, message: str) -> web.Response:
    return _json(rest.status(code, reason, message), code)


class ApiServer:
    def __init__(self, router, store) -> None:
        self.router = router
        self.store = store
        self._recent: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._watches: dict[tuple[str, str], int] = defaultdict(int)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # -- the app ---------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._errors, self._auth, self._warnings])
        app.router.add_get("/version", self.version)
        app.router.add_get("/api", self.static("api"))
        app.router.add_get("/apis", self.static("apis"))
        app.router.add_get("/openapi/v2", self.openapi)
        app.router.add_route("*", "/{path:.*}", self.resource)
        return app

    @web.middleware
    async def _errors(self, request: web.Request, handler):
        try:
            return await handler(request)
        except web.HTTPRequestEntityTooLarge:
            return _status(413, "RequestEntityTooLarge", "the request body is larger than 3MiB")
        except web.HTTPException:
            raise
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("API request failed: %s %s", request.method, request.path)
            return _status(500, "InternalError", "an error on the server prevented the request from succeeding")

    @web.middleware
    async def _warnings(self, request: web.Request, handler):
        response = await handler(request)
        for warning in dict.fromkeys(request.get("warnings") or ()):
            response.headers.add("Warning", f'299 - "{warning}"')
        return response

    @web.middleware
    async def _auth(self, request: web.Request, handler):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        who = await tokens.owner(self.store, token) if token else None
        if who is None:
            return _status(401, "Unauthorized", "Unauthorized")
        request["who"] = who
        if self._limited(who):
            response = _status(429, "TooManyRequests", "Too many requests, please try again later.")
            response.headers["Retry-After"] = "1"
            return response
        return await handler(request)

    def _limited(self, who: tuple[str, str]) -> bool:
        count, window = RATE
        now = time.monotonic()
        recent = self._recent[who]
        while recent and now - recent[0] > window:
            recent.popleft()
        if len(recent) >= count:
            return True
        recent.append(now)
        return False

    # -- static documents ------------------------------------------------------------------------

    async def version(self, request: web.Request) -> web.Response:
        return _json(rest.discovery()["version"])

    def static(self, name: str):
        async def handler(request: web.Request) -> web.Response:
            return _json(rest.discovery()[name])
        return handler

    async def openapi(self, request: web.Request) -> web.Response:
        if "protobuf" in request.headers.get("Accept", ""):
            return web.Response(body=OPENAPI_PB, content_type="application/octet-stream")
        return _json({"swagger": "2.0", "info": {"title": "Kubernetes", "version": "v1.20.2"}, "paths": {},
                      "definitions": {}})

    # -- resources -------------------------------------------------------------------------------

    async def resource(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        groups = rest.discovery()["groups"]
        if request.method == "GET" and path.rstrip("/") in groups:
            return _json(groups[path.rstrip("/")])
        if request.method == "GET" and (group := _group_path(path)) is not None:
            return _json(group)
        target = rest.parse_path(path)
        if target is None:
            return _status(404, "NotFound", "the server could not find the requested resource")
        if target.subresource in CHAT_ONLY:
            return _status(400, "BadRequest", f"{CHAT_ONLY[target.subresource]} runs in chat with kubetutor: "
                                              f"type it there after !k")
        handler = {"GET": self.get, "POST": self.create, "PUT": self.replace, "PATCH": self.patch,
                   "DELETE": self.delete}.get(request.method)
        if handler is None:
            return _status(405, "MethodNotAllowed", f"the server does not allow this method on the requested resource")
        return await handler(request, target)

    async def kubectl(self, request: web.Request, command: str, body: str | None = None) -> tuple[str, bool]:
        """Run `kubectl COMMAND` in the token owner's sandbox through the router."""
        server, user = request["who"]
        attachments = (("body.json", body),) if body is not None else ()
        replies = await self.router.handle(Message(f"{self.router.prefix}k {command}", user, server,
                                                   channel="api", attachments=attachments, source="api"))
        text = "\n".join(r.text for r in replies)
        # The server's deprecation warnings (`get cs`) lead kubectl's output in chat; over HTTP they
        # are the Warning header real kubectl prints on stderr, and the body stays pure data.
        while text.startswith("Warning: "):
            warning, _, text = text.partition("\n")
            request.setdefault("warnings", []).append(warning.removeprefix("Warning: "))
        return text, bool(replies) and all(r.ok for r in replies)

    async def get(self, request: web.Request, target: rest.Target) -> web.StreamResponse:
        query = request.query
        if query.get("watch") in ("1", "true"):
            return await self.watch(request, target)
        res = target.resource.kubectl_name
        if target.subresource == "log":
            return await self.logs(request, target)
        if target.subresource == "scale":
            return await self.get_scale(request, target)
        if target.subresource not in (None, "status"):
            return _status(404, "NotFound", "the server could not find the requested resource")
        words = ["get", res] + ([target.name] if target.name else []) + rest.scope_flags(target)
        if not target.name:
            words += rest.selector_flags(query)
        text, ok = await self.kubectl(request, rest.line(*words, "-o", "json"))
        if not ok:
            return self._error(text, target)
        parsed = json.loads(text)
        if target.name:
            if rest.wants_table(request.headers.get("Accept", "")):
                return _json(await self._table(request, words, [parsed]))
            return _json(parsed)
        listed = rest.as_list(target.resource, parsed)
        if query.get("fieldSelector"):
            listed["items"] = rest.select(listed["items"], query["fieldSelector"])
        if (page := rest.paginate(listed, query.get("limit"), query.get("continue"))) is not None:
            return _status(410, "Expired", page)
        if rest.wants_table(request.headers.get("Accept", "")):
            return _json(await self._table(request, words, listed["items"]))
        return _json(listed)

    async def _table(self, request: web.Request, words: list[str], items: list[dict]) -> dict:
        if not items:
            return rest.table("", "", [], "0")
        plain, _ = await self.kubectl(request, rest.line(*words))
        wide, _ = await self.kubectl(request, rest.line(*words, "-o", "wide"))
        return rest.table(plain, wide, items, rest.latest_version(items))

    async def logs(self, request: web.Request, target: rest.Target) -> web.Response:
        words = ["logs", target.name, "-n", target.namespace or "default"]
        if container := request.query.get("container"):
            words += ["-c", container]
        if tail := request.query.get("tailLines"):
            words += ["--tail", tail]
        if request.query.get("previous") in ("true", "1"):
            words.append("--previous")
        text, ok = await self.kubectl(request, rest.line(*words))
        if not ok:
            return self._error(text, target)
        return web.Response(text=text + ("\n" if text else ""), content_type="text/plain")

    async def get_scale(self, request: web.Request, target: rest.Target) -> web.Response:
        words = ["get", target.resource.kubectl_name, target.name, "-n", target.namespace or "default", "-o", "json"]
        text, ok = await self.kubectl(request, rest.line(*words))
        if not ok:
            return self._error(text, target)
        return _json(_scale(json.loads(text)))

    async def create(self, request: web.Request, target: rest.Target) -> web.Response:
        if target.name or target.subresource:
            return _status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
        body = await _body(request)
        if isinstance(body, web.Response):
            return body
        body.setdefault("apiVersion", target.resource.api_version)
        body.setdefault("kind", target.resource.kind)
        if target.namespace:
            body.setdefault("metadata", {}).setdefault("namespace", target.namespace)
        text, ok = await self.kubectl(request, "create -f -", json.dumps(body))
        if not ok:
            return self._error(text, target)
        name = text.strip().splitlines()[0].split(" ")[0].partition("/")[2] if text.strip() else ""
        return await self._fetch(request, target, name, 201)

    async def replace(self, request: web.Request, target: rest.Target) -> web.Response:
        body = await _body(request)
        if isinstance(body, web.Response):
            return body
        if target.subresource == "scale":
            replicas = (body.get("spec") or {}).get("replicas")
            return await self._scale(request, target, replicas)
        text, ok = await self.kubectl(request, "replace -f -", json.dumps(body))
        if not ok:
            return self._error(text, target)
        return await self._fetch(request, target, target.name, 200)

    async def patch(self, request: web.Request, target: rest.Target) -> web.Response:
        kinds = {"application/strategic-merge-patch+json": "strategic", "application/merge-patch+json": "merge",
                 "application/json-patch+json": "json"}
        kind = kinds.get(request.content_type)
        if kind is None:
            return _status(415, "UnsupportedMediaType",
                           f"the body of the request was in an unknown format - accepted media types include: "
                           f"{', '.join(kinds)}")
        raw = await request.text()
        if target.subresource == "scale":
            try:
                replicas = json.loads(raw)["spec"]["replicas"]
            except (ValueError, KeyError, TypeError):
                return _status(400, "BadRequest", "the patch of a scale must set spec.replicas")
            return await self._scale(request, target, replicas)
        words = ["patch", target.resource.kubectl_name, target.name or ""] + rest.scope_flags(target)
        text, ok = await self.kubectl(request, rest.line(*words, "--type", kind, "-p", raw))
        if not ok:
            return self._error(text, target)
        return await self._fetch(request, target, target.name, 200)

    async def _scale(self, request: web.Request, target: rest.Target, replicas) -> web.Response:
        if not isinstance(replicas, int) or isinstance(replicas, bool):
            return _status(422, "Invalid", "spec.replicas must be a whole number")
        words = ["scale", target.resource.kubectl_name, target.name, "-n", target.namespace or "default",
                 f"--replicas={replicas}"]
        text, ok = await self.kubectl(request, rest.line(*words))
        if not ok:
            return self._error(text, target)
        return await self.get_scale(request, target)

    async def delete(self, request: web.Request, target: rest.Target) -> web.Response:
        if not target.name:
            return _status(405, "MethodNotAllowed", "deleting a collection is not supported here")
        words = ["delete", target.resource.kubectl_name, target.name] + rest.scope_flags(target)
        text, ok = await self.kubectl(request, rest.line(*words))
        if not ok:
            return self._error(text, target)
        details = {"name": target.name, "kind": target.resource.plural}
        if target.resource.group:
            details["group"] = target.resource.group
        return _json({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details})

    async def _fetch(self, request: web.Request, target: rest.Target, name: str | None, code: int) -> web.Response:
        words = ["get", target.resource.kubectl_name, name or ""] + rest.scope_flags(target) + ["-o", "json"]
        text, ok = await self.kubectl(request, rest.line(*words))
        if not ok:
            return self._error(text, target)
        return _json(json.loads(text), code)

    def _error(self, text: str, target: rest.Target) -> web.Response:
        if text.startswith("The connection to the server"):       # docker stopped on m-k8s: no API server
            return _status(503, "ServiceUnavailable", text.strip())
        body = rest.status_from_output(text, target)
        return _json(body, body["code"])

    # -- watch -----------------------------------------------------------------------------------

    async def watch(self, request: web.Request, target: rest.Target) -> web.StreamResponse:
        """Chunked JSON events as the sandbox changes: what the object list looks like each second,
        compared with the last look (ADDED / MODIFIED / DELETED), for at most WATCH_LONGEST."""
        who = request["who"]
        if self._watches[who] >= MAX_WATCHES or sum(self._watches.values()) >= MAX_WATCHES_TOTAL:
            return _status(429, "TooManyRequests", "too many open watches; close one and try again")
        self._watches[who] += 1
        try:
            return await self._stream(request, target)
        finally:
            self._watches[who] -= 1

    async def _stream(self, request: web.Request, target: rest.Target) -> web.StreamResponse:
        words = ["get", target.resource.kubectl_name] + rest.scope_flags(target) + rest.selector_flags(request.query)
        as_table = rest.wants_table(request.headers.get("Accept", ""))
        since = int(request.query.get("resourceVersion") or 0)
        timeout = min(float(request.query.get("timeoutSeconds") or WATCH_LONGEST), WATCH_LONGEST)
        response = web.StreamResponse(headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        await response.prepare(request)
        seen: dict[str, dict] = {}
        deadline = time.monotonic() + timeout
        first = True
        while time.monotonic() < deadline and not _gone(request):
            text, ok = await self.kubectl(request, rest.line(*words, "-o", "json"))
            if not ok:
                break
            items = rest.select(rest.as_list(target.resource, json.loads(text))["items"],
                                request.query.get("fieldSelector"))
            if target.name:
                items = [i for i in items if i["metadata"]["name"] == target.name]
            now = {i["metadata"]["uid"]: i for i in items}
            events = []
            for uid, item in now.items():
                version = int(item["metadata"].get("resourceVersion") or 0)
                if uid not in seen:
                    if not first or version > since:
                        events.append(("ADDED" if not first else "MODIFIED", item))
                elif seen[uid]["metadata"].get("resourceVersion") != item["metadata"].get("resourceVersion"):
                    events.append(("MODIFIED", item))
            events += [("DELETED", item) for uid, item in seen.items() if uid not in now]
            for kind, item in events:
                obj = await self._table(request, ["get", target.resource.kubectl_name, item["metadata"]["name"]]
                                        + (["-n", item["metadata"]["namespace"]] if item["metadata"].get("namespace") else []),
                                        [item]) if as_table and kind != "DELETED" else item
                if as_table and kind == "DELETED":
                    obj = rest.table("", "", [], item["metadata"].get("resourceVersion", "0"))
                try:
                    await response.write((json.dumps({"type": kind, "object": obj}) + "\n").encode())
                except ConnectionError:
                    return response                       # the client went away
            seen, first = now, False
            await asyncio.sleep(WATCH_POLL)
        if not _gone(request):
            await response.write_eof()
        return response

    # -- running ---------------------------------------------------------------------------------

    async def start(self, host: str, port: int) -> int:
        certs = await pki.load_or_create(self.store, [host, *api_hosts()])
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        with tempfile.TemporaryDirectory() as tmp:      # ssl loads files only; the key never stays on disk
            cert, key = os.path.join(tmp, "tls.crt"), os.path.join(tmp, "tls.key")
            with open(cert, "w") as fh:
                fh.write(certs.cert + certs.ca_cert)
            with open(os.open(key, os.O_WRONLY | os.O_CREAT, 0o600), "w") as fh:
                fh.write(certs.key)
            context.load_cert_chain(cert, key)
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=WATCH_POLL * 3)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port, ssl_context=context).start()
        self.port = self._runner.addresses[0][1]
        return self.port

    async def aclose(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _gone(request: web.Request) -> bool:
    return request.transport is None or request.transport.is_closing()


def _group_path(path: str) -> dict | None:
    """`/apis/apps` -> the APIGroup document of that group."""
    name = path.strip("/").removeprefix("apis/")
    if not path.startswith("/apis/") or "/" in name:
        return None
    for group in rest.discovery()["apis"]["groups"]:
        if group["name"] == name:
            return {"kind": "APIGroup", "apiVersion": "v1", **group}
    return None


async def _body(request: web.Request) -> dict | web.Response:
    try:
        body = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        return _status(400, "BadRequest", "the body of the request could not be decoded as JSON")
    if not isinstance(body, dict):
        return _status(400, "BadRequest", "the body of the request must be a JSON object")
    return body


def _scale(obj: dict) -> dict:
    meta = obj["metadata"]
    return {"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                         if k in meta},
            "spec": {"replicas": obj.get("spec", {}).get("replicas", 0)},
            "status": {"replicas": obj.get("status", {}).get("replicas", 0),
                       "selector": ",".join(f"{k}={v}" for k, v in
                                            (obj.get("spec", {}).get("selector", {}).get("matchLabels") or {}).items())}}


async def serve(db: str, host: str, port: int) -> None:
    """`kubetutor api`: run until interrupted."""
    from bot.app import open_app
    app = await open_app(db)
    server = ApiServer(app.router, app.store)
    try:
        bound = await server.start(host, port)
        print(f"kubetutor api: serving https://{host}:{bound} (Ctrl-C to stop)", flush=True)
        await asyncio.Event().wait()
    finally:
        await server.aclose()
        await app.close()
