"""Field validation the API server runs after decoding (pkg/apis/*/validation), for the fields a
manifest typo reaches: resource quantities, int-or-percent strategies, volumes and claims."""
from __future__ import annotations

import re

from engine import quantity as q
from engine.validation import container_port, go_quote

STANDARD_RESOURCES = {"cpu", "memory", "ephemeral-storage", "storage"}
_PERCENT = re.compile(r"^[0-9]+%$")
PERCENT_MSG = ("a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%', "
               "regex used for validation is '[0-9]+%')")


def _d(value) -> dict:
    return value if isinstance(value, dict) else {}


def _text(value) -> str:
    return value if isinstance(value, str) else str(value)


def _amount(value) -> float:
    try:
        return q.parse(value)
    except (ValueError, TypeError):     # not a quantity: the decoder has refused it already
        return 0.0


def resources(path: str, res) -> list[str]:
    """ValidateResourceRequirements: standard names, non-negative, requests within limits."""
    errors = []
    res = _d(res)
    limits, requests = _d(res.get("limits")), _d(res.get("requests"))
    for group, values in (("limits", limits), ("requests", requests)):
        for name, value in values.items():
            where = f"{path}.{group}[{name}]"
            if name not in STANDARD_RESOURCES and "/" not in name and not name.startswith("hugepages-"):
                errors.append(f"{where}: Invalid value: {go_quote(name)}: must be a standard resource type or "
                              "fully qualified")
            elif _amount(value) < 0:
                errors.append(f"{where}: Invalid value: {go_quote(_text(value))}: must be greater than or equal to 0")
    for name, value in requests.items():
        if name in limits and _amount(value) > _amount(limits[name]):
            errors.append(f"{path}.requests: Invalid value: {go_quote(_text(value))}: must be less than or equal to "
                          f"{name} limit")
    return errors


def unsupported(path: str, value, supported: tuple[str, ...]) -> list[str]:
    """NotSupported: a value outside an enumeration (omitted values are defaulted, not checked)."""
    if value is None or value in supported:
        return []
    return [f"{path}: Unsupported value: {go_quote(_text(value))}: supported values: "
            + ", ".join(f'"{v}"' for v in supported)]


RESTART_POLICIES = ("Always", "OnFailure", "Never")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")


def pod_spec(path: str, spec, restart: tuple[str, ...] = RESTART_POLICIES) -> list[str]:
    """ValidatePodSpec's enumerations, container ports and resources. Workload templates may only
    restart Always."""
    spec = _d(spec)
    errors = unsupported(f"{path}.restartPolicy", spec.get("restartPolicy"), restart)
    errors += unsupported(f"{path}.dnsPolicy", spec.get("dnsPolicy"), DNS_POLICIES)
    for field in ("initContainers", "containers"):
        for i, c in enumerate(spec.get(field) or ()):
            if isinstance(c, dict):
                errors += unsupported(f"{path}.{field}[{i}].imagePullPolicy", c.get("imagePullPolicy"), PULL_POLICIES)
                for j, port in enumerate(c.get("ports") or ()):
                    value = _d(port).get("containerPort")
                    if isinstance(value, int):
                        errors += container_port(f"{path}.{field}[{i}].ports[{j}].containerPort", value)
                errors += resources(f"{path}.{field}[{i}].resources", c.get("resources"))
    return errors


def _go_intstr(value) -> str:
    if isinstance(value, str):
        return f'intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}'
    return f'intstr.IntOrString{{Type:0, IntVal:{value}, StrVal:""}}'


def int_or_percent(path: str, value) -> list[str]:
    """ValidatePositiveIntOrPercent (the value printed as Go's %#v of an IntOrString)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [] if _PERCENT.match(value) else [f"{path}: Invalid value: {_go_intstr(value)}: {PERCENT_MSG}"]
    if value < 0:
        return [f"{path}: Invalid value: {value}: must be greater than or equal to 0"]
    return []


def workload(obj: dict) -> list[str]:
    spec = _d(obj.get("spec"))
    errors = pod_spec("spec.template.spec", _d(spec.get("template")).get("spec"), ("Always",))
    strategy = _d(spec.get("strategy") or spec.get("updateStrategy"))
    field = "strategy" if "strategy" in spec else "updateStrategy"
    rolling = _d(strategy.get("rollingUpdate"))
    for key in ("maxUnavailable", "maxSurge"):
        if key in rolling:
            errors += int_or_percent(f"spec.{field}.rollingUpdate.{key}", rolling[key])
    kind_types = ("Recreate", "RollingUpdate") if obj.get("kind") == "Deployment" else ("OnDelete", "RollingUpdate")
    errors += unsupported(f"spec.{field}.type", strategy.get("type"), kind_types)
    return errors


def pod(obj: dict) -> list[str]:
    return pod_spec("spec", obj.get("spec"))


def claim(obj: dict) -> list[str]:
    spec = _d(obj.get("spec"))
    errors = []
    if not spec.get("accessModes"):
        errors.append("spec.accessModes: Required value: at least 1 access mode is required")
    if "storage" not in _d(_d(spec.get("resources")).get("requests")):
        errors.append("spec.resources[storage]: Required value")
    return errors + resources("spec.resources", spec.get("resources"))


VOLUME_SOURCES = ("hostPath", "nfs", "local", "csi", "iscsi", "rbd", "cephfs", "cinder", "fc", "flexVolume",
                  "awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile", "glusterfs", "flocker",
                  "vsphereVolume", "quobyte", "portworxVolume", "scaleIO", "storageos", "photonPersistentDisk")


def volume(obj: dict) -> list[str]:
    spec = _d(obj.get("spec"))
    errors = []
    if not spec.get("accessModes"):
        errors.append("spec.accessModes: Required value")
    capacity = _d(spec.get("capacity"))
    if not capacity:
        errors.append("spec.capacity: Required value")
    if "storage" not in capacity or len(capacity) > 1:
        shown = "core.ResourceList(nil)" if not capacity else "core.ResourceList{" + ", ".join(
            f'"{k}":resource.Quantity{{...}}' for k in sorted(capacity)) + "}"
        errors.append(f'spec.capacity: Unsupported value: {shown}: supported values: "storage"')
    if not any(spec.get(s) is not None for s in VOLUME_SOURCES):
        errors.append("spec: Required value: must specify a volume type")
    return errors


PROTOCOLS = ("SCTP", "TCP", "UDP")


def _port_number(path: str, value) -> list[str]:
    if isinstance(value, int) and not 1 <= value <= 65535:
        return [f"{path}: Invalid value: {value}: must be between 1 and 65535, inclusive"]
    return []


def service(obj: dict) -> list[str]:
    """validateServicePort for each port: its number, protocol and target (defaulted to the port)."""
    errors = unsupported("spec.type", _d(obj.get("spec")).get("type"),
                         ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"))
    for i, port in enumerate(_d(obj.get("spec")).get("ports") or ()):
        port = _d(port)
        errors += _port_number(f"spec.ports[{i}].port", port.get("port"))
        errors += unsupported(f"spec.ports[{i}].protocol", port.get("protocol"), PROTOCOLS)
        target = port.get("targetPort") or port.get("port")
        errors += _port_number(f"spec.ports[{i}].targetPort", target)
    return errors
