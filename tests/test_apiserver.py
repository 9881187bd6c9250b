"""The API server's kind registry and schema: facts checked against the real 1.20.2 discovery
documents (copied into tests/fixtures/discovery), and the parts that must agree with each other."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.apiserver import errors, quantity, registry, schema
from engine.kubectl.errors import from_status

DISCOVERY = Path(__file__).parent / "fixtures" / "discovery"


def _discovered() -> dict[str, dict]:
    out = {}
    for name in ("api-v1.json", "apis-apps-v1.json"):
        doc = json.loads((DISCOVERY / name).read_text(encoding="utf-8"))
        for r in doc["resources"]:
            if "/" not in r["name"]:
                out[r["kind"]] = r
    return out


def test_kinds_match_the_discovery_documents():
    found = _discovered()
    checked = 0
    for kind in registry.KINDS.values():
        if kind.group not in ("", "apps"):
            continue
        r = found[kind.kind]
        assert (kind.plural, kind.namespaced, kind.shorts, kind.categories) == (
            r["name"], r["namespaced"], tuple(r.get("shortNames") or ()), tuple(r.get("categories") or ())), kind.kind
        checked += 1
    assert checked >= 13


def test_the_trimmed_schema_covers_every_registered_kind():
    """A new kind module with a schema needs `scripts/gen_openapi_schema.py` run again."""
    roots = {k.schema for k in registry.KINDS.values() if k.schema}
    assert roots <= set(schema.DEFS), "regenerate content/openapi/v1.20.2.json"


@pytest.mark.parametrize("text,error", [
    ("64MB", quantity.ERR_FORMAT), ("1GB", quantity.ERR_FORMAT), ("0.5cores", quantity.ERR_FORMAT),
    ("128 Mi", quantity.ERR_FORMAT), ("abc", quantity.ERR_FORMAT), ("", quantity.ERR_FORMAT),
    ("1mi", quantity.ERR_SUFFIX), ("1K", quantity.ERR_SUFFIX), ("1e", quantity.ERR_SUFFIX),
    ("1Mi", None), ("100m", None), ("0.5", None), ("1.", None), ("-1", None), ("+5Gi", None), ("1E", None),
    ("12e-3", None), ("0", None), ("1k", None), ("2Ti", None),
])
def test_quantity_grammar_is_apimachinerys(text, error):
    assert quantity.error(text) == error


def test_kubectl_words_status_errors_in_one_place():
    assert from_status(errors.not_found("pods", "x")).text == 'Error from server (NotFound): pods "x" not found'
    assert from_status(errors.too_large(), 'error when creating "f": ').text == (
        'Error from server: error when creating "f": etcdserver: request is too large')
    several = errors.invalid("Service", "s", ["a: b", "c: d"])
    assert several.message == 'Service "s" is invalid: [a: b, c: d]'
    assert from_status(several, 'error when creating "f": ').text == 'The Service "s" is invalid: \n* a: b\n* c: d'
    assert from_status(errors.invalid("", "", ["patch: x"])).text == "The request is invalid: patch: x"


def test_an_object_over_etcds_limit_is_refused(sb):
    """Behind the chat's own size limit, the server keeps etcd's (1.5 MiB serialized)."""
    from engine.apiserver import server
    from engine.apiserver.errors import StatusError
    big = "x" * (512 * 1024)
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big", "namespace": "default"},
           "data": {f"k{i}": big for i in range(3)}}
    with pytest.raises(StatusError) as err:
        server.create(sb.cluster, obj)
    assert err.value.message == "etcdserver: request is too large"
    assert sb.cluster.get("ConfigMap", "default", "big") is None


MODIFIED = "the object has been modified; please apply your changes to the latest version and try again"


def test_a_stale_resource_version_is_a_conflict(sb):
    sb.kubectl("create deployment web --image=nginx")
    saved, _ = sb.kubectl("get deployment web -o yaml")
    sb.kubectl("scale deployment web --replicas=2")          # someone else wrote since
    out, rc = sb.kubectl("replace -f -", saved)
    assert (out, rc) == ('Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled '
                         f'on deployments.apps "web": {MODIFIED}', 1)
    fresh, _ = sb.kubectl("get deployment web -o yaml")
    assert sb.kubectl("replace -f -", fresh.replace("replicas: 2", "replicas: 3", 1)) == (
        "deployment.apps/web replaced", 0)
    rv = sb.cluster.get("Deployment", "default", "web")["metadata"]["resourceVersion"]
    assert sb.kubectl("label deployment web a=b --resource-version=1") == (
        f'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "web": {MODIFIED}', 1)
    assert sb.kubectl(f"label deployment web a=b --resource-version={rv}") == ("deployment.apps/web labeled", 0)


def test_scale_and_label_write_through_the_server(sb):
    sb.kubectl("create deployment web --image=nginx")
    dep = sb.cluster.get("Deployment", "default", "web")
    assert dep["metadata"]["generation"] == 1
    sb.kubectl("scale deployment web --replicas=3")
    assert (dep["spec"]["replicas"], dep["metadata"]["generation"]) == (3, 2)
    sb.kubectl("label deployment web tier=front")
    assert dep["metadata"]["generation"] == 2            # metadata is not spec: no new generation


def test_secret_data_must_be_base64(sb):
    out, rc = sb.kubectl("apply -f -", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: not base64!\n")
    assert rc == 1 and out.startswith(
        'Error from server (BadRequest): error when creating "STDIN": Secret in version "v1" cannot be handled as a '
        "Secret: v1.Secret.Data: decode base64: illegal base64 data at input byte 3, error found in #10 byte of ...|")
    assert sb.cluster.get("Secret", "default", "s") is None
    assert sb.kubectl("apply -f -", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: YWJj\n") == (
        "secret/s created", 0)


def test_enumerations_are_the_servers(sb):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Sometimes\n  containers:\n"
           "  - name: c\n    image: nginx\n    imagePullPolicy: Maybe\n")
    assert sb.kubectl("apply -f -", pod) == (
        'The Pod "p" is invalid: \n'
        '* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"\n'
        '* spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", '
        '"IfNotPresent", "Never"', 1)
    dep = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {matchLabels: {a: b}}\n"
           "  template:\n    metadata: {labels: {a: b}}\n    spec:\n      restartPolicy: OnFailure\n"
           "      containers: [{name: c, image: nginx}]\n")
    assert sb.kubectl("apply -f -", dep) == (
        'The Deployment "d" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": '
        'supported values: "Always"', 1)
