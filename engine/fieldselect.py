"""Field selectors as the v1.20.2 API server evaluates them (`kubectl get --field-selector`).

The server parses `a=b,c!=d,e==f` (k8s.io/apimachinery/pkg/fields), sorts the terms, lets the
kind's field-label conversion accept or refuse each field (pkg/apis/*/v1*/conversion.go; kinds
without one accept only metadata.name and metadata.namespace), then matches every object's
selectable fields (pkg/registry/*/strategy.go GetAttrs). A field the conversion accepts but the
object does not carry reads as "", as in Go's fields.Set.
"""
from __future__ import annotations

from typing import Any, Callable

Obj = dict[str, Any]

META = ("metadata.name", "metadata.namespace")
_NOT_SUPPORTED = "field label not supported: {field}"
# kind -> (fields its conversion accepts, the refusal's wording)
CONVERSIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "Pod": (META + ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"), _NOT_SUPPORTED),
    "Node": (("metadata.name", "spec.unschedulable"), _NOT_SUPPORTED),
    "ReplicationController": (META + ("status.replicas",), _NOT_SUPPORTED),
    "Event": (("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
               "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
               "reportingComponent", "source", "type") + META, _NOT_SUPPORTED),
    "Namespace": (("status.phase", "metadata.name"), _NOT_SUPPORTED),
    "Secret": (("type",) + META, _NOT_SUPPORTED),
    "Job": (META + ("status.successful",), 'field label "{field}" not supported for batchv1.Job'),
    "CronJob": (META + ("status.successful",), 'field label "{field}" not supported for "CronJob"'),
}
RENAMED = {("Pod", "spec.host"): "spec.nodeName"}      # old v1 clients' name, still accepted


class FieldSelectorError(ValueError):
    """The API server refuses the selector (a BadRequest); the text is the server's message."""


def compile(kind: str, text: str) -> Callable[[Obj], bool]:
    """A predicate for `kind` objects, or FieldSelectorError as the server words it."""
    parsed = []                                  # every term is parsed before any field is converted
    for part in sorted(_split_terms(text)):
        if part:
            field, op, value = _split_term(text, part)
            parsed.append((field, op == "!=", _unescape(value)))
    terms = [(_convert(kind, field), negate, value) for field, negate, value in parsed]

    def matches(obj: Obj) -> bool:
        have = selectable_fields(kind, obj)
        return all((have.get(field, "") == value) != negate for field, negate, value in terms)
    return matches


def select(kind: str, objs: list[Obj], text: str) -> list[Obj]:
    if not text.strip():
        return objs
    match = compile(kind, text)
    return [o for o in objs if match(o)]


def selectable_fields(kind: str, obj: Obj) -> dict[str, str]:
    """GetAttrs: the fields of `obj` a selector can match, as strings."""
    md = obj.get("metadata") or {}
    out = {"metadata.name": md.get("name", ""), "metadata.namespace": md.get("namespace", "")}
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if kind == "Pod":
        ips = status.get("podIPs") or []
        out.update({"spec.nodeName": spec.get("nodeName", ""), "spec.restartPolicy": spec.get("restartPolicy", ""),
                    "spec.schedulerName": spec.get("schedulerName", ""),
                    "spec.serviceAccountName": spec.get("serviceAccountName", ""),
                    "status.phase": status.get("phase", ""), "status.podIP": ips[0].get("ip", "") if ips else "",
                    "status.nominatedNodeName": status.get("nominatedNodeName", "")})
    elif kind == "Event":
        involved = obj.get("involvedObject") or {}
        out.update({f"involvedObject.{k}": str(involved.get(k, "")) for k in
                    ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")})
        reporting = obj.get("reportingComponent", "")
        out.update({"reason": obj.get("reason", ""), "reportingComponent": reporting, "type": obj.get("type", ""),
                    "source": (obj.get("source") or {}).get("component") or reporting})
    elif kind == "Namespace":
        out.update({"status.phase": status.get("phase", ""), "name": md.get("name", "")})
    elif kind == "Node":
        out["spec.unschedulable"] = "true" if spec.get("unschedulable") else "false"
    elif kind == "Secret":
        out["type"] = obj.get("type", "")
    elif kind == "ReplicationController":
        out["status.replicas"] = str(status.get("replicas", 0))
    elif kind == "Job":
        out["status.successful"] = str(status.get("succeeded", 0))
    return {k: v if isinstance(v, str) else str(v) for k, v in out.items()}


def _convert(kind: str, field: str) -> str:
    """The kind's field-label conversion: the field to match, or the server's refusal."""
    if (kind, field) in RENAMED:
        return RENAMED[(kind, field)]
    accepted, refusal = CONVERSIONS.get(kind, (META, None))
    if field in accepted:
        return field
    if refusal is None:
        raise FieldSelectorError(f'"{field}" is not a known field selector: only "metadata.name", '
                                 '"metadata.namespace"')
    raise FieldSelectorError(refusal.format(field=field))


def _split_terms(text: str) -> list[str]:
    """Commas separate terms; a backslash-escaped comma is data."""
    terms, start, escaped = [], 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _split_term(selector: str, term: str) -> tuple[str, str, str]:
    """The first operator (`!=`, then `==`, then `=`) at the leftmost position splits the term."""
    for i in range(len(term)):
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    raise FieldSelectorError(f"invalid selector: '{selector}'; can't understand '{term}'")


def _unescape(value: str) -> str:
    if not any(c in value for c in "\\,="):
        return value
    out, escaped = [], False
    for ch in value:
        if escaped:
            if ch not in "\\,=":
                raise FieldSelectorError(f"invalid field selector: invalid escape sequence: \\{ch}")
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",=":
            raise FieldSelectorError(f"invalid field selector: unescaped character in value: {ord(ch)}")
        else:
            out.append(ch)
    if escaped:
        raise FieldSelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)
