"""REST paths of the Kubernetes API, and what kubectl in the sandbox answers for them.

A request is parsed into a `Target` (resource, namespace, name, subresource) and served by the
engine's own kubectl through the chat router, exactly as `!k …` would be: the same sandbox, lock,
budget and lab observers. The engine's text and JSON are then dressed as the API server's
objects: lists, server-side Tables (the columns kubectl prints), Status errors.
"""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.apiserver.kind import Names

DISCOVERY = Path(__file__).resolve().parents[2] / "content" / "api" / "discovery-1.20.2.json"


@lru_cache(maxsize=1)
def discovery() -> dict:
    return json.loads(DISCOVERY.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Resource(Names):
    """A row of the discovery documents (api_version, qualified… come from the kinds' `Names`)."""
    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool

    @property
    def kubectl_name(self) -> str:
        """`pods`, `deployments.apps` — unambiguous for the engine's kubectl."""
        return self.qualified


@lru_cache(maxsize=None)
def resources() -> dict[tuple[str, str, str], Resource]:
    """(group, version, plural) -> Resource, from the discovery documents (subresources left out)."""
    found = {}
    for path, doc in discovery()["groups"].items():
        group, _, version = doc["groupVersion"].rpartition("/")
        for item in doc["resources"]:
            if "/" not in item["name"]:
                found[(group, version, item["name"])] = Resource(group, version, item["name"], item["kind"],
                                                                  item["namespaced"])
    return found


@dataclass(frozen=True)
class Target:
    resource: Resource
    namespace: str | None
    name: str | None
    subresource: str | None


_PATH = re.compile(r"^/(?:api/(?P<core>v1)|apis/(?P<group>[a-z0-9.-]+)/(?P<version>v[a-z0-9]+))"
                   r"(?:/namespaces/(?P<ns>[a-z0-9-]{1,63}))?/(?P<plural>[a-z0-9]+)"
                   r"(?:/(?P<name>[^/]{1,253}))?(?:/(?P<sub>[a-z]+))?/?$")
_NAMESPACE_ITEM = re.compile(r"^/api/v1/namespaces/(?P<name>[a-z0-9-]{1,63})(?:/(?P<sub>status|finalize))?/?$")


def parse_path(path: str) -> Target | None:
    """`/apis/apps/v1/namespaces/default/deployments/web/scale` -> Target; None if not a resource path."""
    if m := _NAMESPACE_ITEM.match(path):
        return Target(resources()[("", "v1", "namespaces")], None, m["name"], m["sub"])
    m = _PATH.match(path)
    if m is None:
        return None
    group, version = ("", "v1") if m["core"] else (m["group"], m["version"])
    resource = resources().get((group, version, m["plural"]))
    if resource is None:
        return None
    if m["ns"] and not resource.namespaced:
        return None
    return Target(resource, m["ns"], m["name"], m["sub"])


# -- kubectl lines ------------------------------------------------------------------------------

def scope_flags(target: Target) -> list[str]:
    if not target.resource.namespaced:
        return []
    return ["-n", target.namespace] if target.namespace else ["-A"]


def selector_flags(query) -> list[str]:
    """Label selectors go to the engine's kubectl; field selectors are applied here (`select`)."""
    return ["-l", query["labelSelector"]] if query.get("labelSelector") else []


def _field(item: dict, path: str):
    value = item
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def select(items: list[dict], selector: str | None) -> list[dict]:
    """`involvedObject.name=web,metadata.namespace!=x`: the API server's field selection, on the
    fields of the objects themselves (kubectl describe and delete --wait depend on it)."""
    if not selector:
        return items
    terms = []
    for term in selector.split(","):
        negate = "!=" in term
        key, _, value = term.partition("!=" if negate else "=")
        terms.append((key.strip(), value.lstrip("=").strip(), negate))
    return [i for i in items if all((_field(i, k) == v) != neg for k, v, neg in terms)]


def line(*words: str) -> str:
    return " ".join(shlex.quote(w) for w in words)


# -- errors: kubectl's words back into the API server's Status ------------------------------------

_SERVER_ERROR = re.compile(r"^Error from server(?: \((?P<reason>[A-Za-z]+)\))?: (?P<message>.*)$", re.S)
# What kubectl adds in front of the server's words when it read the object from a file.
_CLIENT_CONTEXT = re.compile(r'^(?:error: )?error when (?:creating|replacing|patching|applying|retrieving current '
                             r'configuration of)[^:]*: (?=.)', re.S)
_INVALID = re.compile(r'^The \S+ "[^"]*" is invalid: ')
REASON_CODES = {"NotFound": 404, "AlreadyExists": 409, "Conflict": 409, "Invalid": 422, "BadRequest": 400,
                "Forbidden": 403, "MethodNotAllowed": 405, "Gone": 410, "TooManyRequests": 429,
                "InternalError": 500, "ServiceUnavailable": 503, "Timeout": 504, "RequestEntityTooLarge": 413,
                "NotAcceptable": 406, "UnsupportedMediaType": 415, "Unauthorized": 401}


def status(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def status_from_output(text: str, target: Target | None = None) -> dict:
    """The Status behind a kubectl error line (`Error from server (NotFound): pods "x" not found`)."""
    first = text.strip().splitlines()[0] if text.strip() else "unknown error"
    details = {"name": target.name, "kind": target.resource.plural} if target and target.name else None
    if target is not None and target.resource.group and details:
        details["group"] = target.resource.group
    text = _CLIENT_CONTEXT.sub("", text.strip())
    if m := _SERVER_ERROR.match(text):
        reason = m["reason"] or "InternalError"
        message = _CLIENT_CONTEXT.sub("", m["message"])
        if _INVALID.match(message):
            return invalid(message)
        return status(REASON_CODES.get(reason, 500), reason, message, details)
    if _INVALID.match(text):
        return invalid(text)
    message = _CLIENT_CONTEXT.sub("", first).removeprefix("error: ")
    if "not found" in message:
        return status(404, "NotFound", message, details)
    return status(400, "BadRequest", message, details)


def invalid(text: str) -> dict:
    """`The Pod "x" is invalid: …` -> a 422 Status whose details.causes kubectl prints back as the
    same lines (one cause: on the same line; several: one `* field: message` line each)."""
    m = _INVALID.match(text)
    kind, name = re.match(r'^The (\S+) "([^"]*)"', text).groups()
    rest_ = text[m.end():]
    parts = [p[2:] for p in rest_.splitlines() if p.startswith("* ")] or [rest_.strip()]
    causes = []
    for part in parts:
        field, sep, message = part.partition(": ")
        causes.append({"reason": "FieldValueInvalid", "message": message if sep else part, "field": field if sep else ""})
    summary = "; ".join(parts)
    return status(422, "Invalid", f'{kind} "{name}" is invalid: {summary}', {"name": name, "kind": kind, "causes": causes})


# -- tables ---------------------------------------------------------------------------------------

def _columns(header: str) -> list[tuple[str, int]]:
    """(title, start) of each column of a tabwriter header: titles are separated by 2+ spaces."""
    return [(m.group(0), m.start()) for m in re.finditer(r"\S+(?: \S+)*", header)]


def parse_table(text: str) -> tuple[list[str], list[list[str]]]:
    """kubectl's printed table -> (titles, rows of cells); cells are cut at the header's columns."""
    lines = [l for l in text.splitlines() if l.strip()]
    if not lines or not re.fullmatch(r"[A-Z][A-Z0-9()/ -]*", lines[0].rstrip()):     # a header, not a message
        return [], []
    columns = _columns(lines[0])
    titles = [t for t, _ in columns]
    rows = []
    for row in lines[1:]:
        cells = []
        for i, (_, start) in enumerate(columns):
            end = columns[i + 1][1] if i + 1 < len(columns) else len(row)
            cells.append(row[start:end].strip())
        rows.append(cells)
    return titles, rows


def _definition(title: str, priority: int) -> dict:
    name = title.title() if title not in ("IP", "NODE", "CLUSTER-IP", "EXTERNAL-IP") else title.capitalize()
    return {"name": name, "type": "string", "format": "name" if title == "NAME" else "", "description": "",
            "priority": priority}


def table(plain: str, wide: str, items: list[dict], resource_version: str) -> dict:
    """A meta.k8s.io/v1 Table: the columns `get` prints (priority 0) and the ones only `-o wide`
    adds (priority 1), each row carrying its object's metadata for kubectl's own columns."""
    narrow_titles, _ = parse_table(plain)
    titles, rows = parse_table(wide)
    keep = [i for i, t in enumerate(titles) if t != "NAMESPACE"]       # kubectl adds it from the object
    definitions = [_definition(titles[i], 0 if titles[i] in narrow_titles else 1) for i in keep]
    out_rows = []
    for cells, item in zip(rows, items):
        meta = item.get("metadata", {})
        out_rows.append({"cells": [cells[i] for i in keep],
                         "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}})
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": resource_version},
            "columnDefinitions": definitions, "rows": out_rows}


def as_list(resource: Resource, parsed: dict) -> dict:
    items = parsed.get("items", [parsed]) if parsed.get("kind") == "List" else [parsed]
    return {"kind": f"{resource.kind}List", "apiVersion": resource.api_version,
            "metadata": {"resourceVersion": latest_version(items)}, "items": items}


def paginate(listed: dict, limit: str | None, token: str | None) -> str | None:
    """`limit`/`continue` as the API server pages a list (kubectl asks for 500 at a time). The
    token is the offset and the list's version; a token from an older list is refused (410) as
    etcd's compaction would. Returns the refusal's message, or None after paging `listed`."""
    items = listed["items"]
    start = 0
    if token:
        offset, _, version = token.partition(":")
        if not offset.isdigit() or version != listed["metadata"]["resourceVersion"]:
            return "The provided continue parameter is too old to display a consistent list result. " \
                   "You can start a new list without the continue parameter."
        start = int(offset)
    size = int(limit) if limit and limit.isdigit() and int(limit) > 0 else len(items) or 1
    listed["items"] = items[start:start + size]
    if start + size < len(items):
        listed["metadata"]["continue"] = f"{start + size}:{listed['metadata']['resourceVersion']}"
        listed["metadata"]["remainingItemCount"] = len(items) - start - size
    return None


def latest_version(items: list[dict]) -> str:
    versions = [int(i.get("metadata", {}).get("resourceVersion") or 0) for i in items]
    return str(max(versions, default=0))


def wants_table(accept: str) -> bool:
    return "as=Table" in accept
