"""The API server: the one door to stored objects.

kubectl verbs are its clients: they build a request (an object, or a live object and the merged
result) and call `create`, `update` or `delete` here; what the server refuses comes back as a typed
StatusError (engine/apiserver/errors.py), worded for kubectl in one place
(engine/kubectl/errors.py: from_status). Everything a real API server does on a write lives here:
decoding against the schema, defaulting, field validation (kind modules' hooks), immutable fields,
namespace admission, name uniqueness, the etcd size limit, generation and resourceVersion.
"""
from __future__ import annotations

import copy
import logging

from engine import netplan, validation
from engine.apiserver import errors as status, limits, registry, schema
from engine.cluster import MAX_OBJECTS, Cluster, TooManyObjects

SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation", "selfLink", "managedFields",
                 "deletionTimestamp", "deletionGracePeriodSeconds")
GENERATION_KINDS = ("Deployment", "ReplicaSet", "DaemonSet")
log = logging.getLogger(__name__)


def _group_kind(kind: str) -> str:
    declared = registry.get(kind)
    return kind if declared is None else declared.group_kind


def create(cluster: Cluster, obj: dict) -> dict:
    """POST: validate, admit into the namespace, refuse duplicates, default, store."""
    admit(cluster, obj)
    defaults(cluster, obj)
    limits.check_size(obj)
    try:
        return _store(cluster, obj)
    except TooManyObjects:
        raise too_many()


def admit(cluster: Cluster, obj: dict) -> None:
    """Everything a create checks before it stores (a client may ask first, as dry-run=server does)."""
    kind = obj["kind"]
    declared = registry.get(kind)
    md = obj["metadata"]
    name, namespace = md.get("name") or "", md.get("namespace", "")
    for field in SERVER_FIELDS:
        md.pop(field, None)
    obj.pop("status", None)
    errs = decode(obj) + field_errors(obj)
    if errs:
        raise status.invalid(_group_kind(kind), name, errs)
    qualified = declared.qualified if declared else kind.lower() + "s"
    if declared is None or declared.namespaced:
        ns_obj = cluster.get("Namespace", "", namespace)
        if ns_obj is None:
            raise status.not_found("namespaces", namespace)
        if (ns_obj.get("status") or {}).get("phase") == "Terminating":
            raise status.forbidden(qualified, name, f"unable to create new content in namespace {namespace} because "
                                   "it is being terminated")
    if cluster.get(kind, namespace, name) is not None:
        raise status.already_exists(qualified, name)


def too_many() -> status.StatusError:
    return status.StatusError("Forbidden", 403, f"exceeded quota: sandbox, this sandbox holds at most {MAX_OBJECTS} "
                              "objects; delete some (or !reset) first")


SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation", "selfLink", "managedFields",
                 "deletionTimestamp", "deletionGracePeriodSeconds")


def defaults(cluster: Cluster, obj: dict) -> dict:
    """Defaults the API server fills in (idempotent: applied to new and updated objects alike)."""
    decode(obj)                 # a body of the wrong shape is refused before anything reads it
    declared = registry.get(obj["kind"])
    if declared is not None and declared.defaults is not None:
        declared.defaults(cluster, obj)
    return obj


def _go_map(labels: dict | None) -> str:
    if not labels and labels != {}:
        return "map[string]string(nil)"
    inner = ", ".join(f'"{k}":"{v}"' for k, v in sorted((labels or {}).items()))
    return f"map[string]string{{{inner}}}"


def _go_selector(sel: dict) -> str:
    return (f"v1.LabelSelector{{MatchLabels:{_go_map(sel.get('matchLabels'))}, "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}")


def field_errors(obj: dict) -> list[str]:
    """Field validation the API server does on create (names, images, selectors)."""
    kind = obj["kind"]
    md = obj["metadata"]
    name = md.get("name") or ""
    if not name:
        return ["metadata.name: Required value: name or generateName is required"]
    declared = registry.get(kind)
    rule = declared.name_rule if declared else "subdomain"
    # RBAC names are path segments (`metallb-system:controller`): any name the URL can carry
    errors = [] if rule == "path" else getattr(validation, rule)("metadata.name", name)
    errors += validation.object_meta_labels("metadata.labels", md.get("labels"))
    errors += validation.annotations("metadata.annotations", md.get("annotations"))
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if kind == "Service" and spec.get("type", "ClusterIP") != "ExternalName" and not spec.get("ports") \
            and spec.get("clusterIP") != "None":
        errors.append("spec.ports: Required value")
    if kind == "Pod":
        errors += _container_errors("spec", spec)
    elif kind in GENERATION_KINDS:
        template = spec.get("template") or {}
        if isinstance(spec.get("selector"), dict):
            errors += validation.object_meta_labels("spec.selector.matchLabels", spec["selector"].get("matchLabels"))
        errors += validation.object_meta_labels("spec.template.metadata.labels",
                                                (template.get("metadata") or {}).get("labels"))
        errors += _container_errors("spec.template.spec", template.get("spec") or {})
        selector = (spec.get("selector") or {}).get("matchLabels") or {}
        labels = (template.get("metadata") or {}).get("labels")
        if spec.get("selector") is None:
            errors.append("spec.selector: Required value")
        elif not selector and not (spec.get("selector") or {}).get("matchExpressions"):
            # ReplicaSet validation really says "for deployment" (copied code in the API server)
            errors.append(f"spec.selector: Invalid value: {_go_selector({'matchLabels': None})}: empty selector is "
                          f"invalid for {'daemonset' if kind == 'DaemonSet' else 'deployment'}")
        elif any((labels or {}).get(k) != v for k, v in selector.items()):
            errors.append(f"spec.template.metadata.labels: Invalid value: {_go_map(labels)}: "
                          "`selector` does not match template `labels`")
        if isinstance(spec.get("replicas"), int) and spec["replicas"] < 0:
            errors.append(f"spec.replicas: Invalid value: {spec['replicas']}: must be greater than or equal to 0")
    if declared is not None and declared.validate is not None:
        errors += declared.validate(obj)
    return errors


def _container_errors(path: str, spec: dict) -> list[str]:
    errors = []
    containers = spec.get("containers") or []
    if not containers:
        errors.append(f"{path}.containers: Required value")
    for i, c in enumerate(containers):
        if not isinstance(c, dict):
            continue
        if not c.get("name"):
            errors.append(f"{path}.containers[{i}].name: Required value")
        else:
            errors += validation.label(f"{path}.containers[{i}].name", str(c["name"]))
        if not c.get("image"):
            errors.append(f"{path}.containers[{i}].image: Required value")
    return errors


def _store(cluster: Cluster, obj: dict) -> dict:
    declared = registry.get(obj["kind"])
    if declared is not None and declared.store is not None:
        return declared.store(cluster, obj)
    return cluster.create(obj)


def decode(obj: dict) -> list[str]:
    """The body as the API server reads it (kubectl may not have validated it: --validate=false,
    patch, edit): unknown fields dropped, a wrong type refused (BadRequest), missing required
    fields returned as field errors."""
    kind = registry.get(obj["kind"])
    if kind is None or not kind.schema:
        return []
    try:
        return schema.decode(obj, kind.schema)
    except schema.DecodeError as exc:
        raise status.cannot_decode(obj["kind"], str(obj.get("apiVersion", "v1")), str(exc))


def prepare_update(live: dict, new: dict) -> None:
    """PrepareForUpdate: status is kept from the live object; the kind keeps what PUT may omit."""
    if "status" in live:
        new["status"] = copy.deepcopy(live["status"])
    declared = registry.get(live["kind"])
    if declared is not None and declared.prepare_update is not None and isinstance(new.get("spec"), dict):
        declared.prepare_update(live, new)


def validate_update(live: dict, merged: dict) -> None:
    """PUT/PATCH: decoding, immutable fields, then the kind's own rules, as the API server refuses them."""
    kind, name = live["kind"], live["metadata"]["name"]
    declared = registry.get(kind)
    sent = (merged.get("metadata") or {}).get("resourceVersion") if isinstance(merged.get("metadata"), dict) else None
    if sent and sent != live["metadata"].get("resourceVersion"):       # optimistic concurrency
        raise status.conflict(declared.qualified if declared else kind.lower() + "s", name,
                              "the object has been modified; please apply your changes to the latest version and "
                              "try again")
    errs = decode(merged)
    changed = [path for path in (declared.immutable if declared else ()) if _at(merged, path) != _at(live, path)
               and not (path == "spec.selector" and _at(merged, path) is None)]
    for path in changed:
        errs.append(f"{path}: Invalid value: {_shown(_at(merged, path))}: field is immutable")
    if declared is not None and not changed:
        errs += [e for e in field_errors(merged) if not e.startswith("metadata.name")]
    if declared is not None and declared.validate_update is not None:
        errs += declared.validate_update(live, merged)
    if errs:
        raise status.invalid(_group_kind(kind), name, errs)


def _at(obj: dict, path: str):
    for key in path.split("."):
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _shown(value) -> str:
    """How field.Invalid prints a value: a selector as Go's %#v, a string quoted."""
    if isinstance(value, dict):
        return _go_selector(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):         # a number prints bare (%v), as a Job's completions
        return str(value)
    return validation.go_quote("" if value is None else str(value))


def delete(cluster: Cluster, obj: dict, *, grace: int | None = None, force: bool = False) -> float | None:
    """DELETE: any stored object can always be deleted. Returns seconds until it is gone (0: at
    once; None: it stays Terminating until its node confirms)."""
    declared = registry.get(obj["kind"])
    if declared is not None and declared.delete is not None:
        try:
            return declared.delete(cluster, obj, grace, force)
        except status.StatusError:
            raise
        except Exception:       # noqa: BLE001 - an object stored before validation: removed outright
            log.exception("delete hook failed on %s %s", obj["kind"], obj["metadata"].get("name"))
    if cluster.get(obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"]) is obj:
        cluster.remove(obj)
    return 0.0


def change(cluster: Cluster, live: dict, edit) -> bool:
    """PUT of `live` changed by `edit(copy)` (label, annotate, scale, cordon): validated as any update;
    False when nothing changed."""
    new = copy.deepcopy(live)
    edit(new)
    if new == live:
        return False
    validate_update(live, new)
    update(cluster, live, new)
    return True


def update(cluster: Cluster, live: dict, merged: dict) -> None:
    """Store the merged object in place (controllers hold the same dict)."""
    kind = live["kind"]
    if kind == "Service":
        _service_ports(cluster, live, merged)
    if kind in GENERATION_KINDS and merged.get("spec") != live.get("spec"):
        merged["metadata"]["generation"] = live["metadata"].get("generation", 1) + 1
    if kind == "Pod":
        _pod_images_changed(cluster, live, merged)
    limits.check_size(merged)
    live.clear()
    live.update(merged)
    cluster.update(live)


def _service_ports(cluster: Cluster, live: dict, merged: dict) -> None:
    spec = merged.setdefault("spec", {})
    wants_node_ports = spec.get("type") in ("NodePort", "LoadBalancer")
    for port in spec.get("ports") or ():
        if wants_node_ports and not port.get("nodePort"):
            port["nodePort"] = netplan.allocate_node_port(cluster)
        elif not wants_node_ports and port.get("nodePort"):
            if port["nodePort"] in cluster.meta["nodeports"]:
                cluster.meta["nodeports"].remove(port["nodePort"])
            del port["nodePort"]
    if not wants_node_ports:
        spec.pop("externalTrafficPolicy", None)
    elif "externalTrafficPolicy" not in spec:
        spec["externalTrafficPolicy"] = "Cluster"


def _pod_images_changed(cluster: Cluster, live: dict, merged: dict) -> None:
    """A new image on a running pod: the kubelet restarts that container (a restart is counted)."""
    old = {c["name"]: c.get("image") for c in live["spec"].get("containers") or ()}
    for c in (merged.get("spec") or {}).get("containers") or ():
        if old.get(c.get("name")) not in (None, c.get("image")):
            node = merged["spec"].get("nodeName")
            if node:
                cluster.event(live, "Killing", f"Container {c['name']} definition changed, will be restarted",
                                  "kubelet", host=node, field_path=f"spec.containers{{{c['name']}}}")
                for st in (merged.get("status") or {}).get("containerStatuses") or ():
                    if st.get("name") == c["name"]:
                        st["restartCount"] = st.get("restartCount", 0) + 1
                        st["image"] = c["image"]


