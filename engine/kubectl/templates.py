"""`-o jsonpath=TEMPLATE` and `-o custom-columns=SPEC`, as kubectl 1.20 prints them.

JSONPath (k8s.io/client-go/util/jsonpath): text with `{…}` actions — field paths (`.a.b`,
`['a']`, `[0]`, `[*]`, `[1:3]`, `..name`, `[?(@.k=="v")]`), string literals (`{"\\n"}`) and
`{range …}…{end}`. kubectl get allows missing keys (they print nothing); several results of one
action are joined with a space; maps and lists print as JSON.
custom-columns: `HEADER:.path,…`, one row per object, `<none>` for missing values, Go tabwriter
(minwidth 10, padding 3).
Evaluation counts its steps and output (engine/budget.py): nested ranges multiply, and a template
that would print gigabytes stops at the reply's bound instead of filling the worker's memory.
"""
from __future__ import annotations

import json
import re
from typing import Any

from engine.budget import Meter
from engine.kubectl.errors import KubectlError
from engine.tabwriter import align


def render(fmt: str, doc: dict, items: list[dict]) -> str:
    kind, _, spec = fmt.partition("=")
    if kind == "jsonpath":
        return jsonpath(spec, doc)
    if kind == "custom-columns":
        return custom_columns(spec, items)
    raise KubectlError(f'error: output format "{kind}" is not part of this course\'s sandbox; '
                       "use -o jsonpath=… or -o custom-columns=…")


# -- template parsing -------------------------------------------------------------------------------

def _parse(template: str) -> list:
    """Text and actions, with range bodies nested: ["text", ("path", p), ("range", p, body)]."""
    if not template:
        raise KubectlError("error: template format specified but no template given")
    nodes: list = []
    stack: list[list] = [nodes]
    i = 0
    while i < len(template):
        start = template.find("{", i)
        if start < 0:
            stack[-1].append(template[i:])
            break
        if start > i:
            stack[-1].append(template[i:start])
        end = _close(template, start)
        action = template[start + 1:end].strip()
        i = end + 1
        if action.startswith("range "):
            body: list = []
            stack[-1].append(("range", action[6:].strip(), body))
            stack.append(body)
        elif action == "end":
            if len(stack) == 1:
                raise _syntax(template, "not in range")
            stack.pop()
        elif action[:1] in ('"', "'"):
            stack[-1].append(_unquote(action, template))
        else:
            stack[-1].append(("path", action))
    if len(stack) > 1:
        raise _syntax(template, "unclosed action")
    return nodes


def _close(template: str, start: int) -> int:
    quote = None
    for j in range(start + 1, len(template)):
        ch = template[j]
        if quote:
            if ch == "\\":
                continue
            if ch == quote and template[j - 1] != "\\":
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "}":
            return j
    raise _syntax(template, "unclosed action")


def _unquote(text: str, template: str) -> str:
    try:
        return json.loads('"' + text[1:-1].replace('"', '\\"') + '"') if text[0] == "'" else json.loads(text)
    except ValueError:
        raise _syntax(template, f"invalid string {text}")


def _syntax(template: str, why: str) -> KubectlError:
    return KubectlError(f"error: error parsing jsonpath {template}, {why}")


# -- evaluation ----------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\.\.([^.\[]*)|\.([^.\[]*)|\[([^\]]*)\]")


def evaluate(path: str, root: Any, current: Any, meter: Meter | None = None) -> list:
    meter = meter or Meter()
    path = path.strip()
    if path.startswith("$"):
        values, path = [root], path[1:]
    elif path.startswith("@"):
        values, path = [current], path[1:]
    else:
        values = [current]
    pos = 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m:
            raise KubectlError(f"error: error parsing jsonpath {{{path}}}, unrecognized character in action: "
                               f"U+{ord(path[pos]):04X} {path[pos]!r}")
        pos = m.end()
        meter.step(len(values))
        if m.group(1) is not None:
            values = [v for val in values for v in _descend(val, m.group(1))]
        elif m.group(2) is not None:
            values = [v for val in values for v in _field(val, m.group(2))]
        else:
            values = [v for val in values for v in _index(val, m.group(3), root)]
    return values


def _field(value: Any, name: str) -> list:
    if name in ("", "*"):
        if name == "":
            return [value]
        return list(value.values()) if isinstance(value, dict) else list(value) if isinstance(value, list) else []
    if isinstance(value, dict) and name in value:
        return [value[name]]
    return []


def _descend(value: Any, name: str) -> list:
    out = []
    stack = [value]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            if name in node:
                out.append(node[name])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


_FILTER = re.compile(r"^\?\(\s*@((?:\.[^\s=!<>]+)*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*\)$")


def _index(value: Any, spec: str, root: Any) -> list:
    spec = spec.strip()
    if spec[:1] in ("'", '"'):
        return _field(value, spec[1:-1])
    if spec.startswith("?"):
        m = _FILTER.match(spec)
        if not m or not isinstance(value, list):
            return []
        path, op, literal = m.groups()
        want = None if op is None else _literal(literal)
        out = []
        for item in value:
            got = evaluate(path or "", root, item) if path else [item]
            if op is None:
                if got:
                    out.append(item)
            elif got and _compare(got[0], op, want):
                out.append(item)
        return out
    if not isinstance(value, list):
        return []
    if spec == "*":
        return list(value)
    if ":" in spec:
        parts = [p.strip() for p in spec.split(":")]
        start = int(parts[0]) if parts[0] else 0
        stop = int(parts[1]) if len(parts) > 1 and parts[1] else len(value)
        step = int(parts[2]) if len(parts) > 2 and parts[2] else 1
        return value[start:stop:step]
    out = []
    for part in spec.split(","):
        try:
            i = int(part)
        except ValueError:
            raise KubectlError(f"error: error parsing jsonpath, invalid array index {part}")
        if -len(value) <= i < len(value):
            out.append(value[i])
    return out


def _literal(text: str) -> Any:
    text = text.strip()
    if text[:1] in ("'", '"'):
        return text[1:-1]
    try:
        return json.loads(text)
    except ValueError:
        return text


def _compare(got: Any, op: str, want: Any) -> bool:
    try:
        return {"==": got == want, "!=": got != want, "<": got < want, ">": got > want,
                "<=": got <= want, ">=": got >= want}[op]
    except TypeError:
        return False


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _run(nodes: list, root: Any, current: Any, out: list[str], meter: Meter) -> None:
    for node in nodes:
        meter.step()
        if isinstance(node, str):
            text = node
        elif node[0] == "path":
            text = " ".join(_text(v) for v in evaluate(node[1], root, current, meter))
        else:
            for item in evaluate(node[1], root, current, meter):
                _run(node[2], root, item, out, meter)
            continue
        meter.wrote(len(text))
        out.append(text)


def jsonpath(template: str, doc: dict) -> str:
    nodes = _parse(template)
    out: list[str] = []
    _run(nodes, doc, doc, out, Meter())
    return "".join(out)


# -- custom columns -----------------------------------------------------------------------------------

def custom_columns(spec: str, items: list[dict]) -> str:
    if not spec:
        raise KubectlError("error: custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep or not header:
            raise KubectlError(f"error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        path = path.strip()
        if path.startswith("{") and path.endswith("}"):
            path = path[1:-1]
        if not path.startswith((".", "$", "[")):
            path = "." + path
        columns.append((header, path))
    rows = ["\t".join(h for h, _ in columns)]
    meter = Meter()
    for obj in items:
        cells = []
        for _, path in columns:
            values = evaluate(path, obj, obj, meter)
            cells.append(",".join(_text(v) for v in values) if values else "<none>")
            meter.wrote(len(cells[-1]))
        rows.append("\t".join(cells))
    return _table(rows)


def _table(rows: list[str]) -> str:
    """Go tabwriter(minwidth 10, padding 3); the last column is not tab-terminated, so not padded."""
    text = align("\n".join(rows), padding=3, minwidth=10)
    return text
