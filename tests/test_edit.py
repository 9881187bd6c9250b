"""kubectl edit in chat: show the live YAML, take the edited YAML back (chapter 5.1's lab)."""
from __future__ import annotations

import pytest

from engine.kubectl import edit
from engine.kubectl.context import Ctx

NOW = 1795000000.0
KIT = "_Lecture_k8s_starter.kit"




def k(sb, line: str, stdin: str | None = None) -> str:
    out, rc = sb.kubectl(line, stdin)
    return out if rc == 0 else f"{out}\n[rc={rc}]"


def reply(sb, text: str) -> str:
    """What the chat router does with the student's next message after `kubectl edit`."""
    try:
        return edit.apply_pending(Ctx(sb.cluster), text)
    except Exception as err:          # KubectlError: compare its text like kubectl's output
        return f"{err.text}\n[rc=1]"


@pytest.fixture
def nine(sb):
    k(sb, f"apply -f {KIT}/ch4/4.1/del-deploy.yaml")
    k(sb, "scale deployment del-deploy --replicas=9")
    sb.wait(30)
    return sb


def test_edit_shows_header_and_live_yaml(nine):
    shown = k(nine, "edit deployment del-deploy")
    assert shown.startswith(edit.HEADER + "apiVersion: apps/v1\nkind: Deployment\n")
    assert nine.notes == [("edit_chat_hint", {"command": "!k edit deployment del-deploy"})]   # chat is the editor
    assert "  replicas: 9\n" in shown and "\nstatus:\n" in shown
    assert edit.pending(nine.cluster)["name"] == "del-deploy"


def test_notes_lab_replicas_nine_to_three_and_status_follows(nine):
    shown = k(nine, "edit deploy del-deploy")
    assert reply(nine, shown.replace("  replicas: 9\n", "  replicas: 3\n", 1)) == "deployment.apps/del-deploy edited"
    assert edit.pending(nine.cluster) is None
    dep = nine.cluster.get("Deployment", "default", "del-deploy")
    assert dep["spec"]["replicas"] == 3 and dep["metadata"]["generation"] == 3
    nine.wait(60)
    dep = nine.cluster.get("Deployment", "default", "del-deploy")
    assert (dep["status"]["replicas"], dep["status"]["readyReplicas"], dep["status"]["observedGeneration"]) == (3, 3, 3)
    assert len(nine.cluster.list("Pod", "default")) == 3


def test_unchanged_or_empty_reply_cancels(nine):
    shown = k(nine, "edit deployment/del-deploy")
    assert reply(nine, shown) == "Edit cancelled, no changes made."
    k(nine, "edit deployment/del-deploy")
    assert reply(nine, "# nothing\n") == "Edit cancelled, saved file was empty."
    assert reply(nine, "x: y") == "error: there is no `kubectl edit` waiting for an answer\n[rc=1]"


def test_changing_name_or_kind_is_refused(nine):
    shown = k(nine, "edit deployment del-deploy")
    renamed = shown.replace("  name: del-deploy\n", "  name: other\n", 1)
    assert reply(nine, renamed) == ("error: At least one of apiVersion, kind and name was changed\n"
                                    "error: Edit cancelled, no valid changes were saved.\n[rc=1]")
    assert nine.cluster.get("Deployment", "default", "other") is None


def test_yaml_in_the_same_message_applies_at_once(nine):
    shown = k(nine, "edit deployment del-deploy")
    body = shown.replace("  replicas: 9\n", "  replicas: 4\n", 1)
    assert k(nine, "edit deployment del-deploy", body) == "deployment.apps/del-deploy edited"
    assert nine.cluster.get("Deployment", "default", "del-deploy")["spec"]["replicas"] == 4


def test_removed_label_is_removed_and_status_edits_ignored(nine):
    shown = k(nine, "edit deployment del-deploy")
    body = shown.replace("  labels:\n    app: del-deploy\n  name: del-deploy", "  name: del-deploy", 1)
    body = body.replace("  readyReplicas: 9\n", "  readyReplicas: 1\n")
    assert reply(nine, body) == "deployment.apps/del-deploy edited"
    dep = nine.cluster.get("Deployment", "default", "del-deploy")
    assert "labels" not in dep["metadata"]
    assert dep["status"]["readyReplicas"] == 9


def test_invalid_pod_edit_and_missing_object(sb):
    k(sb, "run nginx --image=nginx")
    shown = k(sb, "edit pod nginx")
    assert reply(sb, shown.replace("  dnsPolicy: ClusterFirst", "  dnsPolicy: Default")) == (
        'error: pods "nginx" is invalid\n# * spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or "
        "`spec.tolerations` (only additions to existing tolerations)\n"
        "error: Edit cancelled, no valid changes were saved.\n[rc=1]")
    assert k(sb, "edit deployment nope") == 'Error from server (NotFound): deployments.apps "nope" not found\n[rc=1]'
    shown = k(sb, "edit pod nginx")
    assert reply(sb, shown.replace("image: nginx", "image: nginx:1.19", 1)) == "pod/nginx edited"


# -- kubectl patch and replace (the same save path as edit) ------------------------------------------

def test_patch_strategic_merge_json(sb):
    k(sb, "create deployment web --image=nginx")
    assert k(sb, """patch deployment web -p '{"spec":{"replicas":3}}'""") == "deployment.apps/web patched"
    assert k(sb, """patch deployment web -p '{"spec":{"replicas":3}}'""") == "deployment.apps/web patched (no change)"
    assert k(sb, """patch deployment web --type=merge -p '{"metadata":{"labels":{"x":"y"}}}'""") == \
        "deployment.apps/web patched"
    assert k(sb, """patch deployment web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":1}]'""") == \
        "deployment.apps/web patched"
    dep = sb.cluster.get("Deployment", "default", "web")
    assert (dep["spec"]["replicas"], dep["metadata"]["labels"]) == (1, {"app": "web", "x": "y"})
    assert k(sb, """patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.19"}]}}}}'""") \
        == "deployment.apps/web patched"
    c = sb.cluster.get("Deployment", "default", "web")["spec"]["template"]["spec"]["containers"][0]
    assert (c["image"], c["imagePullPolicy"]) == ("nginx:1.19", "Always")     # merged by name: the rest stays
    assert k(sb, "patch deployment web --type=foo -p '{}'") == (
        'error: --type must be one of [json merge strategic], not "foo"\n'
        "See 'kubectl patch -h' for help and examples\n[rc=1]")
    assert k(sb, "patch deployment web -p '{bad'") == (
        "error: unable to parse \"{bad\": yaml: did not find expected ',' or '}'\n[rc=1]")
    assert k(sb, "patch deployment nope -p '{}'") == 'Error from server (NotFound): deployments.apps "nope" not found\n[rc=1]'


def test_replace_puts_the_whole_object(sb):
    k(sb, "create deployment web --image=nginx")
    k(sb, "label deployment web extra=yes")
    dep = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n"
           "    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n"
           "      containers:\n      - name: nginx\n        image: nginx:1.19\n")
    assert k(sb, "replace -f -", dep) == "deployment.apps/web replaced"
    obj = sb.cluster.get("Deployment", "default", "web")
    assert "labels" not in obj["metadata"] and obj["spec"]["replicas"] == 2
    assert obj["spec"]["strategy"]["type"] == "RollingUpdate"
    assert k(sb, "replace -f -", dep.replace("name: web\nspec", "name: nope\nspec")) == (
        'Error from server (NotFound): error when replacing "STDIN": deployments.apps "nope" not found\n[rc=1]')


# -- through the chat router: the YAML block of the same message is the input ---------------------------

CHAPTER_5_1 = """# Chapter 5.1 in chat: apply the kit's directory, scale to 9, edit back to 3 with a YAML block.
> !k apply -f _Lecture_k8s_starter.kit/ch4/4.1
deployment.apps/del-deploy created
pod/del-pod created

> !k scale deployment del-deploy --replicas=9
deployment.apps/del-deploy scaled

> !wait 30s
⏩ 30s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get deployment del-deploy -o jsonpath={.spec.replicas}/{.status.readyReplicas}
9/9

> !k edit deployment del-deploy
>> ```yaml
>> apiVersion: apps/v1
>> kind: Deployment
>> metadata:
>>   name: del-deploy
>>   labels:
>>     app: del-deploy
>> spec:
>>   replicas: 3
>>   selector:
>>     matchLabels:
>>       app: del-deploy
>>   template:
>>     metadata:
>>       labels:
>>         app: del-deploy
>>     spec:
>>       containers:
>>       - name: nginx
>>         image: nginx
>> ```
deployment.apps/del-deploy edited

> !k get deployment del-deploy -o jsonpath={.spec.replicas}/{.status.replicas}
3/3

> !wait 30s
⏩ 30s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get deployment del-deploy -o custom-columns=NAME:.metadata.name,SPEC:.spec.replicas,STATUS:.status.replicas
NAME         SPEC      STATUS
del-deploy   3         3

> !k apply -f -
>> ```yaml
>> apiVersion: v1
>> kind: Pod
>> metadata:
>>   name: del-pod
>> spec:
>>   contaners: []
>> ```
error: error validating "STDIN": error validating data: [ValidationError(Pod.spec): unknown field "contaners" in io.k8s.api.core.v1.PodSpec, ValidationError(Pod.spec): missing required field "containers" in io.k8s.api.core.v1.PodSpec]; if you choose to ignore these errors, turn validation off with --validate=false
[rc=1]
"""


async def test_chapter_5_1_through_the_chat_router(tmp_path):
    from tests.golden_runner import replay
    path = tmp_path / "ch5-1.txt"
    path.write_text(CHAPTER_5_1, encoding="utf-8")
    assert await replay(path, tmp_path / "bot.db") is None


def test_patch_dry_run_changes_nothing(sb):
    k(sb, "create deployment web --image=nginx")
    assert k(sb, """patch deployment web -p '{"spec":{"replicas":2}}' --dry-run=server""") == (
        "deployment.apps/web patched (server dry run)")
    assert sb.cluster.get("Deployment", "default", "web")["spec"]["replicas"] == 1
