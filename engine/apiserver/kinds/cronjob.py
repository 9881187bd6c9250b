"""CronJob (batch/v1beta1 in 1.20, namespaced): Jobs on a schedule (engine/controllers/cronjob.py)."""
from engine import cron
from engine.apiserver import validate
from engine.apiserver.kind import Kind
from engine.apiserver.kinds.deployment import store     # stored with an empty status, as a Deployment is
from engine.apiserver.kinds.job import pod_template_errors
from engine.validation import go_quote

CONCURRENCY = ("Allow", "Forbid", "Replace")


def check(obj: dict) -> list[str]:
    from engine.apiserver.server import _container_errors
    spec = validate._d(obj.get("spec"))
    errors = []
    schedule = spec.get("schedule")
    if not schedule:
        errors.append("spec.schedule: Required value")
    elif isinstance(schedule, str):
        try:
            cron.parse(schedule)
        except cron.CronError as err:
            errors.append(f"spec.schedule: Invalid value: {go_quote(schedule)}: {err}")
    policy = spec.get("concurrencyPolicy")
    if policy is not None and policy not in CONCURRENCY:
        errors.append(f"spec.concurrencyPolicy: Unsupported value: {go_quote(validate._text(policy))}: "
                      'supported values: "Allow", "Forbid", "Replace"')
    for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if isinstance(spec.get(key), int) and spec[key] < 0:
            errors.append(f"spec.{key}: Invalid value: {spec[key]}: must be greater than or equal to 0")
    job_spec = validate._d(validate._d(spec.get("jobTemplate")).get("spec"))
    return errors + pod_template_errors("spec.jobTemplate.spec.template", validate._d(job_spec.get("template")),
                                        _container_errors)


def defaults(cluster, obj: dict) -> None:
    """SetDefaults_CronJob (v1beta1); the job template's pod spec gets the pod defaults."""
    from engine.objects import default_pod_template_spec
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    obj["metadata"].setdefault("generation", 1)          # the strategy's PrepareForCreate
    spec.setdefault("concurrencyPolicy", "Allow")
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job = spec.setdefault("jobTemplate", {})
    if isinstance(job, dict):
        job.setdefault("metadata", {}).setdefault("creationTimestamp", None)
        template = job.setdefault("spec", {}).setdefault("template", {})
        if isinstance(template, dict):
            template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
            default_pod_template_spec(template.setdefault("spec", {}))


KIND = Kind("CronJob",
            "cronjobs",
            "cronjob",
            group="batch",
            version="v1beta1",
            shorts=('cj',),
            categories=('all',),
            schema="io.k8s.api.batch.v1beta1.CronJob",
            describer="engine.kubectl.print_batch:describe_cronjob",
            columns="engine.kubectl.print_batch:CRONJOB_COLUMNS",
            validate=check,
            defaults=defaults,
            store=store)
