"""An image the lab cannot pull (control-plane.md §6.4): ErrImagePull right after each failed
attempt, ImagePullBackOff while waiting, retries after 10 s, 20 s, 40 s … capped at 300 s."""
from __future__ import annotations


from engine.controllers import kubelet

NOW = 1795000000.0
DENIED = ("rpc error: code = Unknown desc = Error response from daemon: pull access denied for ngnix, repository "
          "does not exist or may require 'docker login': denied: requested access to the resource is denied")




def status(sb, name: str) -> str:
    out, rc = sb.kubectl(f"get pod {name} --no-headers")
    assert rc == 0, out
    return out.split()[1:3]


def pulls(sb, name: str) -> int:
    pod = sb.cluster.get("Pod", "default", name)
    return sum(e["count"] for e in sb.cluster.events_for(pod) if e["reason"] == "Pulling")


def test_backoff_doubles_to_five_minutes():
    assert [kubelet.pull_backoff_seconds(n) for n in range(1, 8)] == [10, 20, 40, 80, 160, 300, 300]


def test_daemon_messages():
    assert kubelet.pull_error("ngnix") == DENIED
    assert kubelet.pull_error("nginx:1.99") == ("rpc error: code = Unknown desc = Error response from daemon: "
                                               "manifest for nginx:1.99 not found: manifest unknown: manifest unknown")


async def test_errimagepull_then_backoff(sb):
    sb.kubectl("run bad --image=ngnix")
    sb.wait(1)
    assert status(sb, "bad") == ["0/1", "ContainerCreating"]
    sb.wait(1)
    assert status(sb, "bad") == ["0/1", "ErrImagePull"]
    pod = sb.cluster.get("Pod", "default", "bad")
    assert pod["status"]["containerStatuses"][0]["state"]["waiting"] == {"message": DENIED, "reason": "ErrImagePull"}
    sb.wait(1)
    assert status(sb, "bad") == ["0/1", "ImagePullBackOff"]
    messages = [e["message"] for e in sb.cluster.events_for(pod)]
    assert messages[-5:] == ['Pulling image "ngnix"', f'Failed to pull image "ngnix": {DENIED}', "Error: ErrImagePull",
                             'Back-off pulling image "ngnix"', "Error: ImagePullBackOff"]
    assert pulls(sb, "bad") == 1
    sb.wait(8)                                    # 11 s in: the 10 s back-off has not run out yet
    assert pulls(sb, "bad") == 1
    sb.wait(1)
    assert pulls(sb, "bad") == 2
    sb.wait(1.5)
    assert status(sb, "bad") == ["0/1", "ErrImagePull"]
    sb.wait(3600)
    # attempts at 0.4, 11.9, 33.4, 74.9, 156.4, 317.9 s, then every 301.5 s (300 s back-off + the
    # 1.5 s failing pull): 16 by now (3613.5 s), the 17th is due at 3634.4 s
    assert pulls(sb, "bad") == 16
    assert status(sb, "bad") == ["0/1", "ImagePullBackOff"]


async def test_deleting_a_pod_that_cannot_pull(sb):
    sb.kubectl("run bad --image=nginx:1.99")
    sb.wait(5)
    assert sb.kubectl("delete pod bad") == ('pod "bad" deleted', 0)
    sb.wait(5)
    assert sb.cluster.get("Pod", "default", "bad") is None


async def test_catalogue_images_still_start(sb):
    sb.kubectl("run good --image=nginx")
    sb.wait(30)
    assert status(sb, "good") == ["1/1", "Running"]
