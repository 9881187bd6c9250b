"""The parts behind the blocking commands and the kubelet's restarts: Go durations, what a container's
command does, docker's image references, the crash-loop back-off, and the watch's own alignment."""
from __future__ import annotations

import pytest

from engine.controllers import container_exit
from engine.kubectl.client_checks import check_image
from engine.kubectl.errors import KubectlError
from engine.kubectl.waiting import go_duration


def k(sb, line: str) -> str:
    out, rc = sb.kubectl(line)
    return out if rc == 0 else out + f"\n[rc={rc}]"


@pytest.mark.parametrize("text,seconds", [("0", 0), ("30s", 30), ("1m30s", 90), ("1.5h", 5400), ("250ms", 0.25),
                                          ("-1s", -1), ("2h45m", 9900)])
def test_go_durations(text, seconds):
    assert go_duration("wait", "timeout", text) == pytest.approx(seconds)


@pytest.mark.parametrize("text,why", [("5", "missing unit in duration"), ("abc", "invalid duration"),
                                      ("", "invalid duration"), ("1x", 'unknown unit "x" in duration'), ("1e5s", 'unknown unit "e" in duration'),
                                      ("s", "invalid duration"), ("--5s", "invalid duration"),
                                      ("9999999999h", "invalid duration")])
def test_bad_go_durations_are_refused_as_cobra_does(text, why):
    with pytest.raises(KubectlError) as err:
        go_duration("wait", "timeout", text)
    assert err.value.text == (f'Error: invalid argument "{text}" for "--timeout" flag: time: {why} "{text}"\n'
                              "See 'kubectl wait --help' for usage.")


@pytest.mark.parametrize("container,life", [
    ({"image": "busybox"}, (container_exit.QUICK, 0)),
    ({"image": "alpine:3.13"}, (container_exit.QUICK, 0)),
    ({"image": "nginx"}, None),
    ({"image": "busybox", "args": ["sleep", "3600"]}, (3600 + container_exit.QUICK, 0)),
    ({"image": "busybox", "command": ["sleep", "infinity"]}, None),
    ({"image": "busybox", "args": ["sh", "-c", "while true; do date; sleep 5; done"]}, None),
    ({"image": "busybox", "args": ["sh", "-c", "exit 3"]}, (container_exit.QUICK, 3)),
    ({"image": "busybox", "args": ["false"]}, (container_exit.QUICK, 1)),
    ({"image": "busybox", "args": ["echo", "hi"]}, (container_exit.QUICK, 0)),
    ({"image": "busybox", "args": ["sleep", "2m"]}, (120 + container_exit.QUICK, 0)),
    ({"image": "nginx", "args": ["nginx", "-g", "daemon off;"]}, None),
    ({"image": "nginx", "command": ["nginx", "-g", "daemon off;"]}, None),
    ({"image": "nginx", "command": ["sh", "-c", "echo hi"]}, (container_exit.QUICK, 0)),
    ({"image": "k8s.gcr.io/e2e-test-images/jessie-dnsutils:1.3", "command": ["sleep", "3600"]},
     (3600 + container_exit.QUICK, 0)),
])
def test_container_lifetime(container, life):
    assert container_exit.lifetime(container) == life


@pytest.mark.parametrize("image", ["nginx", "nginx:1.19", "sysnet4admin/chk-hn", "k8s.gcr.io/kube-proxy:v1.20.2",
                                   "localhost:5000/my_app__x:v1.0-rc", "Docker.io/nginx",
                                   "nginx@sha256:" + "a" * 64])
def test_valid_image_references(image):
    check_image(image)


@pytest.mark.parametrize("image", ["NGINX", "Nginx:1.19", "nginx latest", "nginx:", ":1.19", "nginx:1.19@sha256:abc",
                                   "nginx:ümlaut", "a" * 256])
def test_invalid_image_references(image):
    with pytest.raises(KubectlError) as err:
        check_image(image)
    assert err.value.text == f'error: Invalid image name "{image}": invalid reference format'


def restarts_at(sb, name: str, until: float) -> list[tuple[float, int, str]]:
    """(seconds since creation, RESTARTS, STATUS) at every change of the pod's status, until `until`."""
    from engine.kubectl.columns import pod_status
    from engine.kubectl.waiting import observing, step_until
    start = sb.cluster.now
    seen = []

    def look(obj, deleted):
        if obj["kind"] == "Pod" and obj["metadata"]["name"] == name:
            cs = (obj["status"].get("containerStatuses") or [{}])[0]
            row = (cs.get("restartCount", 0), pod_status(obj))
            if not seen or seen[-1][1:] != row:
                seen.append((round(sb.cluster.now - start, 1), *row))
    with observing(sb.cluster, look):
        step_until(sb.cluster, sb.advance, lambda: None, until)
    return seen


async def test_crash_loop_back_off_doubles_to_five_minutes(sb):
    k(sb, "run bb --image=busybox:1.28")
    seen = restarts_at(sb, "bb", 1800)
    loops = [t for t, _, status in seen if status == "CrashLoopBackOff"]
    completed = [(t, n) for t, n, status in seen if status == "Completed"]
    assert [n for _, n in completed][:8] == [0, 1, 2, 3, 4, 5, 6, 7]
    # each restart after a back-off comes 10s, 20s, 40s … later than the one before, at most 5 minutes
    restart_gaps = [round(b - a) for (a, _), (b, _) in zip(completed[1:], completed[2:])]
    assert restart_gaps[:6] == [10, 20, 40, 80, 160, 300]
    assert all(gap == 300 for gap in restart_gaps[6:])
    assert len(loops) == len(completed) - 1
    text = k(sb, "describe pod bb")
    assert "    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n" \
           "      Reason:       Completed\n      Exit Code:    0\n" in text
    assert "Back-off restarting failed container" in text


async def test_restart_policies(sb):
    k(sb, "run never --image=busybox --restart=Never")
    k(sb, "run onfail-ok --image=busybox --restart=OnFailure -- echo done")
    k(sb, "run onfail-bad --image=busybox --restart=OnFailure -- sh -c 'exit 2'")
    k(sb, "run napper --image=busybox -- sleep 30")
    sb.wait(25)
    phases = {p["metadata"]["name"]: p["status"]["phase"] for p in sb.cluster.list("Pod", "default")}
    assert phases == {"never": "Succeeded", "onfail-ok": "Succeeded", "onfail-bad": "Running", "napper": "Running"}
    out = k(sb, "get pods")
    assert "never        0/1     Completed          0" in out
    assert "onfail-bad   0/1     CrashLoopBackOff" in out or "onfail-bad   0/1     Error" in out
    assert "napper       1/1     Running            0" in out
    sb.wait(20)                                     # napper's sleep 30 ended: restarted at once (no back-off yet)
    pod = sb.cluster.get("Pod", "default", "napper")
    assert pod["status"]["containerStatuses"][0]["restartCount"] == 1
    assert pod["status"]["containerStatuses"][0]["lastState"]["terminated"]["reason"] == "Completed"


async def test_a_crash_looping_pod_is_deleted_without_a_grace_period(sb):
    k(sb, "run bb --image=busybox")
    sb.wait(30)
    k(sb, "delete pod bb --wait=false")
    sb.wait(2)
    assert sb.cluster.get("Pod", "default", "bb") is None


async def test_rollout_status_timeout_flag_and_watch_false(sb):
    k(sb, "create deployment web --image=nginx --replicas=2")
    assert k(sb, "rollout status deployment web --timeout=5") == (
        'Error: invalid argument "5" for "--timeout" flag: time: missing unit in duration "5"\n'
        "See 'kubectl rollout status --help' for usage.\n[rc=1]")
    assert k(sb, "rollout status deployment web --watch=false") in (        # one look, no waiting
        "Waiting for deployment spec update to be observed...",
        'Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available...')
    before = sb.cluster.now
    assert k(sb, "rollout status deployment web").endswith('deployment "web" successfully rolled out')
    assert 0 < sb.cluster.now - before < 10              # the clock ran only as long as the rollout took


async def test_rollout_status_without_timeout_stops_at_the_cap(sb):
    from engine.kubectl.waiting import CAP
    k(sb, "create deployment web --image=nginx")
    sb.wait(10)
    k(sb, "rollout pause deployment web")
    k(sb, "set image deployment web nginx=nginx:1.19")
    before = sb.cluster.now
    out, rc = sb.kubectl("rollout status deployment web")
    assert rc == 0 and out.endswith('Waiting for deployment "web" rollout to finish: 0 out of 1 new replicas have been '
                                    "updated...")      # paused: nothing changes for the rest of the hour
    assert sb.cluster.now - before == pytest.approx(CAP)
    assert sb.notes == [("rollout_capped", {"span": "60m"})]


async def test_watch_rows_are_aligned_each_on_their_own(sb):
    k(sb, "run web --image=nginx")
    out = k(sb, "get pods -w")
    lines = out.split("\n")
    assert lines[0] == "NAME   READY   STATUS    RESTARTS   AGE"
    assert lines[1] == "web    0/1     Pending   0          0s"
    assert lines[2] == "web   0/1   Pending   0     0s"               # the scheduler binds it
    assert lines[3] == "web   0/1   ContainerCreating   0     0s"
    assert lines[4].startswith("web   1/1   Running   0     ")
    assert sb.notes == [("watch_stopped", {"span": "30s"})]


async def test_one_wait_over_many_objects_shares_one_cap(sb):
    from engine.kubectl.waiting import CAP
    for i in range(3):
        k(sb, f"run bad{i} --image=nginx:0.0.404")
    before = sb.cluster.now
    out = k(sb, "wait --for=condition=Ready pods --all --timeout=2h")
    assert out.split("\n") == [f"error: timed out waiting for the condition on pods/bad{i}" for i in range(3)] + ["[rc=1]"]
    assert sb.cluster.now - before == pytest.approx(CAP)
    assert sb.notes == [("wait_capped", {"span": "60m"})]


async def test_a_restarted_kubelet_syncs_a_crash_looping_container_again(sb):
    k(sb, "run bb --image=busybox")
    sb.wait(30)
    node = sb.cluster.get("Pod", "default", "bb")["spec"]["nodeName"]
    sb.shell(f"ssh {node} systemctl stop kubelet")
    sb.wait(60)                      # the back-off timer fell due while nobody was there
    before = sb.cluster.get("Pod", "default", "bb")["status"]["containerStatuses"][0]["restartCount"]
    sb.shell(f"ssh {node} systemctl start kubelet")
    sb.wait(20)                      # the node is Ready again and the kubelet syncs its pods
    after = sb.cluster.get("Pod", "default", "bb")["status"]["containerStatuses"][0]["restartCount"]
    assert after > before
    assert sb.cluster.host(node)["crash_backoff"]


async def test_a_watch_stops_at_its_event_bound(sb, monkeypatch):
    from engine.kubectl import watch
    monkeypatch.setattr(watch, "MAX_EVENTS", 5)
    k(sb, "create deployment web --image=nginx --replicas=10")
    before = sb.cluster.now
    out = k(sb, "get pods -w --request-timeout=10m")
    assert len(out.split("\n")) == 1 + 5 and sb.cluster.now - before < 60     # the header, then 5 events


@pytest.mark.parametrize("container,lines", [
    ({"image": "busybox", "args": ["echo", "hello", "world"]}, ["hello world"]),
    ({"image": "busybox", "command": ["sh", "-c", "echo a; date; echo 'b c' && sleep 5"]}, ["a", "b c"]),
    ({"image": "busybox"}, []),
    ({"image": "nginx"}, []),
])
def test_what_a_command_prints(container, lines):
    assert container_exit.printed(container) == lines


async def test_logs_of_a_finished_and_a_crash_looping_container(sb):
    k(sb, "run hello --image=busybox --restart=Never -- echo hello")
    k(sb, "run loop --image=busybox -- sh -c 'echo again'")
    sb.wait(30)
    assert k(sb, "logs hello") == "hello"
    assert k(sb, "logs loop") == "again"                 # CrashLoopBackOff: the last run's log
    assert k(sb, "logs loop -p") == "again"
    assert k(sb, "logs hello -p").startswith('Error from server (BadRequest): previous terminated container "hello"')
