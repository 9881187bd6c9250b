"""Event (v1, namespaced)."""
from engine.apiserver.kind import Kind


KIND = Kind("Event",
            "events",
            "event",
            shorts=('ev',),
            schema="io.k8s.api.core.v1.Event")
