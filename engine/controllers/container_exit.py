"""Containers whose process ends: the kubelet's restart policy and crash-loop back-off.

An image whose default command is a shell (busybox, alpine, the dnsutils images: `exits: true` in
content/images.yaml) ends at once without a terminal; a command the student gave ends when it is
done (`echo hi`, `sleep 30`) or never (`sleep infinity`, `while true`, a server). Then, as the
kubelet does:
- restartPolicy Never, or OnFailure with exit code 0: the container stays terminated (`Completed`,
  or `Error` for a non-zero code); when all have ended the pod is Succeeded or Failed.
- Always, or OnFailure with a non-zero code: restarted. The first restart comes at the next sync;
  an exit within the back-off of the previous restart waits in `CrashLoopBackOff` (10s, 20s, 40s
  … 300s, reset after 10 minutes without trouble), RESTARTS counting every restart.

Timers: `kubelet.exited` (a container's process ended), `kubelet.restart` (the sync after an exit:
restart, or wait out the back-off) and `kubelet.rerun` (pulled if the policy says so, it runs again).
"""
from __future__ import annotations

import re
import shlex

from engine import images

EXITED, RESTART, RERUN = "kubelet.exited", "kubelet.restart", "kubelet.rerun"
QUICK = 0.3                 # a shell with no terminal, or `echo hi`: gone within the second it started
SYNC = 1.0                  # exit -> the kubelet's next sync of the pod (PLEG relist)
BACKOFF_FIRST, BACKOFF_MAX = 10.0, 300.0
BACKOFF_RESET = 2 * BACKOFF_MAX          # the kubelet forgets a back-off entry this long after its last use
FOREVER = re.compile(r"sleep\s+inf|while\s+(true|:|\[\s*1\s*\])|tail\s+-f|httpd\s+-f|nc\s+-l|until\s+false")
_SLEEP = re.compile(r"sleep\s+(\d+(?:\.\d+)?)([smhd]?)\b")
_EXIT = re.compile(r"\bexit\s+(\d+)")
# Programs that do their job and end (what students run in a busybox pod).
SHORT_LIVED = {"echo", "date", "true", "false", "env", "printenv", "hostname", "cat", "ls", "nslookup", "wget",
               "curl", "ping", "sh", "bash", "ash", "exit", "uname", "id", "pwd", "whoami", "df", "ps", "dig",
               "host", "mkdir", "touch", "printf", "sleep", "expr", "test", "nc"}
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def lifetime(container: dict) -> tuple[float, int] | None:
    """(seconds the process runs, its exit code), or None when it runs until stopped."""
    argv = [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]
    entry = images.entry(container.get("image", "")) or {}
    if not argv:
        return (QUICK, 0) if entry.get("exits") else None
    if not container.get("command") and not entry.get("exits"):
        return None                     # args for a server's own entrypoint (e.g. nginx -g …): it serves
    text = " ".join(argv)
    if FOREVER.search(text):
        return None
    words = [w for part in argv for w in _words(part)]
    if not words or words[0].rsplit("/", 1)[-1] not in SHORT_LIVED:
        return None
    code = 0
    if m := _EXIT.search(text):
        code = int(m.group(1)) % 256
    elif words[0].rsplit("/", 1)[-1] == "false" or re.search(r"(^|[;&|]\s*)false\s*$", text):
        code = 1
    slept = sum(float(n) * _UNIT[u] for n, u in _SLEEP.findall(text))
    return (slept + QUICK if slept else QUICK), code


def printed(container: dict) -> list[str]:
    """What the command prints that the sandbox can know: its `echo`s (`echo hi`, `sh -c 'echo a; echo b'`)."""
    argv = [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]
    if not argv:
        return []
    if argv[0].rsplit("/", 1)[-1] in ("sh", "bash", "ash") and "-c" in argv[1:-1]:
        script = argv[argv.index("-c") + 1]
        statements = [_words(part) for part in re.split(r";|&&|\n", script)]
    else:
        statements = [argv]
    return [" ".join(words[1:]) for words in statements if words and words[0] == "echo"]


def _words(part: str) -> list[str]:
    try:
        return shlex.split(part)
    except ValueError:
        return part.split()


def schedule_exits(cluster, pod: dict) -> None:
    """The containers were just started: book the end of those that end. One that ends at once is
    already over when the kubelet next reports (its `Running` is never seen), so it ends here."""
    from engine.controllers.kubelet import pod_ref
    for c in pod["spec"]["containers"]:
        life = lifetime(c)
        if life is None:
            continue
        if life[0] <= QUICK:
            _finish(cluster, pod, c["name"], _started_at(pod, c["name"]), life[1])
        else:
            cluster.schedule(life[0], EXITED, *pod_ref(pod), c["name"], _started_at(pod, c["name"]))


def _status_of(pod: dict, name: str) -> dict | None:
    return next((cs for cs in pod["status"].get("containerStatuses") or () if cs["name"] == name), None)


def _started_at(pod: dict, name: str) -> str:
    cs = _status_of(pod, name) or {}
    return ((cs.get("state") or {}).get("running") or {}).get("startedAt", "")


def _live_pod(cluster, ns: str, name: str, uid: str) -> dict | None:
    from engine.controllers import kubelet
    pod = kubelet.find_pod(cluster, ns, name, uid)
    if pod is None or pod["metadata"].get("deletionTimestamp") or not kubelet.api_up(cluster):
        return None
    return pod if kubelet._host_up(cluster, pod["spec"].get("nodeName")) else None


def _restarts(policy: str, code: int) -> bool:
    return policy == "Always" or (policy == "OnFailure" and code != 0)


def exited(cluster, ns: str, name: str, uid: str, container: str, started_at: str) -> None:
    pod = _live_pod(cluster, ns, name, uid)
    if pod is None or _status_of(pod, container) is None or _started_at(pod, container) != started_at:
        return                          # restarted or replaced since this exit was booked
    c = next(c for c in pod["spec"]["containers"] if c["name"] == container)
    _finish(cluster, pod, container, started_at, lifetime(c)[1])
    cluster.update(pod)


def _finish(cluster, pod: dict, container: str, started_at: str, code: int) -> None:
    """The process ended with `code`: the container is terminated; restart it or let the pod end."""
    from engine.controllers.kubelet import pod_ref
    cs = _status_of(pod, container)
    cs["state"] = {"terminated": {"containerID": cs.get("containerID", ""), "exitCode": code,
                                  "finishedAt": cluster.stamp(), "reason": "Completed" if code == 0 else "Error",
                                  "startedAt": started_at}}
    cs["ready"] = False
    cs["started"] = False
    policy = pod["spec"].get("restartPolicy", "Always")
    statuses = pod["status"]["containerStatuses"]
    if not _restarts(policy, code) and all("terminated" in (s.get("state") or {}) for s in statuses):
        failed = any(s["state"]["terminated"].get("exitCode") for s in statuses)
        pod["status"]["phase"] = "Failed" if failed else "Succeeded"
    _set_ready(cluster, pod, False)
    if _restarts(policy, code):
        cluster.schedule(SYNC, RESTART, *pod_ref(pod), container, started_at)


def restart(cluster, ns: str, name: str, uid: str, container: str, started_at: str) -> None:
    """The kubelet's sync after an exit, or the end of a back-off: restart now, or wait in CrashLoopBackOff."""
    pod = _live_pod(cluster, ns, name, uid)
    cs = pod and _status_of(pod, container)
    if cs is None or "running" in (cs.get("state") or {}):
        return
    node = pod["spec"]["nodeName"]
    backoffs = cluster.host(node).setdefault("crash_backoff", {})
    key = f"{uid}/{container}"
    entry = backoffs.get(key)
    finished = cluster.now
    for old in [k for k, e in backoffs.items() if finished - e["last"] > BACKOFF_RESET]:
        del backoffs[old]               # the kubelet's back-off GC (gone pods' entries too)
    c = next(c for c in pod["spec"]["containers"] if c["name"] == container)
    pull = images.pull_seconds(cluster, c["image"], True) if c.get("imagePullPolicy") == "Always" else 0.5
    if entry is not None and finished - entry["last"] < entry["delay"]:
        delay = entry["delay"]
        if "terminated" in cs["state"]:
            cs["lastState"] = {"terminated": cs["state"]["terminated"]}
        cs["state"] = {"waiting": {"message": f"back-off {_secs(delay)} restarting failed container={container} "
                                              f"pod={name}_{ns}({uid})", "reason": "CrashLoopBackOff"}}
        cluster.event(pod, "BackOff", "Back-off restarting failed container", "kubelet", type_="Warning",
                      host=node, field_path=f"spec.containers{{{container}}}")
        cluster.update(pod)
        # The back-off ends at last+delay: the kubelet restarts it then (backOff.Next doubles the entry);
        # booked here as one timer for the pull's end (rerun reports the pull's start with it).
        at = entry["last"] + delay
        backoffs[key] = {"delay": min(delay * 2, BACKOFF_MAX), "last": at}
        cluster.schedule(at - cluster.now + pull, RERUN, ns, name, uid, container, started_at)
        return
    # kubelet's backOff.Next: a fresh (or forgotten) entry starts at 10s, a live one doubles.
    if entry is None or finished - entry["last"] > BACKOFF_RESET:
        backoffs[key] = {"delay": BACKOFF_FIRST, "last": finished}
    else:
        backoffs[key] = {"delay": min(entry["delay"] * 2, BACKOFF_MAX), "last": finished}
    if c.get("imagePullPolicy") == "Always":
        cluster.event(pod, "Pulling", f'Pulling image "{c["image"]}"', "kubelet", host=node,
                      field_path=f"spec.containers{{{container}}}")
    cluster.schedule(pull, RERUN, ns, name, uid, container, started_at)


def rerun(cluster, ns: str, name: str, uid: str, container: str, started_at: str) -> None:
    pod = _live_pod(cluster, ns, name, uid)
    cs = pod and _status_of(pod, container)
    if cs is None or "running" in (cs.get("state") or {}):
        return
    c = next(c for c in pod["spec"]["containers"] if c["name"] == container)
    node = pod["spec"]["nodeName"]
    path = f"spec.containers{{{container}}}"
    if c.get("imagePullPolicy") == "Always":
        if (cs["state"].get("waiting") or {}).get("reason") == "CrashLoopBackOff":     # restarted after a back-off
            cluster.event(pod, "Pulling", f'Pulling image "{c["image"]}"', "kubelet", host=node, field_path=path)
        took = cluster.rng.uniform(1.2, 2.9)
        cluster.event(pod, "Pulled", f'Successfully pulled image "{c["image"]}" in {took:.9f}s', "kubelet",
                      host=node, field_path=path)
    else:
        cluster.event(pod, "Pulled", f'Container image "{c["image"]}" already present on machine', "kubelet",
                      host=node, field_path=path)
    cluster.event(pod, "Created", f"Created container {container}", "kubelet", host=node, field_path=path)
    cluster.event(pod, "Started", f"Started container {container}", "kubelet", host=node, field_path=path)
    last = cs["state"].get("terminated") or (cs.get("lastState") or {}).get("terminated")
    if last:
        cs["lastState"] = {"terminated": last}
    stamp = cluster.stamp()
    cs.update(containerID="docker://" + cluster.rng.hex(64), ready=True, started=True,
              restartCount=cs.get("restartCount", 0) + 1, state={"running": {"startedAt": stamp}})
    pod["status"]["phase"] = "Running"
    _set_ready(cluster, pod, all(s.get("ready") for s in pod["status"]["containerStatuses"]))
    life = lifetime(c)
    if life is not None and life[0] <= QUICK:
        _finish(cluster, pod, container, stamp, life[1])
    elif life is not None:
        cluster.schedule(life[0], EXITED, ns, name, uid, container, stamp)
    cluster.update(pod)


def resume(cluster, pod: dict) -> bool:
    """A restarted kubelet picks up containers it left ended or backing off (their timers were
    dropped while it was away): it syncs them again. True when there was such a container."""
    from engine.controllers.kubelet import pod_ref
    booked = False
    for c in pod["spec"]["containers"]:
        cs = _status_of(pod, c["name"]) or {}
        state = cs.get("state") or {}
        term = state.get("terminated") or (cs.get("lastState") or {}).get("terminated") or {}
        waiting = (state.get("waiting") or {}).get("reason") == "CrashLoopBackOff"
        if (waiting or "terminated" in state) and _restarts(pod["spec"].get("restartPolicy", "Always"),
                                                            term.get("exitCode", 0)):
            cluster.host(pod["spec"]["nodeName"]).get("crash_backoff", {}).pop(f"{pod['metadata']['uid']}/{c['name']}",
                                                                                None)    # a new kubelet forgets it
            cluster.cancel(RESTART, *pod_ref(pod), c["name"], term.get("startedAt", ""))
            cluster.cancel(RERUN, *pod_ref(pod), c["name"], term.get("startedAt", ""))
            cluster.schedule(SYNC, RESTART, *pod_ref(pod), c["name"], term.get("startedAt", ""))
            booked = True
    return booked


def _set_ready(cluster, pod: dict, ready: bool) -> None:
    succeeded = pod["status"].get("phase") == "Succeeded"
    for cond in pod["status"].get("conditions") or ():
        if cond["type"] in ("Ready", "ContainersReady"):
            want = "True" if ready else "False"
            if cond["status"] != want:
                cond.update(status=want, lastTransitionTime=cluster.stamp())
            if ready:
                cond.pop("reason", None)
            else:
                cond["reason"] = "PodCompleted" if succeeded else "ContainersNotReady"


def running(pod: dict) -> bool:
    """Some container of the pod has a live process (a crash-looping or finished one has none)."""
    return any("running" in (cs.get("state") or {}) for cs in pod["status"].get("containerStatuses") or ())


def _secs(delay: float) -> str:
    minutes, seconds = divmod(int(delay), 60)
    return f"{minutes}m{seconds}s" if minutes else f"{seconds}s"
