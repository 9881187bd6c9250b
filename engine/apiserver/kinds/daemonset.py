"""DaemonSet (apps/v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind

KIND = Kind("DaemonSet",
            "daemonsets",
            "daemonset",
            group="apps",
            shorts=('ds',),
            categories=('all',),
            schema="io.k8s.api.apps.v1.DaemonSet",
            describer='describe_daemonset',
            immutable=('spec.selector',),
            validate=validate.workload)
