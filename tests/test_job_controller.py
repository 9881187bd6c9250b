"""The Job controller's counting and back-off, and the CronJob controller's history limits."""
from __future__ import annotations

from engine.controllers import job as job_controller
from engine.timefmt import parse_rfc3339

FAILING = """apiVersion: batch/v1
kind: Job
metadata:
  name: boom
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: boom
        image: busybox
        command: ["sh", "-c", "exit 3"]
"""


def test_backoff_doubles_and_caps():
    assert [job_controller.backoff(n) for n in (0, 1, 2, 3, 6, 7, 30)] == [0, 10, 20, 40, 320, 360, 360]


def _pods(sb, prefix):
    return sorted((p for p in sb.cluster.list("Pod", "default") if p["metadata"]["name"].startswith(prefix)),
                  key=lambda p: p["metadata"]["creationTimestamp"])


def test_failed_pods_are_replaced_after_the_backoff_until_the_limit(sb):
    out, rc = sb.kubectl("apply -f -", FAILING)
    assert (out, rc) == ("job.batch/boom created", 0)
    sb.wait(5)
    assert len(_pods(sb, "boom-")) == 1                 # failed at once; the next waits 10s
    sb.wait(120)
    pods = _pods(sb, "boom-")
    assert len(pods) == 3 and all(p["status"]["phase"] == "Failed" for p in pods)
    created = [parse_rfc3339(p["metadata"]["creationTimestamp"]) for p in pods]
    gaps = [b - a for a, b in zip(created, created[1:])]
    assert 10 <= gaps[0] < 13 and 20 <= gaps[1] < 23       # 10s, then 20s after each failure
    job = sb.cluster.get("Job", "default", "boom")
    cond = job["status"]["conditions"][0]
    assert (cond["type"], cond["reason"]) == ("Failed", "BackoffLimitExceeded")
    assert job["status"]["failed"] == 3 and "active" not in job["status"]
    out, _ = sb.kubectl("get job boom")
    assert out.split("\n")[1].split()[:2] == ["boom", "0/1"]


def test_onfailure_restarts_count_toward_the_limit(sb):
    sb.kubectl("apply -f -", FAILING.replace("Never", "OnFailure"))
    sb.wait(600)
    pods = _pods(sb, "boom-")
    assert len(pods) == 0                                # the failed Job deleted its restarting pod
    cond = sb.cluster.get("Job", "default", "boom")["status"]["conditions"][0]
    assert cond["reason"] == "BackoffLimitExceeded"


def test_cronjob_keeps_three_successful_jobs_and_deleting_it_cascades(sb):
    sb.kubectl("create cronjob tick --image=busybox --schedule=*/1 * * * * -- echo hi".replace(
        "*/1 * * * *", "'*/1 * * * *'"))
    sb.wait(5 * 60 + 30)
    jobs = [j["metadata"]["name"] for j in sb.cluster.list("Job", "default")]
    assert len(jobs) == 3 and all(j.startswith("tick-") for j in jobs)
    assert len(_pods(sb, "tick-")) == 3
    out, rc = sb.kubectl("delete cronjob tick")
    assert rc == 0
    sb.wait(5)
    assert sb.cluster.list("Job", "default") == [] and _pods(sb, "tick-") == []


def test_active_deadline_fails_the_job_and_stops_its_pods(sb):
    sb.kubectl("apply -f -", FAILING.replace("backoffLimit: 2", "activeDeadlineSeconds: 10")
               .replace('["sh", "-c", "exit 3"]', '["sleep", "60"]'))
    sb.wait(9)
    assert sb.cluster.get("Job", "default", "boom")["status"].get("active") == 1
    sb.wait(3)
    job = sb.cluster.get("Job", "default", "boom")
    assert job["status"]["conditions"][0]["reason"] == "DeadlineExceeded"
    assert "active" not in job["status"]
    assert all(p["metadata"].get("deletionTimestamp") for p in _pods(sb, "boom-"))


CRON = """apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: slow
spec:
  schedule: "*/1 * * * *"
  concurrencyPolicy: {policy}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
            command: ["sleep", "300"]
"""


def test_concurrency_policies(sb):
    for policy, name in (("Forbid", "forbid"), ("Replace", "replace")):
        sb.kubectl("apply -f -", CRON.format(policy=policy).replace("name: slow", f"name: {name}"))
    sb.wait(4 * 60)
    jobs = {j["metadata"]["name"]: j for j in sb.cluster.list("Job", "default")}
    forbid = [n for n in jobs if n.startswith("forbid-")]
    replace = [n for n in jobs if n.startswith("replace-")]
    assert len(forbid) == 1                      # the first still runs: later times are skipped
    assert len(replace) == 1 and replace[0] > forbid[0].replace("forbid", "replace")   # the newest replaced the rest
    active = sb.cluster.get("CronJob", "default", "replace")["status"]["active"]
    assert [ref["name"] for ref in active] == replace


def test_a_job_made_from_a_cronjob_is_not_counted_but_goes_with_it(sb):
    sb.kubectl("create cronjob tick --image=busybox --schedule='0 0 1 1 *' -- echo hi")
    assert sb.kubectl("create job manual --from=cronjob/tick") == ("job.batch/manual created", 0)
    ref = sb.cluster.get("Job", "default", "manual")["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref.get("controller")) == ("CronJob", None)
    sb.wait(10)
    assert "active" not in sb.cluster.get("CronJob", "default", "tick")["status"]
    sb.kubectl("delete cronjob tick")
    sb.wait(5)
    assert sb.cluster.get("Job", "default", "manual") is None and _pods(sb, "manual-") == []
