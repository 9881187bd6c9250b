"""Manifests as kubectl reads them: where `-f` finds the text, YAML/JSON streams, validation.

- `resolve_source(ctx, path)` maps `-f` arguments to texts: `-` (the chat message's YAML block or
  attachment, passed as stdin), course-kit files under content/kit/ (as they lie in /root on m-k8s),
  directories, and the few URLs the course uses (content/kit/urls.yaml). An unknown URL answers
  like a 404 from the web server: the lab VMs have internet, the address is simply not there.
- `load(source, text)` splits a stream into documents the way k8s.io/apimachinery's YAMLReader does,
  refuses YAML bombs and oversized input *before* building objects, converts parser errors into
  go-yaml's words, and validates each document against a small schema (kubectl's client-side
  OpenAPI validation) with kubectl's messages.
- `recognize` asks the API server's kind registry; anything else is "unable to recognize".
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from engine.apiserver import registry, schema
from engine.node import fs
from engine.kubectl.errors import KubectlError

KIT = Path(__file__).resolve().parent.parent / "content" / "kit"
HOME = "/root"
MAX_BYTES = 256 * 1024          # a chat message or kit file is far smaller; more is refused unread
MAX_DOCUMENTS = 100
MAX_ALIASES = 100
MAX_NODES = 50_000              # scalars+collections after aliases are expanded (billion laughs)
MAX_DEPTH = 100
MAX_EXPANDED_BYTES = 1024 * 1024   # a built document stays well under the API server's 1.5 MiB object limit
STOP_VALIDATE = "if you choose to ignore these errors, turn validation off with --validate=false"
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


# -- where -f reads from ----------------------------------------------------------------------

def _urls() -> dict[str, str]:
    path = KIT / "urls.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of url -> kit path")
    return {str(k): str(v) for k, v in data.items()}


def _kit_path(rel: str) -> Path | None:
    """A path relative to the kit folder, never escaping it."""
    rel = posixpath.normpath(rel)
    if rel.startswith(("..", "/")) or rel == ".":
        return None
    return KIT / rel


def _home_relative(path: str, cwd: str = HOME) -> str | None:
    """`~/x`, `/root/x`, `x` (relative to the shell's cwd, /root at first) -> `x` under /root;
    other places are not in the kit."""
    if path.startswith("~/") or path == "~":
        path = HOME + path[1:]
    if not path.startswith("/"):
        path = posixpath.join(cwd, path)
    path = posixpath.normpath(path)
    if not path.startswith(HOME + "/"):
        return None
    rel = path[len(HOME) + 1:]
    # Only the course folders (`_Lecture_k8s_starter.kit`, …) lie in /root; the rest of content/kit does not.
    return rel if rel.startswith("_") else None


def resolve_source(ctx, path: str, recursive: bool = False) -> list[tuple[str, str]]:
    """`-f PATH` -> [(source name as kubectl prints it, text)], in kubectl's order."""
    if path == "-":
        return [("STDIN", ctx.stdin or "")]
    if path == "~" or path.startswith("~/"):        # bash expands `~` before kubectl sees the path
        path = HOME + path[1:]
    if path.startswith(("http://", "https://")):
        rel = _urls().get(path)
        target = _kit_path(rel) if rel else None
        if target is None or not target.is_file():
            raise KubectlError(f'error: unable to read URL "{path}", server reported 404 Not Found, status code=404')
        return [(path, _read(target, path))]
    files = getattr(ctx, "files", None) or {}
    for key in (path, posixpath.normpath(path.replace("~/", HOME + "/", 1))):
        if key in files:
            return [(path, files[key])]
    cluster = getattr(ctx, "cluster", None)
    if cluster is not None:               # a file the student wrote on m-k8s (`!sh cat > web.yaml` + a code block)
        written = cluster.meta.get("written", {}).get("m-k8s", {}).get(fs.resolve(cluster, "m-k8s", path))
        if written is not None:
            return [(path, written)]
    cwd = fs.cwd(cluster, "m-k8s") if cluster is not None else HOME      # `!sh cd …` moves it
    rel = _home_relative(path, cwd)
    target = _kit_path(rel) if rel else None
    if target is None or not target.exists():
        raise KubectlError(f'error: the path "{path}" does not exist')
    if target.is_file():
        return [(path, _read(target, path))]
    out = []
    base = path.rstrip("/") or path
    for child in _walk(target, recursive):
        out.append((posixpath.join(base, child.relative_to(target).as_posix()), _read(child, path)))
    return out


def _walk(folder: Path, recursive: bool) -> list[Path]:
    """filepath.Walk order (lexical); subfolders only with -R; only manifest suffixes."""
    found = []
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.is_dir():
            if recursive:
                found.extend(_walk(child, True))
        elif child.suffix in MANIFEST_SUFFIXES:
            found.append(child)
    return found


def _read(path: Path, shown: str) -> str:
    if path.stat().st_size > MAX_BYTES:
        raise KubectlError(too_big(shown))
    return path.read_text(encoding="utf-8")


def too_big(source: str) -> str:
    return (f"error: error reading {source}: this sandbox accepts at most {MAX_BYTES // 1024} KiB of "
            "manifests at once")


# -- documents --------------------------------------------------------------------------------

@dataclass
class Doc:
    source: str
    obj: dict | None = None
    error: str | None = None      # kubectl's message (without the leading "error: ")
    fatal: bool = False           # a parse/validation error ends the stream, as in kubectl's StreamVisitor


def split_documents(text: str) -> list[str]:
    """k8s YAMLReader: a line that is `---` (plus trailing blanks) separates documents."""
    docs, cur = [], []
    for line in text.splitlines(keepends=True):
        if line.startswith("---") and not line[3:].strip():
            docs.append("".join(cur))
            cur = []
        else:
            cur.append(line)
    docs.append("".join(cur))
    return docs


def load(source: str, text: str, *, validate: bool = True) -> list[Doc]:
    """Parse and validate a stream. The list stops at the first fatal document."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return [Doc(source, error=too_big(source)[len("error: "):], fatal=True)]
    chunks = split_documents(text)
    if len(chunks) > MAX_DOCUMENTS:
        return [Doc(source, error=f"error parsing {source}: more than {MAX_DOCUMENTS} documents in one stream "
                                  "(this sandbox's limit)", fatal=True)]
    out: list[Doc] = []
    for chunk in chunks:
        try:
            data = _parse_chunk(chunk)
        except _Refused as exc:
            out.append(Doc(source, error=f"error parsing {source}: {exc}", fatal=True))
            return out
        if data is None:
            continue
        if not isinstance(data, dict):
            out.append(Doc(source, error=f"error parsing {source}: error converting YAML to JSON: json: cannot "
                                         f"unmarshal {json_type(data)} into Go value of type "
                                         "map[string]interface {}", fatal=True))
            return out
        if data.get("kind") == "List" and data.get("apiVersion") == "v1" and isinstance(data.get("items"), list):
            # `kubectl get -o yaml` output applied back: a v1 List stands for its items.
            items = [i for i in data["items"] if isinstance(i, dict)]
            nested = load(source, "\n---\n".join(json.dumps(i) for i in items), validate=validate) if items else []
            out.extend(nested)
            if any(d.fatal for d in nested):
                return out
            continue
        if validate:
            errors = validate_object(data)
            if errors:
                joined = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
                out.append(Doc(source, error=f'error validating "{source}": error validating data: {joined}; '
                                             f"{STOP_VALIDATE}", fatal=True))
                return out
        elif not data.get("kind") or not data.get("apiVersion"):
            missing = "Kind" if not data.get("kind") else "apiVersion"
            out.append(Doc(source, error=f'unable to decode "{source}": Object \'{missing}\' is missing in '
                                         f"'{json.dumps(data, separators=(',', ':'))}'"))
            continue
        out.append(Doc(source, obj=data))
    return out


class _Refused(Exception):
    pass


def _parse_chunk(chunk: str) -> Any:
    if not chunk.strip():
        return None
    stripped = chunk.lstrip()
    _check_depth(chunk)
    if stripped.startswith("{"):
        try:
            return _check_size(json.loads(stripped))
        except json.JSONDecodeError as exc:
            raise _Refused(f"error converting YAML to JSON: yaml: line {exc.lineno}: did not find expected node content")
        except RecursionError:
            raise _Refused("the document is nested too deeply for this sandbox")
    bad = _CONTROL.search(chunk)
    if bad:
        raise _Refused("error converting YAML to JSON: yaml: control characters are not allowed")
    _check_aliases(chunk)
    loader = _Loader(chunk)
    try:
        node = loader.get_single_node()
        _check_expansion(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _Refused("error converting YAML to JSON: " + go_yaml_error(exc))
    except yaml.YAMLError as exc:
        raise _Refused(f"error converting YAML to JSON: yaml: {exc}")
    except RecursionError:
        raise _Refused("the document is nested too deeply for this sandbox")
    finally:
        loader.dispose()
    return _check_size(data)


# go-yaml's reader accepts only TAB, LF, CR, printable ASCII, NEL and the non-control Unicode ranges.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_OPEN, _CLOSE = set("[{"), set("]}")


def _check_depth(chunk: str) -> None:
    """A linear pre-scan before any parser sees the text: block indentation levels plus flow
    brackets (quoted text and comments skipped) must stay within MAX_DEPTH."""
    indents: list[int] = []
    flow = 0
    for line in chunk.splitlines():
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(body)
        if flow == 0:
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            dashes = 0
            while body.startswith("- ", dashes * 2):
                dashes += 1
            block = len(indents) + dashes
        quote = None
        for ch in body:
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch == "#":
                break
            elif ch in _OPEN:
                flow += 1
                if block + flow > MAX_DEPTH:
                    raise _Refused("the document is nested too deeply for this sandbox")
            elif ch in _CLOSE:
                flow = max(0, flow - 1)
        if block + flow > MAX_DEPTH:
            raise _Refused("the document is nested too deeply for this sandbox")


def _check_expansion(node) -> None:
    """Size of the document once aliases are expanded, computed on the composed graph (where an
    alias is one shared node) before any object is built: a few KB of nested aliases must not
    become hundreds of MB."""
    if node is None:
        return
    sizes: dict[int, tuple[int, int]] = {}       # id(node) -> (values, bytes) expanded
    stack = [(node, False)]
    while stack:
        cur, done = stack.pop()
        if id(cur) in sizes:
            continue
        if isinstance(cur, yaml.ScalarNode):
            sizes[id(cur)] = (1, len(cur.value) + 4)
            continue
        children = [c for pair in cur.value for c in pair] if isinstance(cur, yaml.MappingNode) else list(cur.value)
        if not done:
            stack.append((cur, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        values = 1 + sum(sizes.get(id(c), (0, 0))[0] for c in children)
        size = 2 + sum(sizes.get(id(c), (0, 0))[1] for c in children)
        if values > MAX_NODES:
            raise _Refused(f"the document expands to more than {MAX_NODES} values; this sandbox refuses "
                           "possible YAML bombs")
        if size > MAX_EXPANDED_BYTES:
            raise _Refused(f"the document expands to more than {MAX_EXPANDED_BYTES // 1024} KiB; this sandbox "
                           "refuses possible YAML bombs")
        sizes[id(cur)] = (values, size)


def _check_aliases(chunk: str) -> None:
    """Count anchors' uses on the token stream: nothing is expanded yet."""
    aliases = 0
    try:
        for token in yaml.scan(chunk, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise _Refused(f"more than {MAX_ALIASES} YAML aliases in one document; this sandbox refuses "
                                   "possible YAML bombs")
    except yaml.MarkedYAMLError as exc:
        raise _Refused("error converting YAML to JSON: " + go_yaml_error(exc))
    except RecursionError:
        raise _Refused("the document is nested too deeply for this sandbox")


def _check_size(data: Any) -> Any:
    """Walk the built object once, counting shared (aliased) nodes every time they appear."""
    budget = MAX_NODES
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise _Refused(f"the document expands to more than {MAX_NODES} values; this sandbox refuses "
                           "possible YAML bombs")
        if depth > MAX_DEPTH:
            raise _Refused("the document is nested too deeply for this sandbox")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return data


class _Loader(yaml.SafeLoader):
    """YAML 1.1 like go-yaml v2, but timestamps stay strings (JSON has no dates)."""


_Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def json_type(value: Any) -> str:
    """encoding/json's name for a decoded value's type."""
    return {"boolean": "bool", "integer": "number", "map": "object"}.get(schema.kind_of(value), schema.kind_of(value))


_GO_PROBLEMS = (
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("that cannot start any token", "found character that cannot start any token"),
    ("could not find expected ':'", "could not find expected ':'"),
    ("found unexpected end of stream", "found unexpected end of stream"),
    ("found unknown escape character", "found unknown escape character"),
    ("block sequence entries are not allowed here", "block sequence entries are not allowed in this context"),
)


def go_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's error in go-yaml v2's words: `yaml: line N: <problem>`.

    go-yaml numbers scanner errors from 1 and parser errors from the problem mark's 0-based line."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    scanner = isinstance(exc, yaml.scanner.ScannerError)
    text = problem
    for needle, go in _GO_PROBLEMS:
        if needle in problem:
            text = go
            break
    else:
        if isinstance(exc, yaml.composer.ComposerError) and "undefined alias" in (exc.problem or ""):
            name = problem.rsplit(" ", 1)[-1].strip("'")
            text = f"unknown anchor '{name}' referenced"
            scanner = True
        elif problem.startswith("expected <block end>"):
            text = "did not find expected '-' indicator" if "sequence" in (exc.context or "") else \
                "did not find expected key"
        elif problem.startswith("expected ',' or ']'"):
            text = "did not find expected ',' or ']'"
        elif problem.startswith("expected ',' or '}'"):
            text = "did not find expected ',' or '}'"
        elif "found duplicate key" in (exc.problem or ""):
            text = problem
    line = 0
    if mark is not None:
        line = mark.line + 1 if scanner else mark.line
        if line == 0 and exc.context_mark is not None:
            line = exc.context_mark.line
    return f"yaml: line {line}: {text}" if line else f"yaml: {text}"


# -- kinds the sandbox stores (engine/apiserver/registry.py) ------------------------------------

@dataclass(frozen=True)
class KindInfo:
    kind: str
    group: str
    namespaced: bool
    warning: str | None = None      # a deprecation warning the 1.20 server sends
    schema: str = ""                # its OpenAPI definition


def recognize(source: str, obj: dict) -> KindInfo:
    found = registry.lookup(str(obj.get("apiVersion")), str(obj.get("kind")))
    if found is None or not found[0].stored:
        raise KubectlError(f'unable to recognize "{source}": no matches for kind "{obj.get("kind")}" in version '
                           f'"{obj.get("apiVersion")}"')
    kind, warning = found
    return KindInfo(kind.kind, kind.group, kind.namespaced, warning, kind.schema)


# -- validation (kubectl's client-side OpenAPI check) ----------------------------------------------

def validate_object(obj: dict) -> list[str]:
    """kubectl's messages: `apiVersion not set`, `ValidationError(Pod.spec): unknown field …`;
    kinds the schema does not have are not checked (kubectl skips them too)."""
    errors = []
    if not isinstance(obj.get("apiVersion"), str) or not obj.get("apiVersion"):
        errors.append("apiVersion not set" if "apiVersion" not in obj or obj["apiVersion"] in ("", None)
                      else "apiVersion isn't string type")
    if not isinstance(obj.get("kind"), str) or not obj.get("kind"):
        errors.append("kind not set" if "kind" not in obj or obj["kind"] in ("", None) else "kind isn't string type")
    if errors:
        return errors
    found = registry.lookup(obj["apiVersion"], obj["kind"])
    if found is None or not found[0].schema:
        return []
    return schema.client_errors(obj, found[0].schema)
