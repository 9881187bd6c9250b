"""pod-template-hash against dumps and ReplicaSet names from a real v1.20.2 controller."""

import copy
import json
import random
from pathlib import Path

import pytest

from engine.podhash import canonical_quantity, create_deployment_template, pod_template_hash, template_dump
from engine.rng import Rng

FIXTURES = Path(__file__).parent / "fixtures" / "podhash"
VECTORS = sorted(p.name[: -len(".deploy.json")] for p in FIXTURES.glob("*.deploy.json"))
_DIGIT = {c: str(d) for d, c in enumerate("456789bcdf")}  # SafeEncodeString of the digits 0-9, inverted


def template(name, images, port=None):
    return create_deployment_template(name, images, port, rng=Rng(7))


def load(name):
    deploy = json.loads((FIXTURES / f"{name}.deploy.json").read_text(encoding="utf-8"))
    text = (FIXTURES / f"{name}.dump.txt").read_text(encoding="utf-8")
    head, rest = text.split("-----BEGIN DUMP-----\n")
    dump, tail = rest.split("\n-----END DUMP-----\n")
    meta = dict(line.split(": ", 1) for line in (head + tail).splitlines() if ": " in line)
    assert len(dump.encode("utf-8")) == int(meta["dump-bytes"])
    return deploy, dump, meta


def test_eight_vectors_present():
    assert len(VECTORS) == 8


@pytest.mark.parametrize("name", VECTORS)
def test_dump_byte_for_byte(name):
    deploy, dump, _ = load(name)
    assert template_dump(deploy["spec"]["template"]) == dump


@pytest.mark.parametrize("name", VECTORS)
def test_hash_matches_controller(name):
    deploy, _, meta = load(name)
    cc = deploy["status"].get("collisionCount")
    assert meta["collisionCount"] == ("nil" if cc is None else str(cc))
    h = pod_template_hash(deploy["spec"]["template"], cc)
    assert h == meta["hash"]
    assert f"{deploy['metadata']['name']}-{h}" == meta["rs-name"]
    assert "".join(_DIGIT[c] for c in h) == meta["fnv32a"]


def test_collision_count_branches():
    tmpl = load("coll")[0]["spec"]["template"]
    assert pod_template_hash(tmpl, 1) == "b985949cd"
    assert pod_template_hash(tmpl) == "6499b66959"  # seen when the status PUT failed
    assert pod_template_hash(tmpl, 0) != pod_template_hash(tmpl)  # 0 still adds 8 bytes


# kubectl-output.md §5: `kubectl create deployment NAME --image=IMG` on a real 1.20.2 cluster.
CREATE_DEPLOYMENT_RS = [
    ("nginx", "nginx", "nginx-6799fc88d8"),
    ("nginx-deployment", "nginx", "nginx-deployment-84cd76b964"),
    ("nginx-deploy", "nginx", "nginx-deploy-8588f9dfb"),
    ("deploy-nginx", "nginx", "deploy-nginx-8458f6dbbb"),
    ("web", "nginx", "web-96d5df5c8"),
    ("webapp", "nginx", "webapp-5654c984c"),
    ("my-dep", "nginx", "my-dep-5b7868d854"),
    ("mydep", "nginx", "mydep-6c9b5989cc"),
    ("myapp", "nginx", "myapp-6d8d776547"),
    ("my-app", "nginx", "my-app-58cbb9b58d"),
    ("app", "nginx", "app-65f6b9d4d9"),
    ("frontend", "nginx", "frontend-cdc94dfcb"),
    ("backend", "nginx", "backend-7bc947c4cb"),
    ("test", "nginx", "test-5f6778868d"),
    ("demo", "nginx", "demo-997c454df"),
    ("hello", "nginx", "hello-759bc6d956"),
    ("my-deployment", "nginx", "my-deployment-57d86476b6"),
    ("dep1", "nginx", "dep1-555947d676"),
    ("deploy1", "nginx", "deploy1-5799f5869d"),
    ("x", "nginx", "x-6cc8787776"),
    ("redis", "redis", "redis-6749d7bd65"),
    ("httpd", "httpd", "httpd-757fb56c8d"),
    ("busybox", "busybox", "busybox-6cf8756958"),
    ("nginx1142", "nginx:1.14.2", "nginx1142-55dc4ffcf6"),
    ("nginxalpine", "nginx:alpine", "nginxalpine-57c8c8d65d"),
    ("nginx116", "nginx:1.16", "nginx116-5449c6d594"),
    ("nginx117", "nginx:1.17", "nginx117-55b5f7894"),
    ("nginx118", "nginx:1.18", "nginx118-7d5655bd58"),
    ("nginx119", "nginx:1.19", "nginx119-76fd76d8c8"),
    ("nginx120", "nginx:1.20", "nginx120-565f8c57c4"),
    # the README vectors that were made with `kubectl create deployment`
    ("chk-hn", "sysnet4admin/chk-hn", "chk-hn-595c5b45"),
    ("web", "nginx:1.15.12", "web-676b7bd4d4"),
]


@pytest.mark.parametrize("name,image,rs", CREATE_DEPLOYMENT_RS)
def test_create_deployment_rs_names(name, image, rs):
    assert f"{name}-{pod_template_hash(template(name, [image]))}" == rs


@pytest.mark.parametrize("name", ["deploy-nginx", "chk-hn", "web"])
def test_create_deployment_template_equals_stored(name):
    deploy, _, _ = load(name)
    image = deploy["spec"]["template"]["spec"]["containers"][0]["image"]
    assert template(name, [image]) == deploy["spec"]["template"]


def test_set_image_keeps_pull_policy():
    # `set image` changes only the image; the defaulted imagePullPolicy (Always) stays.
    tmpl = template("deploy-nginx", ["nginx"])
    tmpl["spec"]["containers"][0]["image"] = "nginx:1.19"
    assert pod_template_hash(tmpl) == "9c68cd987"
    coll = template("coll", ["nginx"])
    coll["spec"]["containers"][0]["image"] = "nginx:1.19"
    assert coll == load("coll")[0]["spec"]["template"]


def test_create_deployment_builder_details():
    t = template("d", ["reg.example.com:5000/team/app:v2", "busybox@sha256:abc", "localhost:5000/x"],
                                   port=8080)
    c = t["spec"]["containers"]
    assert [x["name"] for x in c] == ["app", "busybox", "x"]
    assert [x["imagePullPolicy"] for x in c] == ["IfNotPresent", "IfNotPresent", "Always"]
    assert c[0]["ports"] == [{"containerPort": 8080, "protocol": "TCP"}] and "ports" not in c[1]
    assert "ContainerPort:(int32)8080 Protocol:(v1.Protocol)TCP" in template_dump(t)
    assert template("d", ["nginx:latest"])["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    dotted = template("d", ["my_app.v1"])["spec"]["containers"][0]["name"]
    assert dotted.startswith("my-app-v1-") and len(dotted) == len("my-app-v1-") + 5


def test_res_test_from_user_yaml_quantities():
    # res-test.yaml as written by the user ("0.25", "0.125Gi"), with the API server's
    # defaults added: the quantities must canonicalise to 250m / 128Mi before hashing.
    tmpl = template("res-test", ["nginx:1.19"], port=80)
    tmpl["metadata"] = {"annotations": {"note": "x y"}, "creationTimestamp": None,
                        "labels": {"app": "res-test", "tier": "b"}}
    c = tmpl["spec"]["containers"][0]
    c.update(name="c1", command=["sh", "-c"], args=["sleep 3600"],
             env=[{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
             resources={"limits": {"memory": "1Gi", "cpu": "1"}, "requests": {"memory": "0.125Gi", "cpu": "0.25"}})
    assert pod_template_hash(tmpl) == "5cc7dbcd57"


@pytest.mark.parametrize("given,stored", [
    ("0.25", "250m"), ("0.125Gi", "128Mi"), ("1", "1"), ("250m", "250m"), ("1Gi", "1Gi"), ("128Mi", "128Mi"),
    ("1000", "1k"), ("1.5Gi", "1536Mi"), ("1024Ki", "1Mi"), ("100Ki", "100Ki"), ("0.5", "500m"), ("1e3", "1e3"),
    ("0.0000000001", "1n"), ("0", "0"), (2, "2"),
])
def test_canonical_quantity(given, stored):
    assert canonical_quantity(given) == stored


def test_quantity_cached_string_rule():
    res = {"requests": {"memory": "128Mi", "cpu": "250m"}, "limits": {"memory": "170Mi"}}
    tmpl = template("q", ["nginx"])
    tmpl["spec"]["containers"][0]["resources"] = res
    dump = template_dump(tmpl)
    assert "memory:{i:(resource.int64Amount){value:(int64)134217728 scale:(resource.Scale)0} d:(resource.infDecAmount)" \
           "{Dec:(*inf.Dec)<nil>} s:(string) Format:(resource.Format)BinarySI}" in dump
    assert "s:(string)170Mi Format" in dump and "s:(string)250m Format" in dump


def test_empty_collections_are_nil_and_empty_pointer_structs_are_not():
    base = template("e", ["nginx"])
    empty = copy.deepcopy(base)
    empty["metadata"]["annotations"] = {}
    empty["spec"]["containers"][0].update(env=[], command=[])
    assert template_dump(empty) == template_dump(base)
    no_sc = copy.deepcopy(base)
    del no_sc["spec"]["securityContext"]
    assert "SecurityContext:(*v1.PodSecurityContext)<nil> ImagePullSecrets" in template_dump(no_sc)
    assert pod_template_hash(no_sc) != pod_template_hash(base)


def test_intorstring_and_probe_defaults_print():
    tmpl = template("p", ["nginx"])
    tmpl["spec"]["containers"][0]["livenessProbe"] = {
        "httpGet": {"path": "/", "port": "http", "scheme": "HTTP"},
        "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    dump = template_dump(tmpl)
    assert ("LivenessProbe:(*v1.Probe){Handler:(v1.Handler){Exec:(*v1.ExecAction)<nil> HTTPGet:(*v1.HTTPGetAction)"
            "{Path:(string)/ Port:(intstr.IntOrString){Type:(intstr.Type)1 IntVal:(int32)0 StrVal:(string)http} "
            "Host:(string) Scheme:(v1.URIScheme)HTTP HTTPHeaders:([]v1.HTTPHeader)<nil>}") in dump


def test_non_null_timestamp_is_rejected():
    tmpl = template("t", ["nginx"])
    tmpl["metadata"]["creationTimestamp"] = "2021-01-01T00:00:00Z"
    with pytest.raises(ValueError):
        template_dump(tmpl)


def test_uniquified_container_names_come_from_the_sandbox_rng_only():
    """`my_app.v1` gets kubectl's random suffix from the given RNG: same seed, same name; global random untouched."""
    random.seed(12345)
    before = random.getstate()
    names = [create_deployment_template("d", ["my_app.v1"], rng=Rng(seed))["spec"]["containers"][0]["name"]
             for seed in (1, 1, 2)]
    assert random.getstate() == before
    assert names[0] == names[1] != names[2]
