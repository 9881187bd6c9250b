"""kubectl apply|create|delete -f: kit files, URLs, stdin, multi-document streams, bad input."""
from __future__ import annotations

import json


from engine import manifests

NOW = 1795000000.0
KIT = "_Lecture_k8s_starter.kit"
POD = """apiVersion: v1
kind: Pod
metadata:
  name: nolabel
spec:
  containers:
  - name: nginx
    image: nginx
"""
MISSING_ANNOTATION = ("Warning: resource pods/nginx is missing the kubectl.kubernetes.io/last-applied-configuration "
                      "annotation which is required by kubectl apply. kubectl apply should only be used on resources "
                      "created declaratively by either kubectl create --save-config or kubectl apply. The missing "
                      "annotation will be patched automatically.")
STOP = "; if you choose to ignore these errors, turn validation off with --validate=false"




def k(sb, line: str, stdin: str | None = None) -> str:
    out, rc = sb.kubectl(line, stdin)
    return out if rc == 0 else f"{out}\n[rc={rc}]"


# -- sources -----------------------------------------------------------------------------------

def test_kit_directory_applies_in_file_order_then_unchanged(sb):
    assert k(sb, f"apply -f {KIT}/ch4/4.1") == "deployment.apps/del-deploy created\npod/del-pod created"
    sb.wait(10)
    assert len([p for p in sb.cluster.list("Pod", "default")]) == 4
    assert k(sb, f"apply -f ~/{KIT}/ch4/4.1/") == "deployment.apps/del-deploy unchanged\npod/del-pod unchanged"
    assert k(sb, f"apply -f /root/{KIT}/ch4/4.1/del-pod.yaml") == "pod/del-pod unchanged"


def test_metallb_manifest_creates_every_object(sb):
    out = k(sb, f"apply -f {KIT}/ch2/2.4/metallb.yaml")
    lines = out.splitlines()
    assert lines[0] == "namespace/metallb-system created"
    assert "podsecuritypolicy.policy/speaker created" in lines
    assert "clusterrole.rbac.authorization.k8s.io/metallb-system:controller created" in lines
    assert "daemonset.apps/speaker created" in lines
    assert lines[-1] == "configmap/config created"
    sb.wait(30)
    pods = sb.cluster.list("Pod", "metallb-system")
    assert len([p for p in pods if p["metadata"]["name"].startswith("speaker-")]) == 4
    assert sb.cluster.get("ClusterRole", "", "metallb-system:controller") is not None
    assert "namespace" not in sb.cluster.get("ClusterRole", "", "metallb-system:controller")["metadata"]


def test_delete_f_deletes_in_order_even_after_the_namespace(sb):
    k(sb, f"apply -f {KIT}/ch2/2.4/metallb.yaml")
    sb.wait(30)
    out = k(sb, f"delete -f {KIT}/ch2/2.4/metallb.yaml")
    lines = out.splitlines()
    assert lines[0] == 'namespace "metallb-system" deleted'
    assert 'serviceaccount "controller" deleted' in lines
    assert 'clusterrole.rbac.authorization.k8s.io "metallb-system:controller" deleted' in lines
    assert lines[-1] == 'configmap "config" deleted'
    assert sb.cluster.get("Namespace", "", "metallb-system") is None
    assert k(sb, f"delete -f {KIT}/ch4/4.1/del-pod.yaml") == (
        f'Error from server (NotFound): error when deleting "{KIT}/ch4/4.1/del-pod.yaml": pods "del-pod" not found'
        "\n[rc=1]")


def test_known_url_and_unknown_url(sb):
    url = "https://k8s.io/examples/admin/dns/dnsutils.yaml"
    assert k(sb, f"apply -f {url}") == "pod/dnsutils created"
    pod = sb.cluster.get("Pod", "default", "dnsutils")
    c = pod["spec"]["containers"][0]
    assert (c["image"], c["command"], c["imagePullPolicy"]) == (
        "k8s.gcr.io/e2e-test-images/jessie-dnsutils:1.3", ["sleep", "3600"], "IfNotPresent")
    assert k(sb, "apply -f https://x/y.yaml") == (
        'error: unable to read URL "https://x/y.yaml", server reported 404 Not Found, status code=404\n[rc=1]')


def test_missing_path_and_escape_attempts(sb):
    assert k(sb, "apply -f x.yaml") == 'error: the path "x.yaml" does not exist\n[rc=1]'
    assert k(sb, "apply -f /etc/passwd") == 'error: the path "/etc/passwd" does not exist\n[rc=1]'
    assert k(sb, f"apply -f {KIT}/../../engine") == f'error: the path "{KIT}/../../engine" does not exist\n[rc=1]'
    assert k(sb, "apply -f urls.yaml") == 'error: the path "urls.yaml" does not exist\n[rc=1]'
    assert k(sb, "apply") == "error: must specify one of -f and -k\n[rc=1]"
    assert k(sb, "apply -f -") == "error: no objects passed to apply\n[rc=1]"


# -- created / configured / unchanged -----------------------------------------------------------

def test_apply_create_configured_unchanged_and_annotation(sb):
    assert k(sb, "apply -f -", POD) == "pod/nolabel created"
    assert k(sb, "apply -f -", POD) == "pod/nolabel unchanged"
    pod = sb.cluster.get("Pod", "default", "nolabel")
    last = pod["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert last == ('{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"nolabel",'
                    '"namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"nginx"}]}}\n')
    labelled = POD.replace("  name: nolabel\n", "  name: nolabel\n  labels:\n    tier: web\n")
    assert k(sb, "apply -f -", labelled) == "pod/nolabel configured"
    assert sb.cluster.get("Pod", "default", "nolabel")["metadata"]["labels"] == {"tier": "web"}
    assert k(sb, "apply -f -", POD) == "pod/nolabel configured"
    assert "labels" not in sb.cluster.get("Pod", "default", "nolabel")["metadata"] or \
        sb.cluster.get("Pod", "default", "nolabel")["metadata"]["labels"] == {}
    assert k(sb, "create -f -", POD) == (
        'Error from server (AlreadyExists): error when creating "STDIN": pods "nolabel" already exists\n[rc=1]')


def test_apply_on_object_made_by_run_warns(sb):
    k(sb, "run nginx --image=nginx")
    manifest = POD.replace("nolabel", "nginx").replace("  name: nginx\nspec", "  name: nginx\n  labels:\n    run: nginx\nspec")
    assert k(sb, "apply -f -", manifest) == MISSING_ANNOTATION + "\npod/nginx configured"
    assert k(sb, "apply -f -", manifest) == "pod/nginx unchanged"


def test_deployment_apply_changes_template_and_bumps_generation(sb):
    k(sb, f"apply -f {KIT}/ch4/4.1/del-deploy.yaml")
    sb.wait(20)
    dep = sb.cluster.get("Deployment", "default", "del-deploy")
    assert dep["metadata"]["generation"] == 1
    text = manifests.resolve_source(type("C", (), {"files": {}})(), f"{KIT}/ch4/4.1/del-deploy.yaml")[0][1]
    changed = text.replace("replicas: 3", "replicas: 5")
    assert k(sb, "apply -f -", changed) == "deployment.apps/del-deploy configured"
    dep = sb.cluster.get("Deployment", "default", "del-deploy")
    assert (dep["spec"]["replicas"], dep["metadata"]["generation"]) == (5, 2)
    assert dep["spec"]["strategy"]["type"] == "RollingUpdate"          # server defaults survive the merge
    moved = changed.replace("app: del-deploy\n    spec", "app: other\n    spec").replace(
        "matchLabels:\n      app: del-deploy", "matchLabels:\n      app: other")
    assert k(sb, "apply -f -", moved) == (
        'The Deployment "del-deploy" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
        'map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'
        "\n[rc=1]")


def test_record_writes_change_cause(sb):
    k(sb, f"apply -f {KIT}/ch4/4.1/del-deploy.yaml --record")
    dep = sb.cluster.get("Deployment", "default", "del-deploy")
    assert dep["metadata"]["annotations"]["kubernetes.io/change-cause"] == (
        f"kubectl apply --filename={KIT}/ch4/4.1/del-deploy.yaml --record=true")


def test_service_from_manifest_gets_cluster_ip_and_node_port(sb):
    svc = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: np-svc\nspec:\n  selector:\n    app: np-pods\n"
           "  ports:\n  - name: http\n    port: 80\n    targetPort: 80\n    nodePort: 30000\n  type: NodePort\n")
    assert k(sb, "apply -f -", svc) == "service/np-svc created"
    obj = sb.cluster.get("Service", "default", "np-svc")
    assert obj["spec"]["ports"][0]["nodePort"] == 30000
    assert obj["spec"]["clusterIP"].startswith("10.")
    assert k(sb, "apply -f -", svc) == "service/np-svc unchanged"


def test_namespace_from_manifest_and_namespace_mismatch(sb):
    ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n"
    assert k(sb, "apply -f -", ns) == "namespace/dev created"
    assert sb.cluster.get("ServiceAccount", "dev", "default") is not None
    in_dev = POD.replace("  name: nolabel\n", "  name: nolabel\n  namespace: dev\n")
    assert k(sb, "apply -f - -n default", in_dev) == (
        'error: the namespace from the provided object "dev" does not match the namespace "default". '
        "You must pass '--namespace=dev' to perform this operation.\n[rc=1]")
    assert k(sb, "apply -f -", in_dev) == "pod/nolabel created"
    assert k(sb, "apply -f - -n nope", POD) == (
        'Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found\n[rc=1]')


# -- bad input ------------------------------------------------------------------------------------

def test_unknown_kind_skips_only_that_document(sb):
    text = "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n---\n" + POD
    assert k(sb, "apply -f -", text) == (
        'pod/nolabel created\nerror: unable to recognize "STDIN": no matches for kind "Foo" in version "v1"\n[rc=1]')
    old = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: x\n---\n" + \
          "apiVersion: v1\nkind: Bar\nmetadata:\n  name: y\n"
    assert k(sb, "apply -f -", old) == (
        'unable to recognize "STDIN": no matches for kind "Deployment" in version "extensions/v1beta1"\n'
        'unable to recognize "STDIN": no matches for kind "Bar" in version "v1"\n[rc=1]')


def test_missing_kind_and_api_version(sb):
    assert k(sb, "apply -f -", "metadata:\n  name: x\n") == (
        'error: error validating "STDIN": error validating data: [apiVersion not set, kind not set]' + STOP + "\n[rc=1]")
    assert k(sb, "create -f -", "apiVersion: v1\nmetadata:\n  name: x\n") == (
        'error: error validating "STDIN": error validating data: kind not set' + STOP + "\n[rc=1]")


def test_unknown_field_and_wrong_type(sb):
    typo = POD.replace("containers:", "contaners:")
    assert k(sb, "apply -f -", typo) == (
        'error: error validating "STDIN": error validating data: [ValidationError(Pod.spec): unknown field '
        '"contaners" in io.k8s.api.core.v1.PodSpec, ValidationError(Pod.spec): missing required field "containers" '
        'in io.k8s.api.core.v1.PodSpec]' + STOP + "\n[rc=1]")
    lables = POD.replace("  name: nolabel\n", "  name: nolabel\n  lables:\n    a: b\n")
    assert k(sb, "apply -f -", lables) == (
        'error: error validating "STDIN": error validating data: ValidationError(Pod.metadata): unknown field '
        '"lables" in io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' + STOP + "\n[rc=1]")
    dep = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: \"3\"\n"
           "  selector:\n    matchLabels:\n      app: d\n  template:\n    metadata:\n      labels:\n        app: d\n"
           "    spec:\n      containers:\n      - name: c\n        image: nginx\n        ports:\n        - 80\n")
    assert k(sb, "apply -f -", dep) == (
        'error: error validating "STDIN": error validating data: [ValidationError(Deployment.spec.replicas): '
        'invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "string", expected "integer", '
        'ValidationError(Deployment.spec.template.spec.containers[0].ports[0]): invalid type for '
        'io.k8s.api.core.v1.ContainerPort: got "integer", expected "map"]' + STOP + "\n[rc=1]")
    assert k(sb, "apply --validate=false -f -", typo) == (
        'The Pod "nolabel" is invalid: spec.containers: Required value\n[rc=1]')


def test_validation_error_stops_the_stream_but_keeps_earlier_documents(sb):
    text = POD + "---\nkind: Pod\n---\n" + POD.replace("nolabel", "third")
    assert k(sb, "apply -f -", text) == (
        'pod/nolabel created\nerror: error validating "STDIN": error validating data: apiVersion not set' + STOP
        + "\n[rc=1]")
    assert sb.cluster.get("Pod", "default", "third") is None


def test_broken_yaml_uses_go_yaml_words(sb):
    assert k(sb, "apply -f -", "apiVersion: v1\nkind: Pod\nmetadata: name: x\n") == (
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 3: mapping values are not allowed "
        "in this context\n[rc=1]")
    assert k(sb, "apply -f -", "apiVersion: v1\n\tkind: Pod\n") == (
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 2: found character that cannot "
        "start any token\n[rc=1]")


def test_invalid_names_and_selector_mismatch(sb):
    assert k(sb, "create -f -", POD.replace("name: nolabel", "name: Bad_Name")) == (
        'The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain '
        "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n[rc=1]")
    dep = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels:\n"
           "      app: d\n  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n      containers:\n"
           "      - name: c\n        image: nginx\n")
    assert k(sb, "apply -f -", dep) == (
        'The Deployment "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: '
        "`selector` does not match template `labels`\n[rc=1]")


def test_yaml_bombs_and_huge_input_are_refused_unbuilt(sb):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    prev = "a"
    for name in "bcdefghi":
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    out = k(sb, "apply -f -", bomb)
    assert out.startswith("error: error parsing STDIN: ") and "YAML bombs" in out and out.endswith("[rc=1]")
    many = "a: &a x\nb: [" + ",".join(["*a"] * 500) + "]\n"
    assert "more than 100 YAML aliases" in k(sb, "apply -f -", many)
    huge = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: " + "x" * (300 * 1024) + "\n"
    assert k(sb, "apply -f -", huge) == (
        "error: error reading STDIN: this sandbox accepts at most 256 KiB of manifests at once\n[rc=1]")
    deep = "a: " + "[" * 5000
    assert "nested too deeply" in k(sb, "apply -f -", deep)
    assert sb.cluster.get("ConfigMap", "default", "big") is None


def test_rbac_v1beta1_warns_and_secret_string_data(sb):
    text = ("apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata:\n  name: r\nrules: []\n---\n"
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  pw: hi\n")
    assert k(sb, "apply -f -", text) == (
        "Warning: rbac.authorization.k8s.io/v1beta1 ClusterRole is deprecated in v1.17+, unavailable in v1.22+; "
        "use rbac.authorization.k8s.io/v1 ClusterRole\nclusterrole.rbac.authorization.k8s.io/r created\n"
        "secret/s created")
    secret = sb.cluster.get("Secret", "default", "s")
    assert (secret["data"], secret["type"]) == ({"pw": "aGk="}, "Opaque")
    last = json.loads(secret["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert last["stringData"] == {"pw": "hi"}


def test_create_f_save_config_and_dry_run(sb):
    assert k(sb, "create -f - --dry-run=client", POD) == "pod/nolabel created (dry run)"
    assert sb.cluster.get("Pod", "default", "nolabel") is None
    assert k(sb, "create -f - --save-config", POD) == "pod/nolabel created"
    assert k(sb, "apply -f -", POD) == "pod/nolabel unchanged"


# -- reading objects back: -o jsonpath / custom-columns --------------------------------------------

def test_jsonpath_common_cases(sb):
    k(sb, f"apply -f {KIT}/ch4/4.1")
    sb.wait(20)
    names = k(sb, "get pods -o jsonpath={.items[*].metadata.name}").split(" ")
    assert len(names) == 4 and "del-pod" in names
    assert k(sb, "get deploy del-deploy -o jsonpath={.spec.replicas}") == "3"
    assert k(sb, "get deploy del-deploy -o jsonpath={.metadata.name}") == "del-deploy"
    assert k(sb, "get deploy del-deploy -o jsonpath={.metadata.labels}") == '{"app":"del-deploy"}'
    assert k(sb, "get deploy del-deploy -o jsonpath={.nope}") == ""
    ranged = k(sb, """get pods -l app=del-deploy -o 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[0].image}{"\\n"}{end}'""")
    rows = [r for r in ranged.split("\n") if r]
    assert len(rows) == 3 and all(r.startswith("del-deploy-") and r.endswith("\tnginx") for r in rows)
    assert k(sb, """get nodes -o 'jsonpath={.items[?(@.metadata.name=="w1-k8s")].status.addresses[0].address}'""") == \
        "192.168.1.101"
    assert k(sb, "get pod del-pod -o 'jsonpath={.metadata.name'") == (
        "error: error parsing jsonpath {.metadata.name, unclosed action\n[rc=1]")


def test_custom_columns(sb):
    k(sb, f"apply -f {KIT}/ch4/4.1/del-pod.yaml")
    k(sb, "run web --image=nginx:1.19")
    assert k(sb, "get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,X:.nope") == (
        "NAME      IMAGE        X\n"
        "del-pod   nginx        <none>\n"
        "web       nginx:1.19   <none>")
    assert k(sb, "get pods -o custom-columns=NAME") == (
        "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n[rc=1]")


def test_every_kit_manifest_applies(sb):
    files = sorted(p.relative_to(manifests.KIT).as_posix() for p in (manifests.KIT / KIT).rglob("*.yaml"))
    assert files, "the course kit is missing"
    k(sb, "create namespace polaris")          # A.005 assumes Polaris is installed first
    for path in files:
        out = k(sb, f"apply -f {path}")
        assert "[rc=" not in out and out.endswith(" created"), (path, out)
        assert k(sb, f"apply -f {path}").endswith(" unchanged"), path


def test_missing_name(sb):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n"
    assert k(sb, "create -f -", text) == (
        'The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required\n[rc=1]')
    assert k(sb, "apply -f -", text) == (
        "error: error when retrieving current configuration of:\n"
        'Resource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, Kind=ConfigMap"\n'
        'Name: "", Namespace: "default"\n'
        'from server for: "STDIN": resource name may not be empty\n[rc=1]')


def test_list_from_get_o_yaml_applies_its_items(sb):
    k(sb, "create configmap a --from-literal=x=y")
    listed = k(sb, "get cm a -o yaml").replace("name: a", "name: b")
    wrapped = "apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n" + "".join(
        ("- " if i == 0 else "  ") + line + "\n" for i, line in enumerate(listed.splitlines()))
    assert k(sb, "apply -f -", wrapped) == "configmap/b created"
    assert sb.cluster.get("ConfigMap", "default", "b")["data"] == {"x": "y"}


def test_relative_paths_follow_the_shell_cwd(sb):
    assert sb.shell(f"cd {KIT}/ch4/4.1") == ("", 0)
    assert k(sb, "apply -f del-pod.yaml") == "pod/del-pod created"
    assert k(sb, "apply -f .") == "deployment.apps/del-deploy created\npod/del-pod unchanged"
    assert k(sb, "create -f ../../ch8/014/nodename.yaml") == "pod/nodename created"
    sb.shell("cd")
    assert k(sb, "delete -f del-pod.yaml") == 'error: the path "del-pod.yaml" does not exist\n[rc=1]'
    assert k(sb, f"delete -f {KIT}/ch4/4.1/del-pod.yaml") == 'pod "del-pod" deleted'


def test_selector_errors(sb):
    base = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n{selector}  template:\n"
            "    spec:\n      containers:\n      - name: c\n        image: nginx\n")
    assert k(sb, "apply -f -", base.format(selector="  selector:\n    matchLabels:\n      app: d\n")) == (
        'The Deployment "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string(nil): '
        "`selector` does not match template `labels`\n[rc=1]")
    assert k(sb, "apply -f -", base.format(selector="  selector: {}\n")) == (
        'The Deployment "d" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
        "map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid "
        "for deployment\n[rc=1]")


def test_without_validation_the_server_decodes_drops_and_requires(sb):
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  foo: 1\n  containers:\n  - name: c\n    image: {image}\n"
    assert k(sb, "apply --validate=false -f -", pod.format(image="5")) == (
        'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a '
        'Pod: v1.Pod.Spec: v1.PodSpec.Containers: []v1.Container: v1.Container.Image: ReadString: expects " or n, '
        'but found 5, error found in #10 byte of ...|{"image":5,"name":"c|..., bigger context ...|space":"default"},'
        '"spec":{"containers":[{"image":5,"name":"c"}],"foo":1}}|...\n[rc=1]')
    assert k(sb, "apply --validate=false -f -", pod.format(image="nginx") + "    ports:\n    - name: x\n") == (
        'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Required value\n[rc=1]')
    assert k(sb, "apply --validate=false -f -", pod.format(image="nginx")) == "pod/p created"
    assert "foo" not in sb.cluster.get("Pod", "default", "p")["spec"]
    k(sb, "create deployment web --image=nginx")
    assert k(sb, """patch deployment web -p '{"spec":{"replicas":"x"}}'""") == (
        'The request is invalid: patch: Invalid value: "map[spec:map[replicas:x]]": cannot convert string to int32'
        "\n[rc=1]")
    assert k(sb, """patch deployment web -p '{"spec":{"foo":1}}'""") == "deployment.apps/web patched (no change)"


# -- robustness: odd manifests never crash the engine ------------------------------------------------

def _odd_value(r, depth=0):
    keys = ["spec", "metadata", "containers", "template", "selector", "matchLabels", "ports", "port", "name",
            "image", "replicas", "labels", "type", "targetPort", "nodePort", "data", "stringData", "volumes",
            "strategy", "rollingUpdate", "maxSurge", "namespace", "clusterIP", "x"]
    c = r.random()
    if depth > 3 or c < 0.35:
        return r.choice([None, 0, -1, 3, 70000, "", "a", "Bad_Name", "nginx", True, 1.5, "30000", [], {}])
    if c < 0.55:
        return [_odd_value(r, depth + 1) for _ in range(r.randint(0, 3))]
    return {r.choice(keys): _odd_value(r, depth + 1) for _ in range(r.randint(0, 4))}


def test_odd_manifests_get_kubectl_errors_not_tracebacks(sb):
    import random

    import yaml
    r = random.Random(18)
    kinds = [("v1", "Pod"), ("apps/v1", "Deployment"), ("v1", "Service"), ("apps/v1", "DaemonSet"),
             ("apps/v1", "ReplicaSet"), ("v1", "Namespace"), ("v1", "ConfigMap"), ("v1", "Secret")]
    verbs = ["apply -f -", "apply --validate=false -f -", "create --validate=false -f -",
             "replace --validate=false -f -", "delete -f -"]
    pod = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    for i in range(400):
        api, kind = r.choice(kinds)
        obj = json.loads(json.dumps(pod if kind == "Pod" else {"metadata": {"name": "o"}}))
        obj.update(apiVersion=api, kind=kind)
        target = obj
        while isinstance(target, dict) and target and r.random() < 0.6:
            nxt = target[r.choice(list(target))]
            if not isinstance(nxt, dict):
                break
            target = nxt
        if isinstance(target, dict):
            target[r.choice(["spec", "metadata", "name", "containers", "selector", "ports", "x"])] = _odd_value(r)
        out, rc = sb.kubectl(r.choice(verbs), yaml.safe_dump(obj))
        assert "Traceback" not in out
        if i % 50 == 0:
            sb.wait(5)
