"""Sandbox commands: !k/!kubectl, !sh, !ssh, !wait, !sandbox, !reset, aliases and k8s_rc.sh shortcuts.

The engine work of each command is a module-level *job* `fn(sandbox, *args)` that the worker pool
(engine/workers.py) runs in the sandbox's worker process within the command's budget.
"""
from __future__ import annotations

import asyncio
import random
import re
import time

from bot import choices as choices_mod
from bot import i18n
from bot.reply import Reply
from bot.router import Context, Router
from engine import workers
from engine.sandbox import CorruptSandbox, Sandbox
from engine.store import SandboxConflict
from engine.timefmt import human_duration, parse_duration

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
    lang = i18n.lang_of(ctx.router, ctx.msg)
    note = Reply("\n".join(i18n.t(lang, key, **params) for key, params in left), code=False, ok=reply.ok)
    return [reply, note] if reply.text else [note]      # `get -w` of nothing: only the note


def stopped(ctx: Context, overrun: workers.Overrun) -> Reply:
    """The one sentence a student gets when a command went over its budget (counted for /metrics)."""
    from bot import ops
    ops.BUDGET_OVERRUNS.labels(kind=overrun.reason).inc()
    return Reply(i18n.t(i18n.lang_of(ctx.router, ctx.msg), f"stopped_{overrun.reason}",
                        seconds=f"{overrun.budget.seconds:g}", megabytes=f"{overrun.budget.reply_bytes / 1e6:g}"),
                 code=False, ok=False)


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
    the command's tutor notes added to a Reply (or left in `notes` for the caller to place)."""
    left = [] if notes is None else notes
    try:
        result = await in_sandbox(ctx, fn, *args, budget=budget, notes=left)
        return result if notes is not None else with_notes(ctx, left, result)
    except workers.Overrun as overrun:
        return stopped(ctx, overrun)
    except CorruptSandbox:
        return Reply("Your sandbox's saved state could not be read. Nothing else is affected: type `!reset` "
                     "to start a fresh lab cluster.", code=False, ok=False)


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
    if isinstance(result, Reply):                 # stopped, or unreadable: nothing changed
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
        return Reply(f"The edit of {what} timed out after {int(EDIT_TIMEOUT // 60)} minutes; no changes were "
                     f"made. Run `!k edit {what.replace('/', ' ')}` again.", code=False, ok=False)
    async with ctx.router.lock(ctx.key):
        return await run_in_sandbox(ctx, _finish_edit_job, text)


async def sh(ctx: Context, args: str) -> Reply:
    line, block = split_block(args)
    if not line:
        return Reply("usage: !sh COMMAND   (runs as root on m-k8s, e.g. `!sh systemctl status kubelet`)",
                     code=False, ok=False)
    return await run_in_sandbox(ctx, _shell_job, line, _stdin(ctx, block))


async def ssh(ctx: Context, args: str) -> Reply:
    line, block = split_block(args)
    node, _, command = line.partition(" ")
    if not node:
        return Reply("usage: !ssh NODE COMMAND   (NODE is one of " + ", ".join(NODES) + ")", code=False, ok=False)
    return await run_in_sandbox(ctx, _shell_job, f"ssh {node} {command}".strip(), _stdin(ctx, block))


async def wait(ctx: Context, args: str) -> Reply:
    text = args.strip()
    seconds = parse_duration(text) if text else None
    if seconds is None or text.startswith("-"):
        return Reply(f"!wait takes a duration such as 30s, 5m or 1h (got {text or 'nothing'!r}).", code=False, ok=False)
    if seconds <= 0 or seconds > 24 * 3600:
        return Reply("!wait can fast-forward between 1s and 24h at a time.", code=False, ok=False)
    return await run_in_sandbox(ctx, _wait_job, seconds, budget=workers.WAIT)


def _wait_job(sb: Sandbox, seconds: float) -> Reply:
    sb.wait(seconds)
    return Reply(f"⏩ {human_duration(seconds)} later… (sandbox clock fast-forwarded)", code=False)


async def sandbox_status(ctx: Context, args: str) -> Reply:
    return await run_in_sandbox(ctx, _status_job, ctx.msg.server, ctx.msg.display)


def _status_job(sb: Sandbox, server: str, display: str) -> Reply:
    c = sb.cluster
    pods = sum(1 for _ in c.iter("Pod"))
    hosts = ", ".join(f"{n}: kubelet {'up' if h['kubelet'] else 'DOWN'}, docker {'up' if h['docker'] else 'DOWN'}"
                      for n, h in c.meta["hosts"].items())
    return Reply(f"Your lab cluster (server {server}, user {display})\n"
                 f"  objects: {c.count()} ({pods} pods)\n"
                 f"  clock: {human_duration(c.meta['offset'])} fast-forwarded\n"
                 f"  nodes: {hosts}")


RESET_CONFIRM_SECONDS = 60.0      # a reset button older than this asks again
_answered_resets: dict[str, float] = {}      # key -> when; a confirmation is used once


def _wall(ctx: Context) -> float:
    return (ctx.router.services.get("clock") or time.time)()


async def reset(ctx: Context, args: str) -> Reply:
    choices = ctx.router.services["choices"]
    return choices.offer(ctx, Reply("Reset your sandbox? Every object you created is deleted and the lab "
                                    "cluster starts fresh, as after chapter 1.", code=False,
                                    choices=("Yes, reset it", "Cancel"),
                                    choice_key=f"reset:{ctx.msg.user}:{int(_wall(ctx) * 1000)}"))   # ms


async def _stale_reset(ctx: Context, key: str) -> Reply | None:
    """A confirmation is single-use and expires: an old button (even after a restart, or after
    the sandbox was already reset with it) must never wipe work done since."""
    now = _wall(ctx)
    for old in [k for k, at in _answered_resets.items() if now - at > RESET_CONFIRM_SECONDS]:
        del _answered_resets[old]
    stamp = key.split(":")[2] if key.count(":") >= 2 else ""
    lang = i18n.lang_of(ctx.router, ctx.msg)
    if not stamp.isdigit() or now - int(stamp) / 1000 > RESET_CONFIRM_SECONDS:
        return Reply(i18n.t(lang, "reset_expired"), code=False, ok=False)
    last = await manager(ctx).store.fetchone(
        "SELECT MAX(at) FROM sandbox_resets WHERE server = ? AND user_id = ?", (ctx.msg.server, ctx.msg.user))
    if key in _answered_resets or (last and last[0] is not None and last[0] * 1000 >= int(stamp)):
        return Reply(i18n.t(lang, "reset_used"), code=False, ok=False)
    _answered_resets[key] = now
    return None


async def _confirm_reset(ctx: Context, key: str, answer: str):
    owner = key.split(":")[1] if key.count(":") >= 2 else ctx.msg.user
    if owner != ctx.msg.user:              # a button in a shared channel: only its owner may press it
        return Reply("That confirmation belongs to another student; type `!reset` for your own sandbox.",
                     code=False, ok=False)
    if stale := await _stale_reset(ctx, key):
        return stale
    if answer.strip() in ("1", "yes", "Yes, reset it", "y"):
        try:
            await manager(ctx).reset(ctx.msg.server, ctx.msg.user)
        except workers.Overrun as overrun:
            return stopped(ctx, overrun)
        ctx.router.services["choices"].latest.pop(ctx.key, None)
        return Reply("Your sandbox was reset: a fresh lab cluster is ready (`!k get nodes`).", code=False)
    return Reply("Reset cancelled; your sandbox is unchanged.", code=False)


async def alias(ctx: Context, args: str) -> Reply:
    text = args.strip()
    name = text.partition("=")[0].strip()
    if "=" in text and _ALIAS_NAME.match(name) and name in ctx.router.commands:
        return Reply(f"`!{name}` is already a bot command; pick another alias name.", code=False, ok=False)
    return await run_in_sandbox(ctx, _alias_job, text)


def _alias_job(sb: Sandbox, text: str) -> Reply:
    aliases = sb.meta.setdefault("aliases", {})
    if not text:
        if not aliases:
            return Reply("No aliases yet. Example: `!alias kgn=kubectl get nodes`, then `!kgn`.", code=False)
        return Reply("\n".join(f"alias {k}='{v}'" for k, v in sorted(aliases.items())))
    name, eq, value = text.partition("=")
    name, value = name.strip(), value.strip().strip("'\"")
    if not eq:
        return Reply(f"alias {name}='{aliases[name]}'" if name in aliases else f"bash: alias: {name}: not found",
                     ok=name in aliases)
    if not _ALIAS_NAME.match(name):
        return Reply(f"bash: alias: `{name}': invalid alias name (use lower-case letters, digits, - and _)",
                     ok=False)
    if not value.startswith(("kubectl", "k ", "ssh", "systemctl")) and value.split(" ")[0] not in ("k",):
        return Reply("An alias expands to a kubectl command (e.g. `kubectl get nodes`).", code=False, ok=False)
    if len(aliases) >= MAX_ALIASES and name not in aliases:
        return Reply(f"You can keep up to {MAX_ALIASES} aliases; remove one with !unalias.", code=False, ok=False)
    aliases[name] = value[:300]
    return Reply(f"alias {name}='{aliases[name]}' saved: try !{name}", code=False)


async def unalias(ctx: Context, args: str) -> Reply:
    return await run_in_sandbox(ctx, _unalias_job, args.strip())


def _unalias_job(sb: Sandbox, name: str) -> Reply:
    aliases = sb.meta.setdefault("aliases", {})
    if name not in aliases:
        return Reply(f"bash: unalias: {name}: not found", ok=False)
    del aliases[name]
    return Reply(f"alias {name} removed", code=False)


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
    router.interceptors.append(edit_reply)
