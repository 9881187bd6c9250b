"""Kubernetes v1.20.2 pod-template-hash, reproduced byte for byte.

The deployment controller hashes ``spec.template`` with
``spew.ConfigState{Indent: " ", SortKeys: true, DisableMethods: true, SpewKeys: true}.Fprintf(h, "%#v", tmpl)``
into an FNV-1a 32 hasher (pkg/util/hash DeepHashObject), optionally mixes in
``status.collisionCount`` and encodes the decimal sum with rand.SafeEncodeString.
spew prints every field of every non-nil struct, so the printer below is driven
by the real 1.20.2 struct layouts in ``podtemplate_fields.json``.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

from engine.rng import NAME_ALPHABET, Rng

__all__ = ["template_dump", "pod_template_hash", "create_deployment_template", "canonical_quantity"]

_LAYOUT = json.loads(Path(__file__).with_name("podtemplate_fields.json").read_text(encoding="utf-8"))
_STRUCTS = {s["type"]: s["fields"] for s in _LAYOUT["structs"]}
_NAMED = _LAYOUT["named_non_struct"]  # named basic/map types -> Go kind
_MAP_TYPES = {}  # map type string -> elem type (map keys here are always string kinds)
for _fields in _STRUCTS.values():
    for _f in _fields:
        if _f["kind"] == "map":
            _MAP_TYPES[_f["type"]] = _f["elem"]

_ZERO_TIME = "{Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}}"


def _kind(t: str) -> str:
    if t.startswith("*"):
        return "ptr"
    if t.startswith("[]"):
        return "slice"
    if t.startswith("map[") or t in _MAP_TYPES:
        return "map"
    return "struct" if t in _STRUCTS else _NAMED.get(t, t)


def _fmt(t: str, v, typed: bool = True) -> str:
    """spew formatter for a value of Go type ``t`` given its JSON form ``v``.

    spew writes ``(T)`` before a value, except for slice elements, map keys/values
    and pointees (``typed=False``); a pointer carries ``(*T)`` and its pointee follows bare.
    """
    kind = _kind(t)
    if kind == "ptr":
        head = f"({t})" if typed else "<*>"
        return head + ("<nil>" if v is None else _fmt(t[1:], v, False))
    head = f"({t})" if typed else ""
    if t in _SPECIAL:
        return head + _SPECIAL[t](v)
    if kind == "struct":
        v = v or {}
        parts = []
        for f in _STRUCTS[t]:
            # json ",inline" (embedded struct) reads from the same JSON object.
            sub = v if f["json"] == ",inline" else v.get(f["json"]) if f["json"] else None
            parts.append(f"{f['name']}:{_fmt(f['type'], sub)}")
        return head + "{" + " ".join(parts) + "}"
    if kind == "slice":
        # The controller decodes protobuf, where an empty list comes back nil.
        if not v:
            return head + "<nil>"
        if t == "[]uint8" and isinstance(v, str):
            v = v.encode("utf-8")
        return head + "[" + " ".join(_fmt(t[2:], e, False) for e in v) + "]"
    if kind == "map":
        if not v:  # empty map decodes as nil too
            return head + "<nil>"
        elem = _MAP_TYPES[t]
        return head + "map[" + " ".join(f"{k}:{_fmt(elem, v[k], False)}" for k in sorted(v)) + "]"
    if kind == "string":
        return head + ("" if v is None else str(v))  # raw, unquoted, unescaped
    if kind == "bool":
        return head + ("true" if v else "false")
    return head + str(int(v or 0))  # all integer kinds


def _fmt_time(v) -> str:
    # Templates carry creationTimestamp: null (zero time). A real timestamp would print
    # Go's wall/ext encoding and a *time.Location, which we deliberately do not emulate.
    if v is not None:
        raise ValueError(f"non-null time in pod template is not supported: {v!r}")
    return _ZERO_TIME


def _fmt_intstr(v) -> str:
    if isinstance(v, str):
        return f"{{Type:(intstr.Type)1 IntVal:(int32)0 StrVal:(string){v}}}"
    return f"{{Type:(intstr.Type)0 IntVal:(int32){int(v or 0)} StrVal:(string)}}"


def _fmt_fields_v1(v) -> str:
    # FieldsV1 (managedFields only) marshals to/from its raw JSON bytes; best effort.
    raw = None if v is None else json.dumps(v, separators=(",", ":")).encode()
    return "{Raw:" + _fmt("[]uint8", raw) + "}"


# ---------------------------------------------------------------- resource.Quantity
# The API server stores a quantity as its String() (the input if ParseQuantity cached
# it, else the canonical form); the controller re-parses that string, and spew prints
# the parsed internals i / d / s / Format.

_DEC_SUFFIX = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN_SUFFIX = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {e: s for s, e in _DEC_SUFFIX.items()}
_BIN_BY_EXP = {e: s for s, e in _BIN_SUFFIX.items()}
_QTY_RE = re.compile(r"([+-]?)0*(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[+-]?\d*)")
_INT64_MAX = 2**63 - 1
_NANO = Fraction(1, 10**9)


def _parse_quantity(text: str) -> dict:
    """resource.ParseQuantity (apimachinery v0.20): returns i, dec, s, format and the exact value."""
    if text == "0":
        return {"value": 0, "scale": 0, "dec": None, "s": "0", "format": "DecimalSI", "exact": Fraction(0)}
    m = _QTY_RE.fullmatch(text)
    if not text or not m:
        raise ValueError(f"quantities must match the regular expression: {text!r}")
    sign, num, denom, suffix = m.group(1), m.group(2) or "0", m.group(3) or "", m.group(4)
    if suffix in _DEC_SUFFIX:
        base, exp, fmt = 10, _DEC_SUFFIX[suffix], "DecimalSI"
    elif suffix in _BIN_SUFFIX:
        base, exp, fmt = 2, _BIN_SUFFIX[suffix], "BinarySI"
    elif re.fullmatch(r"[eE][+-]?\d+", suffix):
        base, exp, fmt = 10, int(suffix[1:]), "DecimalExponent"
    else:
        raise ValueError(f"unable to parse quantity's suffix: {text!r}")
    negative = sign == "-"
    shifted = num + denom

    # Fast path: fits an int64Amount.
    if fmt == "BinarySI":
        mantissa, scale = (1 << exp), 0
        precision = 15 - len(num) - exp * 3 // 10 - 1 if not denom else -1
    else:
        mantissa, scale, precision = 1, exp, 18 - len(num) - len(denom)
    if precision >= 0:
        scale -= len(denom)
        if scale >= -9:
            result = int(shifted) * mantissa
            if result <= _INT64_MAX:
                result = -result if negative else result
                if fmt == "BinarySI":
                    canonical = exp % 10 == 0 and int(shifted) & 7 != 0
                else:
                    canonical = scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
                return {"value": result, "scale": scale, "dec": None, "s": text if canonical else "",
                        "format": fmt, "exact": Fraction(result) * Fraction(10) ** scale}

    # Slow path: an inf.Dec, rounded up (away from zero) to nano, capped for BinarySI.
    unscaled, dscale = int(shifted), len(denom)
    if base == 10:
        dscale -= exp
    else:
        unscaled <<= exp
    if unscaled != 0:
        if dscale <= 9:
            unscaled *= 10 ** (9 - dscale)
        else:
            q, r = divmod(unscaled, 10 ** (dscale - 9))
            unscaled = q + (r != 0)
        dscale = 9
    exact = Fraction(unscaled, 10**dscale) if dscale >= 0 else Fraction(unscaled * 10**-dscale)
    if fmt == "BinarySI" and exact > _INT64_MAX:
        unscaled, dscale, exact = _INT64_MAX, 0, Fraction(_INT64_MAX)
    if fmt == "BinarySI" and 0 < exact < 1:
        fmt = "DecimalSI"
    if negative:
        unscaled, exact = -unscaled, -exact
    return {"value": 0, "scale": 0, "dec": (unscaled, dscale), "s": "", "format": fmt, "exact": exact}


def _canonical(q: dict) -> str:
    """Quantity.CanonicalizeBytes: what String() returns when nothing is cached."""
    v, fmt = q["exact"], q["format"]
    if v == 0:
        return "0"
    if fmt == "BinarySI" and (-1024 < v < 1024 or v.denominator != 1):
        fmt = "DecimalSI"  # binary only for whole numbers of at least 1024
    if fmt == "BinarySI":
        n, e = int(v), 0
        while abs(n) >= 1024 and n % 1024 == 0:
            n, e = n // 1024, e + 1
        return f"{n}{_BIN_BY_EXP.get(e * 10, '')}"
    n, e = int(v / _NANO), -9  # the value is a whole number of nanos after parsing
    while abs(n) >= 10 and n % 10 == 0:
        n, e = n // 10, e + 1
    while e % 3:
        n, e = n * 10, e - 1
    if fmt == "DecimalExponent":
        return f"{n}e{e}" if e else str(n)
    return f"{n}{_DEC_BY_EXP.get(e, '')}"  # Go also drops an unknown suffix (exponent > 18)


def canonical_quantity(text) -> str:
    """The string the 1.20 API server stores for a quantity (e.g. "0.25" -> "250m")."""
    text = text if isinstance(text, str) else json.dumps(text)
    q = _parse_quantity(text.strip())
    return q["s"] or _canonical(q)


def _fmt_quantity(v) -> str:
    q = _parse_quantity(canonical_quantity(v))
    if q["dec"] is None:
        dec = "<nil>"
    else:
        unscaled, scale = q["dec"]
        words, rest = [], abs(unscaled)
        while rest:  # big.nat: little-endian 64-bit words, nil when zero
            words.append(str(rest & (2**64 - 1)))
            rest >>= 64
        nat = "[" + " ".join(words) + "]" if words else "<nil>"
        dec = (f"{{unscaled:(big.Int){{neg:(bool){'true' if unscaled < 0 else 'false'} abs:(big.nat){nat}}}"
               f" scale:(inf.Scale){scale}}}")
    return (f"{{i:(resource.int64Amount){{value:(int64){q['value']} scale:(resource.Scale){q['scale']}}}"
            f" d:(resource.infDecAmount){{Dec:(*inf.Dec){dec}}} s:(string){q['s']}"
            f" Format:(resource.Format){q['format']}}}")


# Types that print Go internals rather than their JSON shape (DisableMethods: no String()).
_SPECIAL = {
    "v1.Time": _fmt_time,
    "resource.Quantity": _fmt_quantity,
    "intstr.IntOrString": _fmt_intstr,
    "v1.FieldsV1": _fmt_fields_v1,
}


# ---------------------------------------------------------------- public API

def template_dump(template: dict) -> str:
    """The go-spew ``%#v`` dump of a v1.PodTemplateSpec given as JSON (``.spec.template``)."""
    return _fmt("v1.PodTemplateSpec", template)


def pod_template_hash(template: dict, collision_count: int | None = None) -> str:
    """controller.ComputeHash: FNV-1a 32 of the dump (+ collision bytes), SafeEncodeString'd."""
    data = template_dump(template).encode("utf-8")
    if collision_count is not None:
        # An 8-byte buffer of which PutUint32 fills only the first 4 (little-endian).
        data += (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4)
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return "".join(NAME_ALPHABET[ord(c) % len(NAME_ALPHABET)] for c in str(h))


def _pull_policy(image: str) -> str:
    """SetDefaults_Container: Always for an implicit or explicit :latest tag."""
    ref, _, digest = image.partition("@")
    path = ref.split("/")
    tag = path[-1].rsplit(":", 1)[1] if ":" in path[-1] else ""
    path[-1] = path[-1].split(":")[0]
    if len(path) > 1 and ("." in path[0] or ":" in path[0] or path[0] == "localhost"):
        path = path[1:]  # registry host may contain upper case, the repository may not
    if any(c.isupper() for c in "/".join(path)):  # ParseImageName fails -> no tag -> IfNotPresent
        return "IfNotPresent"
    if not tag and not digest:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _container_name(image: str, rng: Rng) -> str:
    """kubectl create deployment: base name without registry path, tag or digest."""
    name = image.split("/")[-1].split(":")[0].split("@")[0]
    if "_" in name or "." in name:  # sanitizeAndUniquify adds utilrand.String(5), drawn from the sandbox's RNG
        name = name.replace("_", "-").replace(".", "-") + "-" + rng.suffix()
    return name


def create_deployment_template(name: str, images: list[str], port: int | None = None, *, rng: Rng) -> dict:
    """spec.template as the 1.20 API server stores it for ``kubectl create deployment NAME --image=...``."""
    containers = []
    for image in images:
        c = {"image": image, "imagePullPolicy": _pull_policy(image), "name": _container_name(image, rng)}
        if port is not None and not containers:  # --port applies to the first container only
            c["ports"] = [{"containerPort": port, "protocol": "TCP"}]
        c.update(resources={}, terminationMessagePath="/dev/termination-log", terminationMessagePolicy="File")
        containers.append(c)
    return {
        "metadata": {"creationTimestamp": None, "labels": {"app": name}},
        "spec": {
            "containers": containers,
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "terminationGracePeriodSeconds": 30,
        },
    }
