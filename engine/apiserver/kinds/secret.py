"""Secret (v1, namespaced)."""
import base64

from engine.apiserver.kind import Kind


def defaults(cluster, obj: dict) -> None:
    """type Opaque; stringData is folded into data (base64) and not stored."""
    obj.setdefault("type", "Opaque")
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict):
        data = obj.setdefault("data", {})
        for k, v in string_data.items():
            data[k] = base64.b64encode(str(v).encode()).decode()


KIND = Kind("Secret",
            "secrets",
            "secret",
            schema="io.k8s.api.core.v1.Secret",
            describer="engine.kubectl.describe_core:describe_secret",
            defaults=defaults)
