"""kubectl explain RESOURCE[.field.path] [--recursive], laid out as kubectl 1.20 prints it.

The schema text lives in content/explain/types.yaml (the v1.20 OpenAPI descriptions). A field's
type spec is `string|integer|boolean|number`, `ref:<type>`, `[]<spec>` or `map:<spec>`; a type is
either an object (`fields`) or a named primitive (`primitive`: Quantity, IntOrString, Time, ...).
The walk follows kubectl's explain package: references, arrays and maps pass through, a primitive
ends the walk, and the page is built from the descriptions collected on the way.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from engine import fastyaml

from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError
from engine.kubectl.flags import Flag, parse
from engine.kubectl.resources import resolve

FLAGS = (Flag("recursive", "bool", default=False), Flag("api-version", default=""))
_PATH = Path(__file__).resolve().parent.parent.parent / "content" / "explain" / "types.yaml"
WRAP = 80
FIELD_INDENT = 3
DESC_INDENT = 5
RECURSIVE_INDENT = 3
MAX_DEPTH = 15                  # the core types have no cycles; this only bounds a bad content file
NO_TYPE = ('error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete '
           "list of supported resources.\n\nSee 'kubectl explain -h' for help and examples")
ONE_ONLY = "error: We accept only this format: explain RESOURCE\nSee 'kubectl explain -h' for help and examples"


@lru_cache(maxsize=1)
def schema() -> dict:
    with _PATH.open(encoding="utf-8") as f:
        return fastyaml.load(f)


# -- the schema as kubectl's proto nodes ------------------------------------------------------------
# ("kind", description, type name) | ("primitive", description, type) | ("array"|"map", description, sub)
# | ("ref", description, type name)

def node(spec: str, description: str = ""):
    if spec.startswith("[]"):
        return ("array", description, spec[2:])
    if spec.startswith("map:"):
        return ("map", description, spec[4:])
    if spec.startswith("ref:"):
        return ("ref", description, spec[4:])
    return ("primitive", description, spec)


def resolved(type_name: str):
    """A reference's target: an object type or a named primitive."""
    t = schema()["types"][type_name]
    if "primitive" in t:
        return ("primitive", t.get("description", ""), t["primitive"])
    return ("kind", t.get("description", ""), type_name)


def type_name(n) -> str:
    """GetTypeName: Object, []Object, map[string]string, string …"""
    kind, _, target = n
    if kind == "array":
        return "[]" + type_name(node(target))
    if kind == "map":
        return "map[string]" + type_name(node(target))
    if kind == "ref":
        return type_name(resolved(target))
    if kind == "kind":
        return "Object"
    return target


def lookup(root, path: list[str]):
    """LookupSchemaForField: the node at the end of the path (a primitive ends the walk early)."""
    n = root
    while True:
        kind, _, target = n
        if kind == "primitive" or not path:
            return n
        if kind in ("array", "map"):
            n = node(target)
        elif kind == "ref":
            n = resolved(target)
        else:
            fields = schema()["types"][target]["fields"]
            if path[0] not in fields:
                raise KubectlError(f'error: field "{path[0]}" does not exist')
            field = fields[path[0]]
            path = path[1:]
            n = node(field["type"], field.get("description", ""))


# -- printing -----------------------------------------------------------------------------------------

def wrap(text: str, width: int) -> list[str]:
    """kubectl 1.20's wrapString: words refilled to the width (whitespace and newlines collapse)."""
    lines: list[str] = []
    current: list[str] = []
    for word in text.split():
        if current and len(" ".join(current + [word])) > width:
            lines.append(" ".join(current))
            current = []
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


class Page:
    def __init__(self):
        self.lines: list[str] = []

    def write(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text if text else "")

    def wrapped(self, indent: int, text: str) -> None:
        for line in wrap(text, WRAP - indent):
            self.write(indent, line)


def print_model(page: Page, name: str, n, kind: str, version: str, recursive: bool) -> None:
    """modelPrinter: collect descriptions down to the first object or primitive, then print."""
    descriptions: list[str] = []
    shown_type = ""
    while True:
        k, desc, target = n
        if k in ("array", "map", "ref"):
            descriptions.append(desc)
            shown_type = shown_type or type_name(n)
            n = node(target) if k != "ref" else resolved(target)
            continue
        break
    k, desc, target = n
    shown_type = shown_type or type_name(n)
    page.write(0, f"KIND:     {kind}")
    page.write(0, f"VERSION:  {version}")
    page.write(0, "")
    if k == "primitive":
        page.write(0, f"FIELD:    {name} <{shown_type}>")
        page.write(0, "")
        _description(page, descriptions + [desc])
        return
    if name:
        page.write(0, f"RESOURCE: {name} <{shown_type}>")
        page.write(0, "")
    _description(page, descriptions + [desc])
    page.write(0, "")
    page.write(0, "FIELDS:")
    if recursive:
        _recursive_fields(page, target, FIELD_INDENT, 0)
    else:
        _fields(page, target)


def _description(page: Page, descriptions: list[str]) -> None:
    page.write(0, "DESCRIPTION:")
    empty = True
    for i, desc in enumerate(descriptions):
        if not desc:
            continue
        empty = False
        if i:                           # kubectl separates by position, not by what it printed
            page.write(0, "")
        page.wrapped(DESC_INDENT, desc)
    if empty:
        page.wrapped(DESC_INDENT, "<empty>")


def _fields(page: Page, type_: str) -> None:
    t = schema()["types"][type_]
    for key in sorted(t["fields"]):
        field = t["fields"][key]
        required = " -required-" if field.get("required") else ""
        page.write(FIELD_INDENT, f"{key}\t<{type_name(node(field['type']))}>{required}")
        page.wrapped(DESC_INDENT, field.get("description", ""))
        page.write(0, "")


def _recursive_fields(page: Page, type_: str, indent: int, depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    t = schema()["types"][type_]
    for key in sorted(t["fields"]):
        n = node(t["fields"][key]["type"])
        page.write(indent, f"{key}\t<{type_name(n)}>")
        target = _object_under(n)
        if target:
            _recursive_fields(page, target, indent + RECURSIVE_INDENT, depth + 1)


def _object_under(n) -> str | None:
    while True:
        k, _, target = n
        if k in ("array", "map"):
            n = node(target)
        elif k == "ref":
            n = resolved(target)
        elif k == "kind":
            return target
        else:
            return None


# -- the verb ------------------------------------------------------------------------------------------

def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("explain", argv, FLAGS)
    if not p.args:
        raise KubectlError(NO_TYPE)
    if len(p.args) > 1:
        raise KubectlError(ONE_ONLY)
    resource, *path = p.args[0].removesuffix(".").split(".")
    res = resolve(resource)
    root_type = schema()["kinds"].get(res.kind)
    if root_type is None:
        raise KubectlError(f'error: couldn\'t find resource for "{res.api_version}, Kind={res.kind}"')
    version = p["api-version"] or res.api_version
    if version != res.api_version:
        raise KubectlError(f'error: couldn\'t find resource for "{version}, Kind={res.kind}"')
    target = lookup(("kind", schema()["types"][root_type].get("description", ""), root_type), path)
    page = Page()
    print_model(page, path[-1] if path else "", target, res.kind, res.api_version, p["recursive"])
    return "\n".join(page.lines)       # kubectl's closing blank line stays after a FIELDS list
