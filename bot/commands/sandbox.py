"""Sandbox commands: !k/!kubectl, !sh, !ssh, !wait, !sandbox, !reset, aliases and k8s_rc.sh shortcuts.

The engine work of each command is a module-level *job* `fn(sandbox, *args)` that the worker pool
(engine/workers.py) runs in the sandbox's worker process within the command's budget.
"""
from __future__ import annotations

import asyncio
import random
import re
import secrets
import time

from bot import choices as choices_mod
from bot.i18n import Say
from bot.reply import Reply
from bot.router import Context, Router
from engine import workers
from engine.bootstrap import KUBE_VERSION
from engine.sandbox import CorruptSandbox, Sandbox
from engine.store import SandboxConflict
from engine.timefmt import human_duration, parse_duration
from engine.upgrade import control_plane_version

# The course kit's ch6/6.1/k8s_rc.sh aliases (what `!kgp` means).
SHORTCUTS = {"kg": "kubectl get", "kgp": "kubectl get pods", "kgw": "kubectl get -o wide",
             "ka": "kubectl apply -f", "kc": "kubectl create", "ks": "kubectl scale"}
NODES = ("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s")
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\n?(.*?)```", re.S)
_ALIAS_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,23}$")
MAX_ALIASES = 50


def split_block(args: str) -> tuple[str, str | None]:
    """`apply -f -\\n```yaml …```` -> ("apply -f -", the block's text)."""
    m = _FENCE.search(args)
    if not m:
        return args.strip(), None
    return (args[:m.start()] + " " + args[m.end():]).strip(), m.group(1)


def _stdin(ctx: Context, block: str | None) -> str | None:
    if block is not None:
        return block
    texts = [text for name, text in ctx.msg.attachments if name.endswith((".yaml", ".yml", ".json", ".txt"))]
    return "\n---\n".join(texts) if texts else None


def manager(ctx: Context) -> workers.WorkerPool:
    return ctx.router.services["sandboxes"]


def _reply(out: str, rc: int) -> Reply:
    return Reply(out, ok=rc == 0)


def with_notes(ctx: Context, left: list, reply):
    """The engine's tutor notes (Sandbox.notes, brought back from the worker: `vi`, a loop stopped at
    its bound, a watch's end…) in the student's language, as prose after the output (outside its
    code block)."""
    if not left or not isinstance(reply, Reply):
        return reply
    note = Reply("\n".join(ctx.text(key, **params) for key, params in left), code=False, ok=reply.ok)
    return [reply, note] if reply.text else [note]      # `get -w` of nothing: only the note


def stopped(ctx: Context, overrun: workers.Overrun) -> Reply:
    """The one sentence a student gets when a command went over its budget (counted for /metrics)."""
    from bot import ops
    ops.BUDGET_OVERRUNS.labels(kind=overrun.reason).inc()
    return Reply(ctx.text(f"stopped_{overrun.reason}", seconds=f"{overrun.budget.seconds:g}",
                          megabytes=f"{overrun.budget.reply_bytes / 1e6:g}"), code=False, ok=False)


CONFLICT_RETRIES = 3          # runs of a command whose save met another process's write


async def in_sandbox(ctx: Context, fn, *args, budget: workers.Budget = workers.COMMAND, notes: list | None = None):
    """fn(sandbox, *args) in the sandbox's worker, run again on a conflict; raises Overrun."""
    for attempt in range(1, CONFLICT_RETRIES + 1):
        try:
            return await manager(ctx).run(ctx.msg.server, ctx.msg.user, fn, *args, budget=budget, notes=notes)
        except SandboxConflict:
            # Another process wrote this sandbox meanwhile; nothing was saved, so run the command
            # again on a fresh copy after a short random pause (the last conflict reaches the student).
            if attempt == CONFLICT_RETRIES:
                raise
            await asyncio.sleep(random.uniform(0.002, 0.02) * attempt)


async def run_in_sandbox(ctx: Context, fn, *args, budget: workers.Budget = workers.COMMAND,
                         notes: list | None = None):
    """in_sandbox, with the student-facing answers for an unreadable sandbox and an overrun, and
    the command's tutor notes added to a Reply (or left in `notes` for the caller to place).
    A job returns plain data or unworded `Say`s: no language (the worker knows none)."""
    left = [] if notes is None else notes
    try:
        result = await in_sandbox(ctx, fn, *args, budget=budget, notes=left)
        return result if notes is not None else with_notes(ctx, left, result)
    except workers.Overrun as overrun:
        return stopped(ctx, overrun)
    except CorruptSandbox:
        return Say("sandbox_unreadable", ok=False)


def _kubectl_job(sb: Sandbox, line: str, stdin: str | None) -> tuple[Reply, str | None]:
    reply = _reply(*sb.kubectl(line, stdin))
    waiting = sb.pending_edit()
    return reply, f"{waiting['kind'].lower()}/{waiting['name']}" if waiting else None


def _finish_edit_job(sb: Sandbox, text: str | None) -> Reply:
    return _reply(*sb.finish_edit(text))


def _shell_job(sb: Sandbox, line: str, stdin: str | None) -> Reply:
    return _reply(*sb.shell(line, "m-k8s", stdin))


EDIT_TIMEOUT = 600.0      # seconds a `kubectl edit` waits for the student's edited YAML


async def kubectl(ctx: Context, args: str) -> Reply | list[Reply]:
    line, block = split_block(args)
    notes: list = []
    result = await run_in_sandbox(ctx, _kubectl_job, line, _stdin(ctx, block), notes=notes)
    if not isinstance(result, tuple):             # stopped, or unreadable: nothing changed
        return result
    reply, waiting = result
    reply = with_notes(ctx, notes, reply)
    edits = ctx.router.services.setdefault("pending_edits", {})
    if waiting:
        edits[ctx.key] = (time.monotonic() + EDIT_TIMEOUT, waiting)
    else:
        edits.pop(ctx.key, None)
    return reply


async def edit_reply(ctx: Context):
    """Interceptor: the message after `!k edit` that carries a YAML block is the edit.
    A new command instead closes the editor without saving, as quitting vi would."""
    edits = ctx.router.services.get("pending_edits") or {}
    if ctx.key not in edits:
        return None
    deadline, what = edits[ctx.key]
    if ctx.router.parse(ctx.msg.content) is not None and not ctx.msg.content.lstrip().startswith(
            (f"{ctx.router.prefix}k edit", f"{ctx.router.prefix}kubectl edit")):
        del edits[ctx.key]
        async with ctx.router.lock(ctx.key):
            await run_in_sandbox(ctx, _finish_edit_job, None)
        return None
    _, block = split_block(ctx.msg.content)
    text = block if block is not None else _stdin(ctx, None)
    if text is None:
        return None                                   # chatter while the editor is open
    if refused := ctx.router.admit(ctx.msg):          # the same size and rate limits as any message
        return refused
    del edits[ctx.key]
    if time.monotonic() > deadline:
        async with ctx.router.lock(ctx.key):
            await run_in_sandbox(ctx, _finish_edit_job, None)
        return Say("edit_timed_out", {"what": what, "minutes": int(EDIT_TIMEOUT // 60),
                                      "again": f"!k edit {what.replace('/', ' ')}"}, ok=False)
    async with ctx.router.lock(ctx.key):
        return await run_in_sandbox(ctx, _finish_edit_job, text)


async def sh(ctx: Context, args: str) -> Reply:
    line, block = split_block(args)
    if not line:
        return Say("sh_usage", ok=False)
    return await run_in_sandbox(ctx, _shell_job, line, _stdin(ctx, block))


async def ssh(ctx: Context, args: str) -> Reply:
    line, block = split_block(args)
    node, _, command = line.partition(" ")
    if not node:
        return Say("ssh_usage", {"nodes": ", ".join(NODES)}, ok=False)
    return await run_in_sandbox(ctx, _shell_job, f"ssh {node} {command}".strip(), _stdin(ctx, block))


_KOREAN_UNITS = (("시간", "h"), ("분", "m"), ("초", "s"), ("일", "d"))


def wait_seconds(text: str) -> float | None:
    """`30s`, `5m`, `1h30m`, and in Korean `5분`, `30초`, `1시간 30분`; None when it is no duration."""
    for korean, unit in _KOREAN_UNITS:
        text = text.replace(korean, unit)
    text = re.sub(r"(?<=\d)\s+(?=[a-z])|(?<=[a-z])\s+(?=\d)", "", text.strip())     # `1h 30m` -> `1h30m`
    return parse_duration(text) if text and not text.startswith("-") else None


async def wait(ctx: Context, args: str):
    text = args.strip()
    seconds = wait_seconds(text)
    if seconds is None:
        return Say("wait_usage", {"got": text or "-"}, ok=False)
    if seconds <= 0 or seconds > 24 * 3600:
        return Say("wait_range", ok=False)
    return await run_in_sandbox(ctx, _wait_job, seconds, budget=workers.WAIT)


def _wait_job(sb: Sandbox, seconds: float) -> Say:
    sb.wait(seconds)
    return Say("wait_done", {"duration": human_duration(seconds)})


async def sandbox_status(ctx: Context, args: str) -> Reply:
    status = await run_in_sandbox(ctx, _status_job)
    if not isinstance(status, dict):
        return status
    text = ctx.text
    up = {True: text("sandbox_up"), False: text("sandbox_down")}
    hosts = "\n".join(text("sandbox_node", node=n, kubelet=up[k], docker=up[d]) for n, k, d in status["hosts"])
    return Reply(text("sandbox_status", server=ctx.msg.server, user=ctx.msg.display, objects=status["objects"],
                      pods=status["pods"], clock=status["clock"], version=status["version"]) + "\n" + hosts)


def _status_job(sb: Sandbox) -> dict:
    c = sb.cluster
    return {"objects": c.count(), "pods": sum(1 for _ in c.iter("Pod")), "clock": human_duration(c.meta["offset"]),
            "version": control_plane_version(c),
            "hosts": [(n, bool(h["kubelet"]), bool(h["docker"])) for n, h in c.meta["hosts"].items()]}


def _version_job(sb: Sandbox) -> str:
    return control_plane_version(sb.cluster)


async def cluster_version(ctx: Context) -> str:
    """The student's control plane version (after the upgrade lab, v1.20.4); a new sandbox's otherwise."""
    if not await manager(ctx).exists(ctx.msg.server, ctx.msg.user):
        return KUBE_VERSION
    version = await run_in_sandbox(ctx, _version_job)
    return version if isinstance(version, str) else KUBE_VERSION


RESET_CONFIRM_SECONDS = 60.0      # a reset button older than this asks again
_answered_resets: dict[str, float] = {}      # key -> when; a confirmation is used once


def _wall(ctx: Context) -> float:
    return (ctx.router.services.get("clock") or time.time)()


async def reset(ctx: Context, args: str) -> Reply:
    choices = ctx.router.services["choices"]
    return choices.offer(ctx, Reply(ctx.text("reset_confirm"), code=False,
                                    choices=(ctx.text("reset_yes"), ctx.text("reset_cancel")),
                                    choice_key=f"reset:{ctx.msg.user}:{int(_wall(ctx) * 1000)}:{secrets.token_hex(3)}"))   # ms, then a nonce


async def _stale_reset(ctx: Context, key: str) -> Say | None:
    """A confirmation is single-use and expires: an old button (even after a restart, or after
    the sandbox was already reset with it) must never wipe work done since."""
    now = _wall(ctx)
    for old in [k for k, at in _answered_resets.items() if now - at > RESET_CONFIRM_SECONDS]:
        del _answered_resets[old]
    stamp = key.split(":")[2] if key.count(":") >= 2 else ""
    if not stamp.isdigit() or now - int(stamp) / 1000 > RESET_CONFIRM_SECONDS:
        return Say("reset_expired", ok=False)
    last = await manager(ctx).store.fetchone(
        "SELECT MAX(at) FROM sandbox_resets WHERE server = ? AND user_id = ?", (ctx.msg.server, ctx.msg.user))
    if key in _answered_resets or (last and last[0] is not None and last[0] * 1000 >= int(stamp)):
        return Say("reset_used", ok=False)
    _answered_resets[key] = now
    return None


async def _confirm_reset(ctx: Context, key: str, answer: str):
    owner = key.split(":")[1] if key.count(":") >= 2 else ctx.msg.user
    if owner != ctx.msg.user:              # a button in a shared channel: only its owner may press it
        return Say("reset_not_yours", ok=False)
    if stale := await _stale_reset(ctx, key):
        return stale
    if answer.strip() in ("1", "yes", "y", "예", ctx.text("reset_yes")):
        try:
            await manager(ctx).reset(ctx.msg.server, ctx.msg.user)
        except workers.Overrun as overrun:
            return stopped(ctx, overrun)
        ctx.router.services["choices"].latest.pop(ctx.key, None)
        return Say("reset_done")
    return Say("reset_cancelled")


async def alias(ctx: Context, args: str) -> Reply:
    text = args.strip()
    name = text.partition("=")[0].strip()
    if "=" in text and _ALIAS_NAME.match(name) and name in ctx.router.commands:
        return Say("alias_is_command", {"name": f"!{name}"}, ok=False)
    return await run_in_sandbox(ctx, _alias_job, text)


def _alias_job(sb: Sandbox, text: str):
    aliases = sb.meta.setdefault("aliases", {})
    if not text:
        if not aliases:
            return Say("alias_none")
        return Reply("\n".join(f"alias {k}='{v}'" for k, v in sorted(aliases.items())))
    name, eq, value = text.partition("=")
    name, value = name.strip(), value.strip().strip("'\"")
    if not eq:
        return Reply(f"alias {name}='{aliases[name]}'" if name in aliases else f"bash: alias: {name}: not found",
                     ok=name in aliases)
    if not _ALIAS_NAME.match(name):
        return [Reply(f"bash: alias: `{name}': invalid alias name", ok=False), Say("alias_name_rule", ok=False)]
    if not value.startswith(("kubectl", "k ", "ssh", "systemctl")) and value.split(" ")[0] not in ("k",):
        return Say("alias_kubectl_only", ok=False)
    if len(aliases) >= MAX_ALIASES and name not in aliases:
        return Say("alias_too_many", {"limit": MAX_ALIASES}, ok=False)
    aliases[name] = value[:300]
    return Say("alias_saved", {"alias": f"alias {name}='{aliases[name]}'", "name": f"!{name}"})


async def unalias(ctx: Context, args: str) -> Reply:
    return await run_in_sandbox(ctx, _unalias_job, args.strip())


def _unalias_job(sb: Sandbox, name: str):
    aliases = sb.meta.setdefault("aliases", {})
    if name not in aliases:
        return Reply(f"bash: unalias: {name}: not found", ok=False)
    del aliases[name]
    return Say("alias_removed", {"name": name})


def _expand(ctx: Context, expansion: str, args: str) -> str:
    words = expansion.split(None, 1)
    rest = words[1] if len(words) > 1 else ""
    return (rest + " " + args).strip()


async def fallback(ctx: Context, name: str, args: str):
    """Unknown `!word`: a k8s_rc.sh shortcut or one of the student's aliases, else silence."""
    if name in SHORTCUTS:
        return await kubectl(ctx, _expand(ctx, SHORTCUTS[name], args))
    try:
        expansion = await manager(ctx).call(ctx.msg.server, ctx.msg.user, _alias_of, name)
    except workers.Overrun as overrun:
        return stopped(ctx, overrun)
    if expansion is None:
        return None
    if expansion.startswith(("kubectl", "k ")) or expansion == "k":
        return await kubectl(ctx, _expand(ctx, expansion, args))
    return await sh(ctx, (expansion + " " + args).strip())


async def _alias_of(manager, server: str, user: str, name: str) -> str | None:
    """A student's alias, without creating a sandbox for someone who never had one."""
    if not await manager.exists(server, user):
        return None
    async with manager.open(server, user) as sb:
        return sb.meta.get("aliases", {}).get(name)


def setup(router: Router) -> None:
    store = router.services["store"]
    wall = router.services.get("clock") or time.time
    router.services["sandboxes"] = workers.WorkerPool(store, wall, router.services.get("db"),
                                                      workers=router.services.get("workers"))
    choices = choices_mod.setup(router)
    choices.on("reset", _confirm_reset)
    router.command("k", "kubectl", summary="kubectl against your own lab cluster")(kubectl)
    router.command("sh", summary="a root shell command on m-k8s")(sh)
    router.command("ssh", summary="a command on another node: !ssh w1-k8s systemctl stop kubelet")(ssh)
    router.command("wait", summary="fast-forward your cluster's clock: !wait 5m")(wait)
    router.command("sandbox", summary="the state of your sandbox")(sandbox_status)
    router.command("reset", summary="start again from a fresh lab cluster")(reset)
    router.command("alias", summary="your own shortcuts: !alias kgn=kubectl get nodes")(alias)
    router.command("unalias", summary="remove one of your aliases")(unalias)
    router.fallbacks.append(fallback)
    router.extra_names.update(SHORTCUTS)
    router.interceptors.append(edit_reply)
