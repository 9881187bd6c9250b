"""How kubectl 1.20 prints Jobs and CronJobs: the server's table columns (printers.go
printJob / printCronJob) and `kubectl describe` (describeJob / describeCronJob)."""
from __future__ import annotations

from engine.cluster import Cluster
from engine.kubectl.columns import _age, _containers, _images, _name, selector_string
from engine.kubectl.describe_pod import describe_template
from engine.kubectl.describe_writer import Writer, controller_string, since, when
from engine.timefmt import human_duration, parse_rfc3339


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _status(obj: dict) -> dict:
    return obj.get("status") or {}


def job_completions(job: dict, now: float = 0.0) -> str:
    spec, succeeded = _spec(job), _status(job).get("succeeded", 0)
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = spec.get("parallelism") or 0
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def job_duration(job: dict, now: float) -> str:
    st = _status(job)
    if not st.get("startTime"):
        return ""
    end = parse_rfc3339(st["completionTime"]) if st.get("completionTime") else now
    return human_duration(end - parse_rfc3339(st["startTime"]))


def _template_spec(job_spec: dict) -> dict:
    return (job_spec.get("template") or {}).get("spec") or {}


def _job_template(cj: dict) -> dict:
    return (_spec(cj).get("jobTemplate") or {}).get("spec") or {}


def bool_ptr(value) -> str:
    """printBoolPtr."""
    return "<unset>" if value is None else ("True" if value else "False")


def _last_schedule(cj: dict, now: float) -> str:
    stamp = _status(cj).get("lastScheduleTime")
    return since(now, stamp) if stamp else "<none>"


JOB_COLUMNS = ([("NAME", _name), ("COMPLETIONS", job_completions), ("DURATION", job_duration), ("AGE", _age)],
               [("CONTAINERS", lambda o, n: _containers(_template_spec(_spec(o)))),
                ("IMAGES", lambda o, n: _images(_template_spec(_spec(o)))),
                ("SELECTOR", lambda o, n: selector_string(_spec(o).get("selector")))])
CRONJOB_COLUMNS = ([("NAME", _name), ("SCHEDULE", lambda o, n: str(_spec(o).get("schedule", ""))),
                    ("SUSPEND", lambda o, n: bool_ptr(_spec(o).get("suspend"))),
                    ("ACTIVE", lambda o, n: str(len(_status(o).get("active") or ()))),
                    ("LAST SCHEDULE", _last_schedule), ("AGE", _age)],
                   [("CONTAINERS", lambda o, n: _containers(_template_spec(_job_template(o)))),
                    ("IMAGES", lambda o, n: _images(_template_spec(_job_template(o)))),
                    ("SELECTOR", lambda o, n: selector_string(_job_template(o).get("selector")))])


def _count(value) -> str:
    return "<unset>" if value is None else str(value)


def describe_job(cluster: Cluster, job: dict, events: list[dict] | None) -> str:
    md, spec, st = job["metadata"], _spec(job), _status(job)
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{md['name']}\n")
    w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{selector_string(spec.get('selector')).replace('<none>', '')}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    if controller_string(job):
        w.write(0, f"Controlled By:\t{controller_string(job)}\n")
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{spec['parallelism']}\n")
    w.write(0, f"Completions:\t{_count(spec.get('completions'))}\n")
    if st.get("startTime"):
        w.write(0, f"Start Time:\t{when(st['startTime'])}\n")
    if st.get("completionTime"):
        w.write(0, f"Completed At:\t{when(st['completionTime'])}\n")
    if st.get("startTime") and st.get("completionTime"):
        w.write(0, f"Duration:\t{job_duration(job, cluster.now)}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    w.write(0, f"Pods Statuses:\t{st.get('active', 0)} Running / {st.get('succeeded', 0)} Succeeded / "
               f"{st.get('failed', 0)} Failed\n")
    describe_template(w, spec.get("template"))
    w.events(events)
    return w.text()


def describe_cronjob(cluster: Cluster, cj: dict, events: list[dict] | None) -> str:
    md, spec, st = cj["metadata"], _spec(cj), _status(cj)
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{md['name']}\n")
    w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    w.write(0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    w.write(0, f"Suspend:\t{bool_ptr(spec.get('suspend'))}\n")
    w.write(0, f"Successful Job History Limit:\t{_count(spec.get('successfulJobsHistoryLimit'))}\n")
    w.write(0, f"Failed Job History Limit:\t{_count(spec.get('failedJobsHistoryLimit'))}\n")
    deadline = spec.get("startingDeadlineSeconds")
    w.write(0, f"Starting Deadline Seconds:\t{'<unset>' if deadline is None else f'{deadline}s'}\n")
    job = _job_template(cj)
    w.write(0, f"Selector:\t{selector_string(job['selector']) if job.get('selector') else '<unset>'}\n")
    w.write(0, f"Parallelism:\t{_count(job.get('parallelism'))}\n")
    w.write(0, f"Completions:\t{_count(job.get('completions'))}\n")
    if job.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{job['activeDeadlineSeconds']}s\n")
    describe_template(w, job.get("template"))
    last = st.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{when(last) if last else '<unset>'}\n")
    active = [ref.get("name", "") for ref in st.get("active") or ()]
    w.write(0, f"Active Jobs:\t{', '.join(active) or '<none>'}\n")
    w.events(events)
    return w.text()
