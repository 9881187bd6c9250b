#!/usr/bin/env python3
"""Trim the real API server's OpenAPI v2 document to what the sandbox validates.

    python scripts/gen_openapi_schema.py /path/to/openapi-v2.json.gz [content/openapi/v1.20.2.json]

Keeps every definition reachable from the kinds in engine/apiserver/kinds/ and, for each, only
what validation needs. Type descriptors in the output:
  "string" "bytes" "int32" "int64" "number" "boolean" | "quantity" "intstr" "time" (apimachinery types) | "any"
  {"ref": NAME} | {"array": T} | {"map": T}
and a definition is {"go": "v1.Pod", "fields": {json name: T}, "required": [...]} or a bare T.
Run it again after adding a kind module; the generated file is committed.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.apiserver import registry  # noqa: E402

SPECIAL = {"io.k8s.apimachinery.pkg.api.resource.Quantity": "quantity",
           "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "intstr",
           "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "time",
           "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "time"}


def descriptor(schema: dict, wanted: list[str]):
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in SPECIAL:
            return SPECIAL[name]
        wanted.append(name)
        return {"ref": name}
    kind = schema.get("type")
    if kind == "array":
        return {"array": descriptor(schema.get("items") or {}, wanted)}
    if kind == "object":
        return {"map": descriptor(schema.get("additionalProperties") or {}, wanted)}
    if kind == "integer":
        return "int64" if schema.get("format") == "int64" else "int32"
    if kind == "string" and schema.get("format") == "byte":
        return "bytes"
    if kind in ("string", "number", "boolean"):
        return kind
    return "any"


def trim(definitions: dict, roots: list[str]) -> dict:
    out: dict = {}
    wanted = list(roots)
    while wanted:
        name = wanted.pop()
        if name in out or name in SPECIAL:
            continue
        d = definitions[name]
        if d.get("properties"):
            out[name] = {"go": ".".join(name.rsplit(".", 2)[-2:]),
                         "fields": {k: descriptor(v, wanted) for k, v in sorted(d["properties"].items())},
                         "required": list(d.get("required") or ())}
        else:
            out[name] = descriptor(d, wanted)
    return dict(sorted(out.items()))


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    source = Path(argv[1])
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as fh:
        document = json.load(fh)
    roots = sorted({k.schema for k in registry.KINDS.values() if k.schema})
    trimmed = {"source": "kube-apiserver v1.20.2 /openapi/v2", "roots": roots,
               "definitions": trim(document["definitions"], roots)}
    target = Path(argv[2]) if len(argv) == 3 else ROOT / "content" / "openapi" / "v1.20.2.json"
    target.write_text(json.dumps(trimmed, indent=0, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{target}: {len(trimmed['definitions'])} definitions for {len(roots)} kinds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
