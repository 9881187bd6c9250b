"""Regenerate types.yaml (kubectl explain's text) from the v1.20 OpenAPI descriptions that three
generated API clients carry. A maintainer's tool, never run by the bot or the tests:

    pip download kubernetes==20.13.0 --no-deps -d /tmp/py && unzip -q /tmp/py/*.whl -d /tmp/py
    (cd /tmp && npm pack @kubernetes/client-node@0.14.3 kubernetes-types@1.21.0-beta.1)
    mkdir /tmp/ts /tmp/kt && tar xzf /tmp/kubernetes-client-node-0.14.3.tgz -C /tmp/ts \
        && tar xzf /tmp/kubernetes-types-1.21.0-beta.1.tgz -C /tmp/kt
    python content/explain/generate.py /tmp/py /tmp/ts /tmp/kt > content/explain/types.yaml

- field names, types and descriptions: the python client (OpenAPI release-1.20);
- type descriptions and required fields: @kubernetes/client-node 0.14.3 (OpenAPI v1.20.2);
- descriptions of fields that hold another type (the python generator drops them): kubernetes-types
  1.21.0-beta.1, the nearest release that keeps them;
- Quantity, IntOrString, Time, MicroTime and FieldsV1 are named primitives written below.
"""
from __future__ import annotations

import ast
import pathlib
import re
import sys

import yaml

KINDS = ("V1Pod V1Service V1Namespace V1ConfigMap V1Secret V1ServiceAccount V1Endpoints V1Node V1PersistentVolume "
         "V1PersistentVolumeClaim CoreV1Event V1Deployment V1ReplicaSet V1DaemonSet V1StatefulSet V1Job "
         "V1beta1CronJob V1Role V1ClusterRole V1RoleBinding V1ClusterRoleBinding V1beta1PodSecurityPolicy").split()
QUANTITY_FIELDS = {"limits", "requests", "capacity", "allocatable", "sizeLimit", "divisor", "overhead", "hard", "used",
                   "default", "defaultRequest", "max", "min", "maxLimitRequestRatio"}
MICRO_FIELDS = {"eventTime", "renewTime", "acquireTime"}
PREFIX = re.compile(r"^(?:CoreV1|V1beta1|V1)")
QUANTITY = """Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling \
in JSON and YAML, in addition to String() and AsInt64() accessors.

The serialization format is:

<quantity>        ::= <signedNumber><suffix>
  (Note that <suffix> may be empty, from the "" case in <decimalSI>.)
<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= \
<digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= "+" | "-" <signedNumber>    ::= <number> \
| <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | \
Gi | Ti | Pi | Ei
  (International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)
<decimalSI>       ::= m | "" | k | M | G | T | P | E
  (Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the capitalization.)
<decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>

No matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in \
magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. \
(E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.

When a Quantity is parsed from a string, it will remember the type of suffix it had, and will use the same type \
again when it is serialized.

Before serializing, Quantity will be put in "canonical form". This means that Exponent/suffix will be adjusted up \
or down (with a corresponding increase or decrease in Mantissa) such that:
  a. No precision is lost
  b. No fractional digits will be emitted
  c. The exponent (or suffix) is as large as possible.
The sign will be omitted unless the number is negative.

Examples:
  1.5 will be serialized as "1500m"
  1.5Gi will be serialized as "1536Mi"

Note that the quantity is NOT able to be parsed with any Go library functions.

Non-canonical representations will still parse as expected, but will not be serialized in that form. Note that \
the canonical form of Quantity is not the same as the serialization form. This allows you to extend the format to \
accept additional specification formats."""
FIELDS_V1 = """FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.

Each key is either a '.' representing the field itself, and will always map to an empty set, or a string \
representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the \
name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list \
item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's \
key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of \
the set.

The exact format is defined in sigs.k8s.io/structured-merge-diff"""
PRIMITIVES = {
    "IntOrString": {"primitive": "string", "description": "IntOrString is a type that can hold an int32 or a string. "
                    "When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type. "
                    "This allows you to have, for example, a JSON field that can accept a name or number."},
    "Time": {"primitive": "string", "description": "Time is a wrapper around time.Time which supports correct "
             "marshaling to YAML and JSON. Wrappers are provided for many of the factory methods that the time "
             "package offers."},
    "MicroTime": {"primitive": "string",
                  "description": "MicroTime is version of Time with microsecond level precision."},
    "Quantity": {"primitive": "string", "description": QUANTITY},
    "FieldsV1": {"description": FIELDS_V1, "fields": {}},
    "RawExtension": {"description": "RawExtension is used to hold extensions in external versions.", "fields": {}},
}


def unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\'", "'")


class Sources:
    def __init__(self, py: pathlib.Path, ts: pathlib.Path, kt: pathlib.Path):
        self.ts = next(ts.glob("**/dist/gen/model"))
        self.classes = {}
        for f in next(py.glob("**/kubernetes/client/models")).glob("*.py"):
            text = f.read_text()
            if m := re.search(r"^class (\w+)\(object\):", text, re.M):
                self.classes[m.group(1)] = text
        self.ifaces: dict[tuple[str, str], dict[str, str]] = {}
        order = ["core", "meta", "apps", "rbac", "batch", "policy"]
        files = sorted(next(kt.glob("**/core")).parent.glob("*/*.d.ts"),
                       key=lambda p: (order.index(p.parent.name) if p.parent.name in order else 99, str(p)))
        for f in files:
            version = f.name.removesuffix(".d.ts")
            for m in re.finditer(r"export interface (\w+) \{\n(.*?)\n\}", f.read_text(), re.S):
                fields = {}
                for fm in re.finditer(r"/\*\*\n((?:\s*\*.*\n)+?)\s*\*/\n\s*(?:readonly )?(\w+)\??:", m.group(2)):
                    lines = [re.sub(r"^\s*\* ?", "", ln) for ln in fm.group(1).splitlines()]
                    fields[fm.group(2)] = unescape("\n".join(lines).strip())
                self.ifaces.setdefault((version, m.group(1)), fields)

    def _ts(self, cls: str) -> str | None:
        p = self.ts / f"{cls[0].lower() + cls[1:]}.d.ts"
        return p.read_text() if p.exists() else None

    def type_doc(self, cls: str) -> str:
        text = self._ts(cls) or ""
        m = re.search(r"/\*\*\n((?:\*.*\n)+?)\*/\nexport declare class", text)
        if not m:
            return ""
        return unescape("\n".join(ln[1:].strip() for ln in m.group(1).splitlines()).strip())

    def required(self, cls: str) -> set[str]:
        return set(re.findall(r"^\s+'(\w+)': ", self._ts(cls) or "", re.M))

    def ref_field_doc(self, cls: str, field: str) -> str:
        prefix = PREFIX.match(cls).group(0)
        version = "v1beta1" if prefix == "V1beta1" else "v1"
        return self.ifaces.get((version, cls[len(prefix):]), {}).get(field, "")

    def members(self, cls: str):
        text = self.classes[cls]
        types = ast.literal_eval(re.search(r"openapi_types = (\{.*?\})", text, re.S).group(1))
        names = ast.literal_eval(re.search(r"attribute_map = (\{.*?\})", text, re.S).group(1))
        for attr, t in types.items():
            m = re.search(r'def %s\(self\):\n\s+"""Gets the %s of this %s\.  # noqa: E501\n(.*?)\n\s+:return:'
                          % (attr, attr, cls), text, re.S)
            body = "\n".join(ln.strip() for ln in (m.group(1) if m else "").strip().splitlines())
            body = body.replace("  # noqa: E501", "").strip().replace('\\"', '"').replace("\\\\", "\\")
            yield names[attr], t, body


def build(src: Sources) -> dict:
    types: dict[str, dict] = {}
    todo = list(KINDS)

    def spec(cls: str, name: str, t: str) -> str:
        if t.startswith("list["):
            return "[]" + spec(cls, name, t[5:-1])
        if t.startswith("dict("):
            return "map:" + spec(cls, name, t[5:-1].split(", ", 1)[1])
        if t == "str":
            return "ref:Quantity" if name in QUANTITY_FIELDS else "string"
        if t in ("int", "float", "bool"):
            return {"int": "integer", "float": "number", "bool": "boolean"}[t]
        if t == "datetime":
            return "ref:MicroTime" if name in MICRO_FIELDS else "ref:Time"
        if t == "object":
            return "ref:FieldsV1" if name == "fieldsV1" else "ref:IntOrString"
        todo.append(t)
        return "ref:" + t

    while todo:
        cls = todo.pop()
        if cls in types:
            continue
        required = src.required(cls)
        fields = {}
        for name, t, desc in src.members(cls):
            holds_type = t in src.classes or t.startswith(("list[V", "dict(str, V")) or name == "fieldsV1"
            if not desc and holds_type:
                desc = src.ref_field_doc(cls, name)
            field = {"type": spec(cls, name, t), "description": desc}
            if name in required:
                field["required"] = True
            fields[name] = field
        types[cls] = {"description": src.type_doc(cls), "fields": dict(sorted(fields.items()))}
    types.update(PRIMITIVES)
    return {"kinds": {PREFIX.sub("", k): k for k in KINDS}, "types": types}


if __name__ == "__main__":
    data = build(Sources(*(pathlib.Path(a) for a in sys.argv[1:4])))
    print("# kubectl explain (1.20.2): each kind's root type, then every type reachable from them.\n"
          "# Generated from the v1.20 OpenAPI descriptions; types are the generated clients' names.")
    print(yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=100000), end="")
