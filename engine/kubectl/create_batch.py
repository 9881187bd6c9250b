"""kubectl create job|cronjob (1.20 create_job.go / create_cronjob.go): API clients of the Job and
CronJob kinds. `create job NAME --from=cronjob/X` instantiates the CronJob's job template by hand."""
from __future__ import annotations

import copy

from engine.apiserver import server
from engine.apiserver.errors import StatusError
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, not_found
from engine.kubectl.flags import Flag, parse, require
from engine.kubectl.resources import resolve
from engine.kubectl.run_cmd import dry_run_mode

JOB_FLAGS = (Flag("image", default=""), Flag("from", default=""), Flag("field-manager", default="kubectl-create"))
CRONJOB_FLAGS = (Flag("image", default=""), Flag("schedule", default=""), Flag("restart", default=""),
                 Flag("field-manager", default="kubectl-create"))


def _pod_template(name: str, image: str, command: list[str] | None, restart: str) -> dict:
    container = {"name": name, "image": image, "resources": {}}
    if command:
        container["command"] = list(command)
    return {"metadata": {"creationTimestamp": None}, "spec": {"containers": [container], "restartPolicy": restart}}


def job(ctx: Ctx, argv: list[str]) -> str:
    from engine.kubectl.create import COMMON, _one_name
    p = parse("create job", argv, COMMON + JOB_FLAGS)
    name = _one_name("create job", p.args)
    command = p.dash_args or []
    if bool(p["image"]) == bool(p["from"]):
        raise KubectlError("error: either --image or --from must be specified")
    if command and p["from"]:
        raise KubectlError("error: cannot specify --from and command")
    ns = ctx.namespace(p)
    if p["image"]:
        obj = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"creationTimestamp": None, "name": name},
               "spec": {"template": _pod_template(name, p["image"], command, "Never")}, "status": {}}
    else:
        obj = _from_cronjob(ctx, ns, name, p["from"])
    return _send(ctx, p, obj, ns, "job")


def _from_cronjob(ctx: Ctx, ns: str, name: str, source: str) -> dict:
    """The builder's reading of --from (ResourceTypeOrNameArgs), then the CronJob's job template."""
    if source.count("/") > 1:
        raise KubectlError("error: arguments in resource/name form may not have more than one slash")
    kind, slash, source_name = source.partition("/")
    if slash and (not kind or not source_name):
        raise KubectlError("error: arguments in resource/name form must have a single resource and name")
    res = resolve(kind)
    if not slash:
        raise KubectlError("error: resource(s) were provided, but no name, label selector, or --all flag specified")
    live = ctx.cluster.get(res.kind, ns if res.namespaced else "", source_name) if res.supported else None
    if live is None:
        raise KubectlError(not_found(res.qualified, source_name))
    if res.kind != "CronJob":
        raise KubectlError(f"error: from must be an existing cronjob: {res.version}.{res.kind} is not suitable for "
                           'converting to "batch/v1beta1" in scheme "k8s.io/kubectl/pkg/scheme/scheme.go:28"')
    template = (live.get("spec") or {}).get("jobTemplate") or {}
    annotations = {"cronjob.kubernetes.io/instantiate": "manual",
                   **((template.get("metadata") or {}).get("annotations") or {})}
    md = {"annotations": annotations, "creationTimestamp": None, "name": name,
          # an owner, not a controller (1.20's kubectl): the CronJob does not count it among its Jobs,
          # but deleting the CronJob takes it along
          "ownerReferences": [{"apiVersion": live["apiVersion"], "kind": "CronJob",
                               "name": live["metadata"]["name"], "uid": live["metadata"]["uid"]}]}
    labels = (template.get("metadata") or {}).get("labels")
    if labels:
        md["labels"] = dict(labels)
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": md,
            "spec": copy.deepcopy(template.get("spec") or {}), "status": {}}


def cronjob(ctx: Ctx, argv: list[str]) -> str:
    from engine.kubectl.create import COMMON, _one_name
    p = parse("create cronjob", argv, COMMON + CRONJOB_FLAGS)
    require("create cronjob", p, *[f for f in ("image", "schedule") if f not in p.seen])
    name = _one_name("create cronjob", p.args)
    restart = p["restart"] or "OnFailure"
    obj = {"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"creationTimestamp": None, "name": name},
           "spec": {"jobTemplate": {"metadata": {"creationTimestamp": None, "name": name},
                                    "spec": {"template": _pod_template(name, p["image"], p.dash_args, restart)}},
                    "schedule": p["schedule"]}, "status": {}}
    return _send(ctx, p, obj, ctx.namespace(p), "cronjob")


def _send(ctx: Ctx, p, obj: dict, ns: str, noun: str) -> str:
    from engine.kubectl.create import _emit
    dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
    if dry == "client":
        return _emit(ctx, p, obj, dry)
    obj["metadata"].pop("creationTimestamp", None)
    obj["metadata"]["namespace"] = ns
    obj.pop("status", None)
    try:
        if dry == "server":
            server.admit(ctx.cluster, obj)
            server.defaults(ctx.cluster, obj)
        else:
            server.create(ctx.cluster, obj)
    except StatusError as err:          # kubectl wraps the server's error in its own words
        raise KubectlError(f"error: failed to create {noun}: {err.message}")
    return _emit(ctx, p, obj, dry)
