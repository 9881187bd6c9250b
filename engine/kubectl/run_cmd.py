"""kubectl run NAME --image=IMG: a bare pod labelled run=NAME (optionally exposed)."""
from __future__ import annotations

import re

from engine.apiserver import server
from engine.apiserver.errors import StatusError
from engine.kubectl import client_checks, output
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, from_status, usage_error
from engine.kubectl.flags import Flag, parse, require
from engine.objects import new_pod_object

_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
FLAGS = (Flag("image"), Flag("port", default=""), Flag("labels", short="l", default=""),
         Flag("restart", default="Always"), Flag("expose", "bool", default=False), Flag("dry-run", default="none"),
         Flag("output", short="o", default=""), Flag("command", "bool", default=False), Flag("env", "list"),
         Flag("image-pull-policy", default=""), Flag("rm", "bool", default=False),
         Flag("stdin", "bool", short="i", default=False), Flag("tty", "bool", short="t", default=False),
         Flag("attach", "bool", default=False), Flag("annotations", "list"), Flag("serviceaccount", default=""),
         Flag("requests", default=""), Flag("limits", default=""), Flag("record", "bool", default=False),
         Flag("replicas", "int", short="r", default=1), Flag("generator", default=""))


def parse_labels(text: str) -> dict[str, str]:
    labels = {}
    for part in text.split(","):
        k, eq, v = part.partition("=")
        if not eq or not k:
            raise KubectlError(f"error: invalid label spec: {part}")
        labels[k] = v
    return labels


def dry_run_mode(value: str) -> str:
    value = value or "client"
    if value in ("true",):
        return "client"
    if value in ("none", "false"):
        return "none"
    if value not in ("client", "server"):
        raise KubectlError(f'error: Invalid dry-run value ({value}). Must be "none", "server", or "client".')
    return value


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("run", argv, FLAGS)
    notices = client_checks.deprecation_notices(p.seen)      # cobra prints these first, then runs as usual
    try:
        return "\n".join(notices + [_run(ctx, p)])
    except KubectlError as err:
        raise KubectlError("\n".join(notices + [err.text]), err.rc)


def _run(ctx: Ctx, p) -> str:
    require("run", p, "image")
    if not p.args:
        raise usage_error("run", "NAME is required for run")
    client_checks.check_image(p["image"])
    name = p.args[0]
    ns = ctx.namespace(p)
    if p["restart"] not in ("Always", "OnFailure", "Never"):
        raise KubectlError(f"error: invalid restart policy: {p['restart']}\nSee 'kubectl run -h' for help and examples")
    port = None
    if p["port"]:
        try:
            port = int(p["port"])
        except ValueError:
            raise KubectlError(f'error: strconv.Atoi: parsing "{p["port"]}": invalid syntax')
    if p["expose"] and port is None:
        raise KubectlError("error: --port must be set when exposing a service")
    labels = parse_labels(p["labels"]) if p["labels"] else {"run": name}
    pod = new_pod_object(name, ns, p["image"], labels, port)
    spec = pod["spec"]
    spec["restartPolicy"] = p["restart"]
    container = spec["containers"][0]
    if p.dash_args:
        container["command" if p["command"] else "args"] = list(p.dash_args)
    if p["image-pull-policy"]:
        container["imagePullPolicy"] = p["image-pull-policy"]
    for env in p["env"]:
        k, eq, v = env.partition("=")
        if not eq or not _ENV_NAME.match(k):          # the run generator's parseEnvs
            raise KubectlError(f"error: invalid env: {env}")
        container.setdefault("env", []).append({"name": k, "value": v} if v else {"name": k})   # omitempty
    mode = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
    if mode == "client":
        pod["metadata"]["creationTimestamp"] = None
        del pod["metadata"]["namespace"]
        if p["output"] in ("yaml", "json"):
            return output.to_yaml(pod) if p["output"] == "yaml" else output.to_json_typed(pod)
        return f"pod/{name} created (dry run)"
    try:
        server.admit(ctx.cluster, pod)      # the pod is checked before --expose creates anything
    except StatusError as err:
        raise from_status(err)
    lines = []
    if p["expose"]:
        from engine.kubectl.expose import create_service
        create_service(ctx.cluster, name, ns, "ClusterIP", [{"port": port, "protocol": "TCP", "targetPort": port}],
                       labels, labels)
        lines.append(f"service/{name} created")
    try:
        server.create(ctx.cluster, pod)
    except StatusError as err:
        raise from_status(err)
    if p["output"] in ("yaml", "json", "name"):
        lines.append(output.name_of(pod) if p["output"] == "name" else
                     output.to_yaml(pod) if p["output"] == "yaml" else output.to_json_typed(pod))
    else:
        lines.append(f"pod/{name} created")
    return "\n".join(lines)


def too_many() -> str:
    from engine.apiserver.server import too_many as refused
    from engine.kubectl.errors import from_status
    return from_status(refused()).text
