"""Job controller (1.20 pkg/controller/job): pods that run to completion.

Level-triggered on the Job and its pods (owned through the controller reference):
- `parallelism` pods at most are active, and no more than the completions still missing;
- a pod that ends `Succeeded` counts toward `completions`; when they are all in, the Job gets the
  `Complete` condition, its completionTime, and the `Completed` event;
- a pod that ends `Failed` (restartPolicy Never) counts as a failure; its replacement waits the
  controller's back-off (10s, 20s, 40s … at most 6 minutes); more failures than `backoffLimit`, or
  (OnFailure) as many container restarts as `backoffLimit`, fail the Job with `BackoffLimitExceeded`
  and delete its active pods;
- `activeDeadlineSeconds` past the start fails it with `DeadlineExceeded`.

Timer: `job.sync` (namespace, name, uid) — the end of a back-off or of the active deadline.
"""
from __future__ import annotations

from engine import podops
from engine.cluster import Cluster, TooManyObjects, owner_ref
from engine.controllers.replicaset import FAILED_CREATE, pods_by_owner
from engine.timefmt import parse_rfc3339

SYNC = "job.sync"
BACKOFF_FIRST, BACKOFF_MAX = 10.0, 360.0       # DefaultJobBackOff, MaxJobBackOff
SOURCE = "job-controller"


def backoff(failures: int) -> float:
    """The wait before the next pod after `failures` failed ones (the work queue's exponential back-off)."""
    if failures <= 0:
        return 0.0
    return min(BACKOFF_FIRST * 2 ** min(failures - 1, 16), BACKOFF_MAX)


def finished(job: dict) -> str | None:
    """`Complete` or `Failed` once the Job has that condition."""
    for c in (job.get("status") or {}).get("conditions") or ():
        if c.get("type") in ("Complete", "Failed") and c.get("status") == "True":
            return c["type"]
    return None


def sync(cluster: Cluster) -> None:
    if not cluster.list("Job"):
        return                      # the pod index costs a pass over every pod: only when there is a Job
    index = pods_by_owner(cluster)
    for job in cluster.iter("Job"):
        if not job["metadata"].get("deletionTimestamp") and not finished(job):
            sync_one(cluster, job, index.get(job["metadata"]["uid"], []))


def timer(cluster: Cluster, ns: str, name: str, uid: str) -> None:
    job = cluster.get("Job", ns, name)
    if job is not None and job["metadata"]["uid"] == uid and not finished(job):
        sync_one(cluster, job, pods_by_owner(cluster).get(uid, []))


def sync_one(cluster: Cluster, job: dict, pods: list[dict]) -> None:
    spec, md = job["spec"], job["metadata"]
    status = dict(job.get("status") or {})
    now = cluster.now
    if not status.get("startTime"):
        status["startTime"] = cluster.stamp()
        deadline = spec.get("activeDeadlineSeconds")
        if isinstance(deadline, int):
            cluster.schedule(deadline, SYNC, md["namespace"], md["name"], md["uid"])
    live = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
    active = [p for p in live if p["status"].get("phase") not in ("Succeeded", "Failed")]
    succeeded = sum(1 for p in pods if p["status"].get("phase") == "Succeeded")
    failed = sum(1 for p in pods if p["status"].get("phase") == "Failed")
    limit = spec.get("backoffLimit", 6)
    completions = spec.get("completions")
    failure = None
    if failed > limit or _restarts_past_limit(spec, active, limit):
        failure = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    elif isinstance(spec.get("activeDeadlineSeconds"), int) and \
            now - parse_rfc3339(status["startTime"]) >= spec["activeDeadlineSeconds"]:
        failure = ("DeadlineExceeded", "Job was active longer than specified deadline")
    if failure:
        for pod in active:
            podops.delete_pod(cluster, pod)
            cluster.event(job, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}", SOURCE)
        active = []
        status["conditions"] = [_condition(cluster, "Failed", *failure)]
        cluster.event(job, failure[0], failure[1], SOURCE, type_="Warning")
    elif completions is not None and succeeded >= completions or (completions is None and succeeded and not active):
        status["conditions"] = [_condition(cluster, "Complete")]
        status["completionTime"] = cluster.stamp()
        cluster.event(job, "Completed", "Job completed", SOURCE)
    else:
        want = spec.get("parallelism", 1)
        if completions is not None:
            want = min(want, completions - succeeded)
        elif succeeded:
            want = 0                            # a work queue: one success means the work is done
        missing = want - len(active)
        if missing > 0 and failed:
            wait = _last_failure(pods) + backoff(failed) - now
            if wait > 0:
                cluster.cancel(SYNC, md["namespace"], md["name"], md["uid"])
                cluster.schedule(wait, SYNC, md["namespace"], md["name"], md["uid"])
                missing = 0
        for _ in range(max(0, missing)):
            try:
                pod = podops.create_from_template(cluster, spec["template"], md["namespace"], md["name"] + "-",
                                                  owner_ref(job))
            except TooManyObjects:
                cluster.event(job, "FailedCreate", FAILED_CREATE, SOURCE, type_="Warning")
                break
            cluster.event(job, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}", SOURCE)
            active.append(pod)
    for key, value in (("active", len(active)), ("succeeded", succeeded), ("failed", failed)):
        if value:
            status[key] = value
        else:
            status.pop(key, None)
    if job.get("status") != status:
        job["status"] = status
        cluster.update(job)


def _restarts_past_limit(spec: dict, active: list[dict], limit: int) -> bool:
    """pastBackoffLimitOnFailure: with OnFailure the kubelet restarts in place; their restarts count."""
    if (spec["template"].get("spec") or {}).get("restartPolicy") != "OnFailure":
        return False
    restarts = sum(cs.get("restartCount", 0) for p in active if p["status"].get("phase") in ("Running", "Pending")
                   for cs in (p["status"].get("initContainerStatuses") or []) + (p["status"].get("containerStatuses") or []))
    return restarts > 0 if limit == 0 else restarts >= limit


def _last_failure(pods: list[dict]) -> float:
    stamps = [((cs.get("state") or {}).get("terminated") or {}).get("finishedAt")
              for p in pods if p["status"].get("phase") == "Failed"
              for cs in p["status"].get("containerStatuses") or ()]
    return max((parse_rfc3339(s) for s in stamps if s), default=0.0)


def _condition(cluster: Cluster, kind: str, reason: str = "", message: str = "") -> dict:
    cond = {"lastProbeTime": cluster.stamp(), "lastTransitionTime": cluster.stamp(), "status": "True", "type": kind}
    if reason:
        cond.update(reason=reason, message=message)
    return cond
