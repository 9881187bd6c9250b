"""ServiceAccount (v1, namespaced)."""
from engine.apiserver.kind import Kind


def store(cluster, obj: dict) -> dict:
    """The token controller gives a new service account its token Secret."""
    cluster.create(obj)
    if not obj.get("secrets"):
        md = obj["metadata"]
        token = f"{md['name']}-token-{cluster.rng.suffix()}"
        obj["secrets"] = [{"name": token}]
        cluster.create({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                        "metadata": {"name": token, "namespace": md["namespace"],
                                     "annotations": {"kubernetes.io/service-account.name": md["name"]}},
                        "data": {"ca.crt": "", "namespace": "", "token": ""}})
    return obj


KIND = Kind("ServiceAccount",
            "serviceaccounts",
            "serviceaccount",
            shorts=('sa',),
            schema="io.k8s.api.core.v1.ServiceAccount",
            describer="engine.kubectl.describe_core:describe_serviceaccount",
            store=store)
