"""The shape of a lab check (see bot/labs/checks.py for what each one means): its subjects, the
assertions each subject takes, and `validate`, which names every mistake with where it is.
"""
from __future__ import annotations

from typing import Any, Callable

from bot.labs import evidence as ev
from engine.kubectl import selectors
from engine.kubectl.errors import KubectlError
from engine.kubectl.resources import resolve

SUBJECTS = ("object", "absent", "pods", "services", "host", "did", "any")
POD_FILTERS = {"selector", "namespace", "prefix", "node", "status", "new", "fresh", "image"}
SERVICE_FILTERS = {"namespace", "type", "prefix", "external_ip"}
SERVICE_STATES = ("running", "stopped")
WORKERS = ("w1-k8s", "w2-k8s", "w3-k8s")
NODES = ("m-k8s",) + WORKERS


# -- validation ------------------------------------------------------------------------------------

def _is(kind: type | tuple) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, kind) and not (kind is int and isinstance(v, bool))


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _str_or_list(v) -> bool:
    return isinstance(v, str) or (isinstance(v, list) and v and all(isinstance(x, str) for x in v))


def _node_list(v) -> bool:
    return isinstance(v, list) and v and all(x in NODES for x in v)


OBJECT_ASSERTIONS: dict[str, Callable[[Any], bool]] = {
    "namespace": _is(str), "exists": _is(bool), "status": _str_or_list,
    "replicas": _count, "ready_replicas": _count, "updated_replicas": _count, "available_replicas": _count,
    "type": _is(str), "external_ip": lambda v: isinstance(v, (bool, str)), "node_port": _is(bool),
    "cluster_ip": _is(str), "endpoints": _count, "image": _is(str), "on_worker": _is(bool),
    "node": lambda v: v in NODES, "version": _is(str), "volume": _is(str), "recreated": _is(bool),
    "fresh": _is(bool), "port": _count, "target_port": _count,
}
POD_ASSERTIONS: dict[str, Callable[[Any], bool]] = {
    "count": _count, "min": _count, "max": _count, "running": _is(bool), "nodes": _node_list,
    "spread": _count, "replaced": _is(bool),
}
COUNT_ASSERTIONS: dict[str, Callable[[Any], bool]] = {"count": _count, "min": _count, "max": _count}
HOST_ASSERTIONS: dict[str, Callable[[Any], bool]] = {
    "kubelet": lambda v: v in SERVICE_STATES, "docker": lambda v: v in SERVICE_STATES,
    "kubelet_version": _is(str), "control_plane": _is(str),
}
DID_ASSERTIONS: dict[str, Callable[[Any], bool]] = {
    **COUNT_ASSERTIONS, "since": lambda v: v in ("lab", "step"), "what": _is(str),
}


def ref(text: Any) -> tuple[str, str] | None:
    """`deployment/chk-hn` -> ("Deployment", "chk-hn"), with kubectl's names and short names."""
    if not isinstance(text, str) or text.count("/") != 1:
        return None
    kind, name = text.split("/")
    try:
        return resolve(kind).kind, name
    except KubectlError:
        return None


def validate(check: Any, where: str = "check") -> list[str]:
    """Every problem with one check (or a list of them), each naming `where`."""
    if isinstance(check, list):
        if not check:
            return [f"{where}: an empty list of checks"]
        return [e for i, c in enumerate(check, 1) for e in validate(c, f"{where}[{i}]")]
    if not isinstance(check, dict):
        return [f"{where}: a check is a mapping, got {type(check).__name__}"]
    subjects = [k for k in check if k in SUBJECTS]
    if len(subjects) != 1:
        return [f"{where}: needs exactly one of {', '.join(SUBJECTS)} (got {', '.join(map(str, check)) or 'nothing'})"]
    subject = subjects[0]
    rest = {k: v for k, v in check.items() if k != subject}
    if subject == "any":
        if rest:
            return [f"{where}: unknown key(s) beside any: {', '.join(map(str, rest))}"]
        if not isinstance(check["any"], list) or len(check["any"]) < 2:
            return [f"{where}: any: takes a list of at least two checks"]
        return validate(check["any"], f"{where}.any")
    allowed = {"object": OBJECT_ASSERTIONS, "absent": {"namespace": _is(str)}, "pods": POD_ASSERTIONS,
               "services": COUNT_ASSERTIONS, "host": HOST_ASSERTIONS, "did": DID_ASSERTIONS}[subject]
    errors = [f"{where}: unknown key {k!r} for {subject}: (known: {', '.join(sorted(allowed))})"
              for k in rest if k not in allowed]
    errors += [f"{where}: bad value for {k}: {v!r}" for k, v in rest.items() if k in allowed and not allowed[k](v)]
    if subject in ("object", "absent") and ref(check[subject]) is None:
        errors.append(f"{where}: {subject}: wants KIND/NAME with a known kind, got {check[subject]!r}")
    if subject == "host" and check["host"] not in NODES:
        errors.append(f"{where}: host: must be one of {', '.join(NODES)}, got {check['host']!r}")
    if subject == "pods":
        errors += _validate_pod_filter(check["pods"], where)
    if subject == "services":
        errors += _validate_service_filter(check["services"], where)
    if subject == "did":
        errors += ev.validate_did(check["did"], where)
    if subject not in ("absent", "did") and not (rest.keys() - {"namespace"}):
        errors.append(f"{where}: {subject}: asserts nothing")
    return errors


def _validate_pod_filter(spec: Any, where: str) -> list[str]:
    if not isinstance(spec, dict):
        return [f"{where}: pods: takes a mapping of filters ({', '.join(sorted(POD_FILTERS))})"]
    errors = [f"{where}: unknown pods filter {k!r} (known: {', '.join(sorted(POD_FILTERS))})"
              for k in spec if k not in POD_FILTERS]
    if "selector" in spec:
        try:
            selectors.parse(str(spec["selector"]))
        except KubectlError:
            errors.append(f"{where}: pods: bad selector {spec['selector']!r}")
    if "node" in spec and spec["node"] not in NODES:
        errors.append(f"{where}: pods: unknown node {spec['node']!r}")
    if "status" in spec and not _str_or_list(spec["status"]):
        errors.append(f"{where}: pods: status is a word or a list of words")
    errors += [f"{where}: pods: {k} is true or false" for k in ("new", "fresh") if k in spec
               and not isinstance(spec[k], bool)]
    if "image" in spec and not isinstance(spec["image"], str):
        errors.append(f"{where}: pods: image is a word")
    return errors


def _validate_service_filter(spec: Any, where: str) -> list[str]:
    if not isinstance(spec, dict):
        return [f"{where}: services: takes a mapping of filters ({', '.join(sorted(SERVICE_FILTERS))})"]
    return [f"{where}: unknown services filter {k!r} (known: {', '.join(sorted(SERVICE_FILTERS))})"
            for k in spec if k not in SERVICE_FILTERS]
