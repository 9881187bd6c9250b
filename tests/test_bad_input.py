"""Hostile and malformed input through the real chat router: always kubectl's own words (exact
where kubectl has them), never a traceback or the internal-error apology, and the sandbox exactly
as it was."""
from __future__ import annotations

import copy
import re
import time

import pytest

from bot.app import open_app
from bot.reply import Message
from engine.cluster import MAX_OBJECTS
from engine.validation import LABEL_MSG, LABEL_VALUE_MSG, SUBDOMAIN_MSG, label_value

NOW = 1795000000.0
USER, SERVER = "mallory", "bad"
APOLOGY = ("internal error", "내부 오류")


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "b.db", clock=lambda: NOW, rate_limit=None)
    yield app
    await app.close()


async def say(app, line: str) -> tuple[str, bool]:
    replies = await app.router.handle(Message(content=line, user=USER, server=SERVER, user_name=USER))
    text = "\n".join(r.text for r in replies)
    assert "Traceback" not in text
    assert not any(a in text for a in APOLOGY), text
    return text, all(r.ok for r in replies)


async def stored(app) -> dict:
    """Every object of the sandbox, as saved (a deep copy, so later commands cannot alias it)."""
    async with app.router.services["sandboxes"].open(SERVER, USER) as sb:
        return copy.deepcopy(sb.cluster.by_kind)


def pod_invalid(name: str) -> str:
    """kubectl run's pod: its name, its `run=NAME` label (when not a label value), its container's name."""
    labels = "".join(f'* metadata.labels: Invalid value: "{name}": {m}\n' for m in label_value(name))
    return (f'The Pod "{name}" is invalid: \n'
            f'* metadata.name: Invalid value: "{name}": {SUBDOMAIN_MSG}\n{labels}'
            f'* spec.containers[0].name: Invalid value: "{name}": {LABEL_MSG}')


def deployment_invalid(name: str, cause: str) -> str:
    return f'error: failed to create deployment: Deployment.apps "{name}" is invalid: {cause}'


LONG = "x" * 10_000
# (chat line, kubectl's exact reply)
EXACT = [
    ("!k frobnicate pods", 'Error: unknown command "frobnicate" for "kubectl"\nRun \'kubectl --help\' for usage.'),
    ("!k get frobs", 'error: the server doesn\'t have a resource type "frobs"'),
    ("!k get pods --frob", "Error: unknown flag: --frob\nSee 'kubectl get --help' for usage."),
    ("!k get pods -z", "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage."),
    ("!k delete pods --frob", "Error: unknown flag: --frob\nSee 'kubectl delete --help' for usage."),
    ("!k run x --image", "Error: flag needs an argument: --image\nSee 'kubectl run --help' for usage."),
    ("!k run nginx2", 'Error: required flag(s) "image" not set'),
    ("!k create deployment", 'Error: required flag(s) "image" not set'),
    ("!k scale deployment x", 'Error: required flag(s) "replicas" not set'),
    ("!k get", 'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of '
               'supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" '
               "for a detailed description of that resource (e.g. kubectl explain pods).\n"
               "See 'kubectl get -h' for help and examples"),
    ("!k get /x", "error: arguments in resource/name form must have a single resource and name"),
    ("!k get pod x", 'Error from server (NotFound): pods "x" not found'),
    ("!k delete pod", "error: resource(s) were provided, but no name, label selector, or --all flag specified"),
    ("!k delete", "error: You must provide one or more resources by argument or filename.\n"
                  "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                  "   '<resource> <name>'\n   '<resource>'"),
    ("!k expose", "error: You must provide one or more resources by argument or filename.\n"
                  "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                  "   '<resource> <name>'\n   '<resource>'\nSee 'kubectl expose -h' for help and examples"),
    ("!k create frob x", "Error: must specify one of -f and -k\n\nerror: unknown command \"frob x\"\n"
                         "See 'kubectl create -h' for help and examples"),
    ("!k get pods -o foo", 'error: unable to match a printer suitable for the output format "foo", allowed formats '
                           "are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
                           "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"),
    # names that are not DNS-1123
    ("!k run Bad_Name --image=nginx", pod_invalid("Bad_Name")),
    ("!k run 파드 --image=nginx", pod_invalid("파드")),
    ("!k run `whoami` --image=nginx", pod_invalid("`whoami`")),
    ("!k run @everyone --image=nginx", pod_invalid("@everyone")),
    ("!k create deployment @here --image=nginx",
     deployment_invalid("@here", f'[metadata.name: Invalid value: "@here": {SUBDOMAIN_MSG}, ' + ", ".join(
         f'{f}: Invalid value: "@here": {LABEL_VALUE_MSG}'     # its app=@here label, selector and template
         for f in ("metadata.labels", "spec.selector.matchLabels", "spec.template.metadata.labels")) + "]")),
    ("!k create deployment a..b --image=nginx",
     deployment_invalid("a..b", f'metadata.name: Invalid value: "a..b": {SUBDOMAIN_MSG}')),
    ("!k create ns Bad_NS", f'The Namespace "Bad_NS" is invalid: metadata.name: Invalid value: "Bad_NS": {LABEL_MSG}'),
    ("!k create deployment " + "a" * 254 + " --image=nginx",
     deployment_invalid("a" * 254, f'[metadata.name: Invalid value: "{"a" * 254}": must be no more than 253 characters, '
                        + ", ".join(f'{f}: Invalid value: "{"a" * 254}": must be no more than 63 characters'
                                    for f in ("metadata.labels", "spec.selector.matchLabels",
                                              "spec.template.metadata.labels")) + "]")),
    # numbers out of range
    ("!k create deployment web --image=nginx --replicas=-1",
     deployment_invalid("web", "spec.replicas: Invalid value: -1: must be greater than or equal to 0")),
    ("!k create deployment web --image=nginx --replicas=abc",
     'Error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\n'
     "See 'kubectl create deployment --help' for usage."),
    ("!k create deployment web --image=nginx --replicas=10000000000",
     'Error: invalid argument "10000000000" for "--replicas" flag: strconv.ParseInt: parsing "10000000000": '
     "value out of range\nSee 'kubectl create deployment --help' for usage."),
    ("!k scale deploy web --replicas=-1",
     "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"),
    ("!k scale deploy web --replicas=abc",
     'Error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\n'
     "See 'kubectl scale --help' for usage."),
    ("!k scale deploy nope --replicas=2", 'Error from server (NotFound): deployments.apps "nope" not found'),
    ("!k scale deployment web pod/x --replicas=2",
     "error: there is no need to specify a resource type as a separate argument when passing arguments in "
     "resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource "
     "resource/<resource_name>'"),
    ("!k scale rs -l app=none --replicas=2", "error: no objects passed to scale"),
    # the sandbox's own bound where a real cluster would just leave pods Pending
    ("!k scale deploy web --replicas=10000000",
     "error: this sandbox allows at most 10000 replicas (each node holds 110 pods)"),
    ("!k create deployment big --image=nginx --replicas=10000000",
     "error: this sandbox allows at most 10000 replicas (each node holds 110 pods)"),
    ("!k expose deployment web --port=80 --protocol=XYZ",
     'The Service "web" is invalid: spec.ports[0].protocol: Unsupported value: "XYZ": supported values: '
     '"SCTP", "TCP", "UDP"'),
    ("!k expose deployment web --port=0",
     'The Service "web" is invalid: \n* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n'
     "* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"),
    # the real 1.20 server reports both: targetPort defaults to the port
    ("!k expose deployment web --port=99999",
     'The Service "web" is invalid: \n* spec.ports[0].port: Invalid value: 99999: must be between 1 and 65535, '
     "inclusive\n* spec.ports[0].targetPort: Invalid value: 99999: must be between 1 and 65535, inclusive"),
    ("!k run web --image=nginx --port=0",
     'The Pod "web" is invalid: spec.containers[0].ports[0].containerPort: Required value'),
    ("!k run web --image=nginx --port=99999",
     'The Pod "web" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 99999: '
     "must be between 1 and 65535, inclusive"),
    ("!k create deployment web --image=nginx --port=0",
     deployment_invalid("web", "spec.template.spec.containers[0].ports[0].containerPort: Required value")),
    ("!k create deployment web --image=nginx --port=99999",
     deployment_invalid("web", "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 99999: "
                               "must be between 1 and 65535, inclusive")),
    ("!k create service nodeport np --tcp=0:80",
     'error: failed to create NodePort service: Service "np" is invalid: spec.ports[0].port: Invalid value: 0: '
     "must be between 1 and 65535, inclusive"),
    ("!k create service nodeport np --tcp=99999:80",
     'error: failed to create NodePort service: Service "np" is invalid: spec.ports[0].port: Invalid value: 99999: '
     "must be between 1 and 65535, inclusive"),
    ("!k create service nodeport bad --tcp=80:80 --node-port=40000",
     'error: failed to create NodePort service: Service "bad" is invalid: spec.ports[0].nodePort: Invalid value: '
     "40000: provided port is not in the valid range. The range of valid ports is 30000-32767"),
    ("!k run x --image=nginx --env=NOEQ", "error: invalid env: NOEQ"),
    # the shell's own complaints
    ('!k run "unclosed --image=nginx',
     "bash: unexpected EOF while looking for matching `\"'\nbash: syntax error: unexpected end of file"),
    ("!k run 'unclosed --image=nginx",
     "bash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file"),
    # very long lines
    ("!k " + LONG, f'Error: unknown command "{LONG}" for "kubectl"\nRun \'kubectl --help\' for usage.'),
    ("!k get pods " + LONG, f'Error from server (NotFound): pods "{LONG}" not found'),
    ("!k run " + LONG + " --image=nginx",
     f'The Pod "{LONG}" is invalid: \n* metadata.name: Invalid value: "{LONG}": must be no more than 253 characters\n'
     f'* metadata.labels: Invalid value: "{LONG}": must be no more than 63 characters\n'
     f'* spec.containers[0].name: Invalid value: "{LONG}": must be no more than 63 characters'),
]

# Refused, in kubectl's manner, where kubectl itself has no single fixed text.
KUBECTL_STYLE = re.compile(r"^(error: |Error: |Error from server \(|The \w+ \"|bash: )")
REFUSED = [
    "!k get pods -l ===",
    '!k get pods -l "a b"',
    "!k -n",
    "!k get -n",
    "!k delete pods --all -n",
    "!k scale deployment web --replicas=",
    "!k expose pod",
    "!k expose deployment nope --port=0",
    "!k delete pod `x` @everyone",
    "!k create quota x --hard=pods=1",
]


@pytest.mark.parametrize("line,expected", EXACT, ids=[e[0][:40] for e in EXACT])
async def test_exact_refusal_and_nothing_changes(app, line, expected):
    await say(app, "!k create deployment web --image=nginx")           # something to keep safe
    before = await stored(app)
    text, ok = await say(app, line)
    assert text == expected
    assert not ok
    assert await stored(app) == before


@pytest.mark.parametrize("line", REFUSED)
async def test_refused_in_kubectls_manner(app, line):
    await say(app, "!k create deployment web --image=nginx")
    before = await stored(app)
    text, ok = await say(app, line)
    assert KUBECTL_STYLE.match(text), text
    assert not ok
    assert await stored(app) == before


async def test_unknown_bot_command_and_plain_chat_are_ignored(app):
    before = await stored(app)
    assert await app.router.handle(Message(content="!frobnicate everything", user=USER, server=SERVER)) == []
    assert await app.router.handle(Message(content="hello @everyone", user=USER, server=SERVER)) == []
    assert await stored(app) == before


async def test_a_failed_command_in_a_row_keeps_good_state(app):
    """Errors between good commands change nothing: the good ones still see their objects."""
    assert (await say(app, "!k run nginx --image=nginx")) == ("pod/nginx created", True)
    for line in ("!k run nginx --image=nginx", "!k run 'oops", "!k run Bad --image=nginx", "!k get pods --nope"):
        assert not (await say(app, line))[1]
    assert (await say(app, "!k get pods -o name")) == ("pod/nginx", True)


async def test_scale_far_beyond_capacity_stays_bounded(app):
    """3,000 replicas: the sandbox's object cap holds, pods past the nodes' 110-pod limit stay Pending
    with the scheduler's reason, and it all takes a moment, not minutes."""
    await say(app, "!k create deployment big --image=nginx")
    started = time.monotonic()
    assert (await say(app, "!k scale deployment big --replicas=3000")) == ("deployment.apps/big scaled", True)
    text, ok = await say(app, "!k get deploy big")
    elapsed = time.monotonic() - started
    assert ok and text.split("\n")[1].split()[:2] == ["big", "0/3000"]
    async with app.router.services["sandboxes"].open(SERVER, USER) as sb:
        cluster = sb.cluster
        assert cluster.count() <= MAX_OBJECTS
        pods = [p for p in cluster.list("Pod", "default") if p["metadata"]["name"].startswith("big-")]
        assert len(pods) == MAX_OBJECTS - (cluster.count() - len(pods))      # filled up to the cap, no further
        pending = [p for p in pods if not p["spec"].get("nodeName")]
        placed = len(pods) - len(pending)
        assert placed <= 3 * 110                                           # three workers, 110 pods each
        reasons = {c.get("message") for p in pending for c in p["status"]["conditions"] if c["type"] == "PodScheduled"}
        assert reasons == {"0/4 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, "
                           "that the pod didn't tolerate, 3 Too many pods."}
        rs = next(r for r in cluster.list("ReplicaSet", "default") if r["metadata"]["name"].startswith("big-"))
        assert [c["reason"] for c in rs["status"]["conditions"]] == ["FailedCreate"]
        failed = [e for e in cluster.events_for(rs) if e["reason"] == "FailedCreate"]
        assert len(failed) == 1 and failed[0]["count"] == 1                 # told once, not on every pass
    assert elapsed < 5, f"scale to 3000 took {elapsed:.1f}s"
    text, ok = await say(app, "!k create deployment more --image=nginx")
    # kubectl create deployment wraps whatever the server answers (as it does for a real ResourceQuota)
    assert (text, ok) == (f"error: failed to create deployment: exceeded quota: sandbox, this sandbox holds at most "
                          f"{MAX_OBJECTS} objects; delete some (or !reset) first", False)
