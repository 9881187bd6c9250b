"""Issue 12's reproducers: manifests with ordinary typos are refused with the real client's or API
server's words, the sandbox is exactly as before, and it keeps working (get, wait, delete)."""
from __future__ import annotations

import pytest

from tests.test_bad_input import app, say, stored  # noqa: F401 - the fixture and helpers

QUANTITY = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
STOP = "; if you choose to ignore these errors, turn validation off with --validate=false"


def block(yaml_text: str, command: str = "!k apply -f -") -> str:
    return f"{command}\n```yaml\n{yaml_text}\n```"


def pod(resources: str) -> str:
    return block("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\nspec:\n  containers:\n  - name: c\n"
                 f"    image: nginx\n    resources: {resources}")


def deployment(container_extra: str = "", spec_extra: str = "") -> str:
    return block("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d1\nspec:\n"
                 f"  selector: {{matchLabels: {{app: d1}}}}\n  {spec_extra}\n  template:\n"
                 "    metadata: {labels: {app: d1}}\n    spec:\n      containers:\n      - name: c\n"
                 f"        image: nginx\n        {container_extra}")


def bad_quantity(kind: str, chain: str, value: str) -> str:
    return (f'Error from server (BadRequest): error when creating "STDIN": {kind} in version "v1" cannot be handled '
            f"as a {kind}: {chain}: unmarshalerDecoder: {QUANTITY}, error found in #10 byte of ...|{value}")


POD_CHAIN = "v1.Pod.Spec: v1.PodSpec.Containers: []v1.Container: v1.Container.Resources: v1.ResourceRequirements"
DEP_CHAIN = ("v1.Deployment.Spec: v1.DeploymentSpec.Template: v1.PodTemplateSpec.Spec: v1.PodSpec.Containers: "
             "[]v1.Container: v1.Container.Resources: v1.ResourceRequirements")
CASES = [
    (pod("{requests: {memory: 64MB}}"), bad_quantity("Pod", POD_CHAIN + ".Requests", 'ry":"64MB"}}}]}}|')),
    (pod("{requests: {memory: 1GB}}"), bad_quantity("Pod", POD_CHAIN + ".Requests", 'ory":"1GB"}}}]}}|')),
    (pod("{requests: {cpu: 0.5cores}}"), bad_quantity("Pod", POD_CHAIN + ".Requests", '"0.5cores"}}}]}}|')),
    (pod('{requests: {memory: "128 Mi"}}'), bad_quantity("Pod", POD_CHAIN + ".Requests", '":"128 Mi"}}}]}}|')),
    (deployment("resources: {limits: {cpu: abc}}"), bad_quantity("Deployment", DEP_CHAIN + ".Limits",
                                                                 'cpu":"abc"}}}]}}}}|')),
    (deployment(spec_extra="strategy: {rollingUpdate: {maxSurge: x}}"),
     'The Deployment "d1" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString'
     '{Type:1, IntVal:0, StrVal:"x"}: a valid percent string must be a numeric string followed by an ending \'%\' '
     "(e.g. '1%' or '93%', regex used for validation is '[0-9]+%')"),
    (block("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c1}"),
     'The PersistentVolumeClaim "c1" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is '
     "required\n* spec.resources[storage]: Required value"),
    (block("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c1}\nspec: oops"),
     'error: error validating "STDIN": error validating data: ValidationError(PersistentVolumeClaim.spec): invalid '
     'type for io.k8s.api.core.v1.PersistentVolumeClaimSpec: got "string", expected "map"' + STOP),
    (block("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: v1}\nspec: [1]"),
     'error: error validating "STDIN": error validating data: ValidationError(PersistentVolume.spec): invalid type '
     'for io.k8s.api.core.v1.PersistentVolumeSpec: got "array", expected "map"' + STOP),
    (block("apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: p}\nspec: [1]"),
     'error: error validating "STDIN": error validating data: ValidationError(PodSecurityPolicy.spec): invalid type '
     'for io.k8s.api.policy.v1beta1.PodSecurityPolicySpec: got "array", expected "map"' + STOP),
    (block("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\n"
           "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects:\n- kind: User\n"
           "  name: [1,2]"),
     'error: error validating "STDIN": error validating data: ValidationError(RoleBinding.subjects[0].name): invalid '
     'type for io.k8s.api.rbac.v1.Subject.name: got "array", expected "string"' + STOP),
    ("!k patch sa default -p '{\"metadata\": 1}'",
     'The request is invalid: patch: Invalid value: "map[metadata:1]": cannot restore struct from: int64'),
    ("!k expose deployment web --port=99999",
     'The Service "web" is invalid: \n* spec.ports[0].port: Invalid value: 99999: must be between 1 and 65535, '
     "inclusive\n* spec.ports[0].targetPort: Invalid value: 99999: must be between 1 and 65535, inclusive"),
] + [
    (block(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm}}\ndata: {{a: \"x{c}y\"}}"),
     "error: error parsing STDIN: error converting YAML to JSON: yaml: control characters are not allowed")
    for c in ("\x01", "\x0c", "\x00")
]


async def _still_works(app) -> None:
    for line in ("!k get all", "!k get psp", "!k get rolebinding -o wide", "!k get pv,pvc", "!wait 30s",
                 "!k describe deployment web", "!k get deploy web"):
        await say(app, line)
    text, ok = await say(app, "!k delete deployment web")
    assert ok and text == 'deployment.apps "web" deleted'


@pytest.mark.parametrize("line,expected", CASES, ids=[f"case{i}" for i in range(len(CASES))])
async def test_reproducer_is_refused_and_the_sandbox_keeps_working(app, line, expected):  # noqa: F811
    await say(app, "!k create deployment web --image=nginx")
    await say(app, "!wait 30s")
    before = await stored(app)
    text, ok = await say(app, line)
    assert not ok
    if expected.endswith("|"):              # json-iterator's byte context: the start is exact
        assert text.startswith(expected), text
    else:
        assert text == expected
    assert await stored(app) == before
    await _still_works(app)


async def test_edit_with_a_metadata_that_is_not_a_map(app):  # noqa: F811
    await say(app, "!k create deployment web --image=nginx")
    before = await stored(app)
    text, ok = await say(app, block("apiVersion: apps/v1\nkind: Deployment\nmetadata: x", "!k edit deploy web"))
    assert text == ('error: deployments.apps "web" was not valid:\n# * error validating data: '
                    "ValidationError(Deployment.metadata): invalid type for io.k8s.apimachinery.pkg.apis.meta.v1."
                    'ObjectMeta: got "string", expected "map"\nerror: Edit cancelled, no valid changes were saved.')
    assert await stored(app) == before
    await _still_works(app)


async def test_deep_flow_nesting_is_refused_at_once(app):  # noqa: F811
    import time
    start = time.monotonic()
    text, _ = await say(app, block("[" * 9950))
    assert text == "error: error parsing STDIN: the document is nested too deeply for this sandbox"
    assert time.monotonic() - start < 1


async def test_nested_aliases_are_measured_before_they_are_built(app):  # noqa: F811
    long = "x" * 300
    lines = [f"a: &a [{', '.join([long] * 50)}]"] + [
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]" for p, n in zip("ab", "bc")]
    text, _ = await say(app, block("\n".join(lines)))
    assert text == "error: error parsing STDIN: the document expands to more than 1024 KiB; this sandbox refuses " \
                   "possible YAML bombs"


def test_a_controller_that_fails_records_a_warning_and_skips_the_object(sb):
    """Defence in depth: an object the API server should have refused, stored behind its back."""
    sb.kubectl("create deployment web --image=nginx")
    dep = sb.cluster.get("Deployment", "default", "web")
    dep["spec"]["strategy"]["rollingUpdate"]["maxSurge"] = "x"
    sb.cluster.update(dep)
    sb.kubectl("create deployment other --image=nginx")
    sb.wait(30)
    events = [e for e in sb.cluster.list("Event") if e["involvedObject"]["name"] == "web" and e["type"] == "Warning"]
    assert [e["reason"] for e in events] == ["FailedSync"]
    assert sb.cluster.get("Deployment", "default", "other")["status"].get("readyReplicas") == 1
    assert sb.kubectl("delete deployment web")[0] == 'deployment.apps "web" deleted'
