"""Deployment (apps/v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind

KIND = Kind("Deployment",
            "deployments",
            "deployment",
            group="apps",
            shorts=('deploy',),
            categories=('all',),
            schema="io.k8s.api.apps.v1.Deployment",
            describer='describe_deployment',
            immutable=('spec.selector',),
            validate=validate.workload)
