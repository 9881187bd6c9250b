"""kubectl rollout status|history|undo|restart|pause|resume for Deployments (and DaemonSet status).

`rollout status` waits as kubectl's does: it prints the status viewer's line for the object as it
is, then one line per write to it while the sandbox clock steps on (engine/kubectl/waiting.py),
until the rollout is done, the Deployment misses its progress deadline, `--timeout` passes, or
(with no timeout) the chat's cap of sandbox time is reached.
"""
from __future__ import annotations

import copy

from engine.cluster import Cluster
from engine.controllers.deployment import HASH, REVISION, revision_of
from engine.kubectl.apply import CHANGE_CAUSE, commit_update
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.get import targets
from engine.kubectl.resources import Resource
from engine.kubectl.waiting import block, go_duration, note_cap, observing

FLAGS = (Flag("revision", "int", default=0), Flag("to-revision", "int", default=0),
         Flag("watch", "bool", short="w", default=True), Flag("timeout", default="0s"),
         Flag("filename", "list", short="f"), Flag("recursive", "bool", short="R", default=False),
         Flag("output", short="o", default=""), Flag("dry-run", default="none"),
         Flag("selector", short="l", default=""), Flag("record", "bool", default=False))
SUBCOMMANDS = ("history", "pause", "restart", "resume", "status", "undo")
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
# Annotations a rollback does not copy from the ReplicaSet to the Deployment (deployment util).
NOT_COPIED = {REVISION, "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
              "deployment.kubernetes.io/max-replicas", "kubectl.kubernetes.io/last-applied-configuration"}
USAGE = ("Manage the rollout of a resource.\n\n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n"
         "  *  statefulsets\n\nExamples:\n  # Rollback to the previous deployment\n"
         "  kubectl rollout undo deployment/abc\n\n  # Check the rollout status of a daemonset\n"
         "  kubectl rollout status daemonset/foo\n\nAvailable Commands:\n"
         "  history     View rollout history\n  pause       Mark the provided resource as paused\n"
         "  restart     Restart a resource\n  resume      Resume a paused resource\n"
         "  status      Show the status of the rollout\n  undo        Undo a previous rollout\n\n"
         "Usage:\n  kubectl rollout SUBCOMMAND [options]\n\n"
         "Use \"kubectl <command> --help\" for more information about a given command.\n"
         "Use \"kubectl options\" for a list of global command-line options (applies to all commands).")


def run(ctx: Ctx, argv: list[str]) -> str:
    sub = next((a for a in argv if not a.startswith("-")), None)
    if sub is None:
        return USAGE
    if sub not in SUBCOMMANDS:
        raise KubectlError(f'Error: unknown command "{sub}" for "kubectl rollout"\n'
                           "Run 'kubectl rollout --help' for usage.")
    rest = list(argv)
    rest.remove(sub)
    p = parse(f"rollout {sub}", rest, FLAGS)
    if not p.args:
        raise KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    ns = ctx.namespace(p)
    out, errors = [], []
    for res, names in targets(p.args):
        if not names:
            raise KubectlError("error: resource(s) were provided, but no name was specified")
        for name in names:
            obj = ctx.cluster.get(res.kind, ns, name) if res.supported and res.namespaced else None
            if obj is None:
                errors.append(not_found(res.qualified, name))
                continue
            try:
                out.append(SUB[sub](ctx, res, obj, p))
            except KubectlError as err:
                errors.append(err.text)
    if errors:
        raise KubectlError("\n".join(out + errors))
    return "\n".join(out)


# -- status -----------------------------------------------------------------------------------------

def status_line(cluster, dep: dict) -> tuple[str, bool]:
    """kubectl's DeploymentStatusViewer for one moment: (line, done). Raises on a missed deadline."""
    name = dep["metadata"]["name"]
    st = dep.get("status") or {}
    if dep["metadata"].get("generation", 1) > st.get("observedGeneration", 0):
        return "Waiting for deployment spec update to be observed...", False
    if _deadline_passed(cluster, dep):
        raise KubectlError(f'error: deployment "{name}" exceeded its progress deadline')
    want = dep["spec"].get("replicas", 1)
    updated, total, available = st.get("updatedReplicas", 0), st.get("replicas", 0), st.get("availableReplicas", 0)
    if updated < want:
        return f'Waiting for deployment "{name}" rollout to finish: {updated} out of {want} new replicas have been updated...', False
    if total > updated:
        return f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas are pending termination...', False
    if available < updated:
        return f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated replicas are available...', False
    return f'deployment "{name}" successfully rolled out', True


def _deadline_passed(cluster, dep: dict) -> bool:
    """kubectl reads the controller's verdict: Progressing with reason ProgressDeadlineExceeded."""
    return any(c["type"] == "Progressing" and c.get("reason") == "ProgressDeadlineExceeded"
               for c in (dep.get("status") or {}).get("conditions") or ())


def daemonset_status_line(cluster, ds: dict) -> tuple[str, bool]:
    name = ds["metadata"]["name"]
    st = ds.get("status") or {}
    want, updated = st.get("desiredNumberScheduled", 0), st.get("updatedNumberScheduled", 0)
    if updated < want:
        return f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {want} new pods have been updated...', False
    if st.get("numberAvailable", 0) < want:
        return (f'Waiting for daemon set "{name}" rollout to finish: {st.get("numberAvailable", 0)} of {want} '
                "updated pods are available..."), False
    return f'daemon set "{name}" successfully rolled out', True


VIEWERS = {"Deployment": status_line, "DaemonSet": daemonset_status_line}


def _status(ctx: Ctx, res: Resource, obj: dict, p) -> str:
    viewer = VIEWERS.get(res.kind)
    if viewer is None:
        raise KubectlError(f"error: no status viewer has been implemented for {res.kind}")
    timeout = go_duration("rollout status", "timeout", p["timeout"])
    cluster, key, uid = ctx.cluster, Cluster.key_of(obj), obj["metadata"]["uid"]
    lines: list[str] = []
    seen: list[tuple[str, bool] | KubectlError] = []

    def look(o: dict) -> tuple[str, bool] | KubectlError:
        try:
            return viewer(cluster, o)
        except KubectlError as err:
            return err

    def observe(o: dict, deleted: bool) -> None:
        if Cluster.key_of(o) == key and o["metadata"].get("uid") == uid:
            seen.append(KubectlError("error: object has been deleted") if deleted else look(o))

    def settled() -> str | None:
        """Print what the watch delivered; "done" once the rollout is complete."""
        while seen:
            event = seen.pop(0)
            if isinstance(event, KubectlError):
                raise KubectlError("\n".join(lines + [event.text]))
            lines.append(event[0])
            if event[1] or not p["watch"]:
                return "done"
        return None

    seen.append(look(obj))
    if settled() is None:
        with observing(cluster, observe):
            done, capped = block(ctx, settled, timeout if timeout > 0 else float("inf"))
        if done is None:
            if not capped:
                raise KubectlError("\n".join(lines + ["error: timed out waiting for the condition"]))
            note_cap(ctx, "rollout_capped")
    return "\n".join(lines)


# -- history and undo ------------------------------------------------------------------------------

def _require_deployment(res: Resource, what: str) -> None:
    if res.kind != "Deployment":
        raise KubectlError(f'error: no {what} has been implemented for "{res.kind}"' if what == "rollbacker" else
                           f"error: no history viewer has been implemented for {res.group or 'core'}/{res.kind}")


def owned_replicasets(cluster, dep: dict) -> list[dict]:
    uid = dep["metadata"]["uid"]
    return [rs for rs in cluster.list("ReplicaSet", dep["metadata"]["namespace"])
            if any(r.get("uid") == uid and r.get("controller") for r in rs["metadata"].get("ownerReferences") or ())]


def history(cluster, dep: dict) -> dict[int, dict]:
    """revision -> ReplicaSet, as kubectl's history viewer collects them."""
    return {revision_of(rs): rs for rs in owned_replicasets(cluster, dep) if revision_of(rs) > 0}


def _history(ctx: Ctx, res: Resource, obj: dict, p) -> str:
    label = f"{res.label}/{obj['metadata']['name']}"
    if res.kind == "DaemonSet":
        return f"{label} \nREVISION  CHANGE-CAUSE\n1         <none>\n"
    _require_deployment(res, "history viewer")
    revs = history(ctx.cluster, obj)
    if p["revision"]:
        rs = revs.get(p["revision"])
        if rs is None:
            raise KubectlError("error: unable to find the specified revision")
        return f"{label} with revision #{p['revision']}\n" + _template_text(ctx, rs)
    if not revs:
        return "No rollout history found."
    rows = [(str(r), (revs[r]["metadata"].get("annotations") or {}).get(CHANGE_CAUSE) or "<none>")
            for r in sorted(revs)]
    width = max(len("REVISION"), *(len(r) for r, _ in rows)) + 2
    body = "\n".join(f"{r.ljust(width)}{cause}" for r, cause in rows)
    return f"{label} \n{'REVISION'.ljust(width)}CHANGE-CAUSE\n{body}\n"


def _template_text(ctx: Ctx, rs: dict) -> str:
    from engine.kubectl.describe_pod import describe_template
    from engine.kubectl.describe_writer import Writer
    template = copy.deepcopy(rs["spec"]["template"])
    cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
    if cause:
        template.setdefault("metadata", {}).setdefault("annotations", {})[CHANGE_CAUSE] = cause
    w = Writer(ctx.cluster.now)
    describe_template(w, template)
    return w.text()


def _strip_hash(template: dict) -> dict:
    t = copy.deepcopy(template)
    labels = (t.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(HASH, None)
    return t


def _undo(ctx: Ctx, res: Resource, dep: dict, p) -> str:
    _require_deployment(res, "rollbacker")
    name = dep["metadata"]["name"]
    if dep["spec"].get("paused"):
        raise KubectlError(f"error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
                           f"resume deployment/{name}' and try again")
    revs = history(ctx.cluster, dep)
    wanted = p["to-revision"]
    if wanted:
        rs = revs.get(wanted)
        if rs is None:
            raise KubectlError(f"error: unable to find specified revision {wanted} in history")
    else:
        older = sorted(revs)[:-1]
        if not older:
            raise KubectlError(f'error: no rollout history found for deployment "{name}"')
        wanted = older[-1]
        rs = revs[wanted]
    template = _strip_hash(rs["spec"]["template"])
    if template == _strip_hash(dep["spec"]["template"]):
        return f"{res.label}/{name} skipped rollback (current template already matches revision {wanted})"
    new = copy.deepcopy(dep)
    new["spec"]["template"] = template
    ann = new["metadata"].setdefault("annotations", {})
    for key, value in (rs["metadata"].get("annotations") or {}).items():
        if key not in NOT_COPIED:
            ann[key] = value
    if p["dry-run"] not in ("none", "false"):
        return f"{res.label}/{name} Pod Template:\n" + _template_text(ctx, rs) + " (dry run)"
    commit_update(ctx, dep, new)
    return f"{res.label}/{name} rolled back"


# -- restart, pause, resume ------------------------------------------------------------------------

def _restart(ctx: Ctx, res: Resource, obj: dict, p) -> str:
    if res.kind not in ("Deployment", "DaemonSet"):
        raise KubectlError(f"error: {res.label}/{obj['metadata']['name']} restarting is not supported")
    name = obj["metadata"]["name"]
    if obj["spec"].get("paused"):
        raise KubectlError(f"error: deployments {name} is paused, run rollout resume first")
    new = copy.deepcopy(obj)
    meta = new["spec"]["template"].setdefault("metadata", {})
    meta.setdefault("annotations", {})[RESTARTED_AT] = ctx.cluster.stamp()
    commit_update(ctx, obj, new)
    return f"{res.label}/{name} restarted"


def _pause(ctx: Ctx, res: Resource, obj: dict, p, paused: bool = True) -> str:
    name = obj["metadata"]["name"]
    if res.kind != "Deployment":
        raise KubectlError(f"error: {res.label}/{name} {'pausing' if paused else 'resuming'} is not supported")
    if bool(obj["spec"].get("paused")) == paused:
        raise KubectlError(f'error: {res.qualified} "{name}" is {"already paused" if paused else "not paused"}')
    new = copy.deepcopy(obj)
    if paused:
        new["spec"]["paused"] = True
    else:
        new["spec"].pop("paused", None)
    commit_update(ctx, obj, new)
    return f"{res.label}/{name} {'paused' if paused else 'resumed'}"


SUB = {"status": _status, "history": _history, "undo": _undo, "restart": _restart, "pause": _pause,
       "resume": lambda ctx, res, obj, p: _pause(ctx, res, obj, p, paused=False)}
