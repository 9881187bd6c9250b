"""`kubectl get --sort-by=JSONPATH`, as kubectl 1.20's sorter does it (kubectl/pkg/cmd/get/sorter.go).

The path is relaxed to `{.a.b}`; if no object of a list has the field, kubectl refuses with
`couldn't find any field with path "{.a.b}" in the list of objects`. Objects without the field sort
first; numbers compare as numbers; two strings that both parse as quantities compare as
quantities (`100Mi` < `1Gi`), other strings in natural order (`pod-2` < `pod-10`).
"""
from __future__ import annotations

import functools
import re
from typing import Any

from engine import quantity
from engine.kubectl.errors import KubectlError
from engine.kubectl.templates import evaluate

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")
_MISSING = object()


def relaxed(path: str) -> str | None:
    """RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`."""
    m = _RELAXED.match(path)
    return f"{{.{m.group(1) or m.group(2)}}}" if m else None


def sort_objects(objs: list[dict], sort_by: str) -> list[dict]:
    """The objects in --sort-by order (stable), or kubectl's error when none has the field."""
    field = relaxed(sort_by)
    keys = [_first(obj, field) for obj in objs]
    if objs and all(k is _MISSING for k in keys):
        raise KubectlError(f'error: couldn\'t find any field with path "{field or sort_by}" in the list of objects')
    order = sorted(range(len(objs)), key=functools.cmp_to_key(lambda i, j: _compare(keys[i], keys[j])))
    return [objs[i] for i in order]


def _first(obj: dict, field: str | None) -> Any:
    if field is None:
        return _MISSING
    try:
        values = evaluate(field[1:-1], obj, obj)
    except KubectlError:
        return _MISSING
    return values[0] if values else _MISSING


def _compare(a: Any, b: Any) -> int:
    if a is _MISSING or b is _MISSING:
        return (a is not _MISSING) - (b is not _MISSING)
    if a is None or b is None:
        return (a is not None) - (b is not None)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return (a > b) - (a < b)
    if isinstance(a, str) and isinstance(b, str):
        try:
            qa, qb = quantity.parse(a), quantity.parse(b)
        except ValueError:
            return -1 if natural_less(a, b) else 1 if natural_less(b, a) else 0
        return (qa > qb) - (qa < qb)
    # kubectl exits on values it cannot order (booleans, maps, lists); keep them in a fixed order
    return (str(a) > str(b)) - (str(a) < str(b))


def natural_less(s1: str, s2: str) -> bool:
    """github.com/fvbommel/sortorder NaturalLess: digit runs compare as numbers, digits first."""
    b1, b2 = s1.encode(), s2.encode()
    i = j = 0
    while i < len(b1) and j < len(b2):
        d1, d2 = b1[i:i + 1].isdigit(), b2[j:j + 1].isdigit()
        if d1 != d2:
            return d1
        if not d1:
            if b1[i] != b2[j]:
                return b1[i] < b2[j]
            i, j = i + 1, j + 1
            continue
        while i < len(b1) and b1[i:i + 1] == b"0":
            i += 1
        while j < len(b2) and b2[j:j + 1] == b"0":
            j += 1
        nz1, nz2 = i, j
        while i < len(b1) and b1[i:i + 1].isdigit():
            i += 1
        while j < len(b2) and b2[j:j + 1].isdigit():
            j += 1
        if i - nz1 != j - nz2:
            return i - nz1 < j - nz2
        if b1[nz1:i] != b2[nz2:j]:
            return b1[nz1:i] < b2[nz2:j]
        if nz1 != nz2:
            return nz1 < nz2
    return len(b1) < len(b2)
