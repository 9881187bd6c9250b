"""ComponentStatus (v1, cluster-scoped, deprecated in 1.19): not stored, the API server probes the
scheduler, the controller-manager and etcd when it is listed.

kubeadm 1.20 runs kube-scheduler and kube-controller-manager with `--port=0`, so their insecure
health ports (10251, 10252) refuse the probe and both read Unhealthy on every real lab cluster,
while they work perfectly well; etcd answers its health check.
"""
from engine.apiserver.kind import Kind

PROBES = (("scheduler", 10251), ("controller-manager", 10252))


def _condition(healthy: bool, message: str, error: str = "") -> dict:
    cond = {"type": "Healthy", "status": "True" if healthy else "False", "message": message}
    if error:
        cond["error"] = error
    return cond


def read(cluster) -> list[dict]:
    items = []
    for name, port in PROBES:
        error = f'Get "http://127.0.0.1:{port}/healthz": dial tcp 127.0.0.1:{port}: connect: connection refused'
        items.append((name, _condition(False, error)))
    items.append(("etcd-0", _condition(True, '{"health":"true"}')))
    return [{"apiVersion": "v1", "kind": "ComponentStatus", "metadata": {"name": name, "creationTimestamp": None},
             "conditions": [cond]} for name, cond in items]


def _cell(field: str):
    """printComponentStatus: the Healthy condition's status, message and error."""
    def cell(obj: dict, now: float) -> str:
        cond = next((c for c in obj.get("conditions") or () if c.get("type") == "Healthy"), {})
        if field == "status":
            return {"True": "Healthy", "False": "Unhealthy"}.get(cond.get("status"), "Unknown")
        return cond.get(field, "")
    return cell


COLUMNS = ([("NAME", lambda o, n: o["metadata"]["name"]), ("STATUS", _cell("status")),
            ("MESSAGE", _cell("message")), ("ERROR", _cell("error"))], [])

KIND = Kind("ComponentStatus",
            "componentstatuses",
            "componentstatus",
            namespaced=False,
            shorts=('cs',),
            stored=False,
            read=read,
            warning="Warning: v1 ComponentStatus is deprecated in v1.19+",
            columns="engine.apiserver.kinds.componentstatus:COLUMNS")
