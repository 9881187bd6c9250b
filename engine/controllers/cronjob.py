"""CronJob controller (1.20's v1beta1 controller, pkg/controller/cronjob): Jobs on a schedule.

For each CronJob, as syncOne does it:
- Jobs it owns that finished leave `status.active` (`SawCompletedJob`); Jobs gone leave it too;
- finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit are deleted, oldest
  first, with their pods (`SuccessfulDelete`);
- unless suspended, the most recent schedule time missed since lastScheduleTime (or creation) starts
  a Job `<name>-<scheduled unix seconds>` from the job template, within startingDeadlineSeconds,
  as concurrencyPolicy allows (Forbid skips, Replace deletes the active ones). More than 100 missed
  times is the controller's `FailedNeedsStart` warning.

The real controller polls every 10 s; here a timer `cronjob.due` (namespace, name, uid) is booked at
the next schedule time, so `!wait 3m` stops at each minute on the way.
"""
from __future__ import annotations

import copy

from engine import cron, podops
from engine.cluster import Cluster, controller_of
from engine.controllers.job import finished
from engine.controllers.replicaset import pods_by_owner
from engine.timefmt import parse_rfc3339

DUE = "cronjob.due"
SOURCE = "cronjob-controller"
MAX_MISSED = 100


def sync(cluster: Cluster) -> None:
    if not cluster.list("CronJob"):
        return
    jobs = _jobs_by_owner(cluster)
    for cj in cluster.iter("CronJob"):
        if not cj["metadata"].get("deletionTimestamp"):
            sync_one(cluster, cj, jobs.get(cj["metadata"]["uid"], []))


def due(cluster: Cluster, ns: str, name: str, uid: str) -> None:
    cj = cluster.get("CronJob", ns, name)
    if cj is not None and cj["metadata"]["uid"] == uid:
        sync_one(cluster, cj, _jobs_by_owner(cluster).get(uid, []))


def _jobs_by_owner(cluster: Cluster) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for job in cluster.list("Job"):
        ref = controller_of(job)
        if ref is not None and ref.get("kind") == "CronJob":
            index.setdefault(ref.get("uid"), []).append(job)
    return index


def sync_one(cluster: Cluster, cj: dict, jobs: list[dict]) -> None:
    md, spec = cj["metadata"], cj["spec"]
    status = dict(cj.get("status") or {})
    names = {j["metadata"]["name"]: j for j in jobs}
    active = []
    for ref in status.get("active") or ():
        job = names.get(ref.get("name"))
        if job is None or job["metadata"]["uid"] != ref.get("uid"):
            continue                            # deleted by someone else: forgotten
        state = finished(job)
        if state:
            cluster.event(cj, "SawCompletedJob", f"Saw completed job: {job['metadata']['name']}, status: {state}",
                          SOURCE)
        else:
            active.append(ref)
    _history(cluster, cj, jobs, "Complete", spec.get("successfulJobsHistoryLimit"))
    _history(cluster, cj, jobs, "Failed", spec.get("failedJobsHistoryLimit"))
    try:
        schedule = cron.parse(spec.get("schedule", ""))
    except cron.CronError as err:       # stored before the API server checked it
        _warn_once(cluster, cj, "UnparseableSchedule", f"unparseable schedule: {spec.get('schedule')} : {err}")
        _write(cluster, cj, status, active)
        return
    if not spec.get("suspend"):
        scheduled = _latest_missed(cluster, cj, schedule)
        if scheduled is not None:
            deadline = spec.get("startingDeadlineSeconds")
            if not (isinstance(deadline, int) and scheduled < cluster.now - deadline):
                active = _start(cluster, cj, jobs, active, scheduled, status)
    _write(cluster, cj, status, active)
    _book(cluster, cj, schedule)


def _latest_missed(cluster: Cluster, cj: dict, schedule: cron.Schedule) -> float | None:
    """getRecentUnmetScheduleTimes, keeping only the most recent (the controller starts just that one)."""
    st, spec = cj.get("status") or {}, cj["spec"]
    earliest = parse_rfc3339(st.get("lastScheduleTime") or cj["metadata"]["creationTimestamp"])
    deadline = spec.get("startingDeadlineSeconds")
    if isinstance(deadline, int):
        earliest = max(earliest, cluster.now - deadline)
    latest, count, t = None, 0, schedule.next(earliest)
    while t is not None and t <= cluster.now:
        latest, count = t, count + 1
        if count > MAX_MISSED:
            _warn_once(cluster, cj, "FailedNeedsStart", "Cannot determine if job needs to be started: too many "
                       "missed start time (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew.")
            return None
        t = schedule.next(t)
    return latest


def _start(cluster: Cluster, cj: dict, jobs: list[dict], active: list[dict], scheduled: float,
           status: dict) -> list[dict]:
    from engine.apiserver import server
    from engine.apiserver.errors import StatusError
    md, spec = cj["metadata"], cj["spec"]
    policy = spec.get("concurrencyPolicy", "Allow")
    if policy == "Forbid" and active:
        return active
    if policy == "Replace":
        for ref in active:
            job = next((j for j in jobs if j["metadata"]["uid"] == ref.get("uid")), None)
            if job is not None:
                delete_job(cluster, cj, job)
        active = []
    template = spec.get("jobTemplate") or {}
    job_md = template.get("metadata") or {}
    job = {"apiVersion": "batch/v1", "kind": "Job",
           "metadata": {"name": f"{md['name']}-{int(scheduled)}", "namespace": md["namespace"],
                        "ownerReferences": [{"apiVersion": cj["apiVersion"], "kind": "CronJob", "name": md["name"],
                                             "uid": md["uid"], "controller": True, "blockOwnerDeletion": True}]},
           "spec": copy.deepcopy(template.get("spec") or {})}
    if job_md.get("labels"):
        job["metadata"]["labels"] = dict(job_md["labels"])
    if job_md.get("annotations"):
        job["metadata"]["annotations"] = dict(job_md["annotations"])
    status["lastScheduleTime"] = cluster.stamp(scheduled)
    try:
        server.create(cluster, job)
    except StatusError as err:          # the object cap, or a template the server refuses
        cluster.event(cj, "FailedCreate", f"Error creating job: {err.message}", SOURCE, type_="Warning")
        return active
    cluster.event(cj, "SuccessfulCreate", f"Created job {job['metadata']['name']}", SOURCE)
    return active + [{"apiVersion": "batch/v1", "kind": "Job", "name": job["metadata"]["name"],
                      "namespace": md["namespace"], "resourceVersion": job["metadata"]["resourceVersion"],
                      "uid": job["metadata"]["uid"]}]


def _history(cluster: Cluster, cj: dict, jobs: list[dict], state: str, limit) -> None:
    if not isinstance(limit, int):
        return
    done = sorted((j for j in jobs if finished(j) == state and cluster.get("Job", j["metadata"]["namespace"],
                                                                             j["metadata"]["name"]) is not None),
                  key=lambda j: ((j.get("status") or {}).get("startTime") or "", j["metadata"]["name"]))
    for job in done[:max(0, len(done) - limit)]:
        delete_job(cluster, cj, job)


def delete_job(cluster: Cluster, cj: dict, job: dict) -> None:
    """deleteJob: the controller removes the Job's pods itself, then the Job."""
    for pod in pods_by_owner(cluster).get(job["metadata"]["uid"], []):
        podops.delete_pod(cluster, pod, force=True)
    cluster.remove(job)
    cluster.event(cj, "SuccessfulDelete", f"Deleted job {job['metadata']['name']}", SOURCE)


def _warn_once(cluster: Cluster, cj: dict, reason: str, message: str) -> None:
    """The real controller repeats these every 10 s poll; here once per version of the CronJob (an event
    on every controller pass would count as a change and keep the controllers from settling)."""
    key = (cj["metadata"]["uid"], cj["metadata"].get("resourceVersion"), reason)
    warned = cluster.cache.setdefault("cronjob_warned", set())
    if key not in warned:
        warned.add(key)
        cluster.event(cj, reason, message, SOURCE, type_="Warning")


def _write(cluster: Cluster, cj: dict, status: dict, active: list[dict]) -> None:
    if active:
        status["active"] = active
    else:
        status.pop("active", None)
    if cj.get("status") != status:
        cj["status"] = status
        cluster.update(cj)


def _book(cluster: Cluster, cj: dict, schedule: cron.Schedule) -> None:
    """A timer at the next schedule time (once: a controller pass must not pile them up)."""
    md = cj["metadata"]
    if cj["spec"].get("suspend"):
        return
    key = (md["namespace"], md["name"], md["uid"])
    if any(tuple(t.key) == key for t in cluster.clock.pending(DUE)):
        return
    at = schedule.next(cluster.now)
    if at is not None:
        cluster.schedule(at - cluster.now, DUE, *key)
