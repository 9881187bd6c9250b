"""Job (batch/v1, namespaced): pods that run to completion (engine/controllers/job.py)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind

RESTART_POLICIES = ("OnFailure", "Never")


def check(obj: dict) -> list[str]:
    from engine.apiserver.server import _container_errors
    spec = validate._d(obj.get("spec"))
    return pod_template_errors("spec.template", validate._d(spec.get("template")), _container_errors) + [
        f"spec.{key}: Invalid value: {spec[key]}: must be greater than or equal to 0"
        for key in ("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds")
        if isinstance(spec.get(key), int) and spec[key] < 0]


def pod_template_errors(path: str, template: dict, container_errors) -> list[str]:
    """A Job's (or a CronJob's job's) pod template: containers, and a restart policy that ends."""
    spec = validate._d(template.get("spec"))
    errors = container_errors(f"{path}.spec", spec) + validate.pod_spec(f"{path}.spec", spec)
    policy = spec.get("restartPolicy") or "Always"          # the pod default comes first, then this check
    if policy not in RESTART_POLICIES:
        errors.append(f'{path}.spec.restartPolicy: Unsupported value: "{validate._text(policy)}": '
                      'supported values: "OnFailure", "Never"')
    return errors


def check_update(live: dict, new: dict) -> list[str]:
    """ValidateJobSpecUpdate: the pod template is immutable. The real message prints the whole
    internal struct with Go's %#v (thousands of characters, pointer addresses included); the
    sandbox keeps its type and elides the dump."""
    old_template, new_template = (validate._d(validate._d(o.get("spec")).get("template")) for o in (live, new))
    if old_template != new_template:
        return ["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"]
    return []


def defaults(cluster, obj: dict) -> None:
    """SetDefaults_Job."""
    from engine.objects import default_template
    spec = obj.get("spec")
    if not isinstance(spec, dict) or not isinstance(spec.get("template"), dict):
        return
    default_template(obj)
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    spec.setdefault("parallelism", 1)
    spec.setdefault("backoffLimit", 6)
    labels = spec["template"]["metadata"].get("labels")
    if labels and not obj["metadata"].get("labels"):
        obj["metadata"]["labels"] = dict(labels)


def store(cluster, obj: dict) -> dict:
    """The strategy's generateSelector (needs the uid), then the defaults again as a read from
    etcd applies them: the Job takes its template's labels."""
    obj["status"] = {}
    cluster.create(obj)
    spec, md = obj["spec"], obj["metadata"]
    if not spec.get("manualSelector"):
        generated = {"controller-uid": md["uid"]}
        spec["selector"] = {"matchLabels": generated}
        spec["template"]["metadata"]["labels"] = {**(spec["template"]["metadata"].get("labels") or {}),
                                                  **generated, "job-name": md["name"]}
    if not md.get("labels"):
        md["labels"] = dict(spec["template"]["metadata"]["labels"])
    cluster.touch(obj)
    return obj


KIND = Kind("Job",
            "jobs",
            "job",
            group="batch",
            categories=('all',),
            schema="io.k8s.api.batch.v1.Job",
            describer="engine.kubectl.print_batch:describe_job",
            columns="engine.kubectl.print_batch:JOB_COLUMNS",
            immutable=('spec.selector', 'spec.completions'),
            validate=check,
            validate_update=check_update,
            defaults=defaults,
            store=store)
