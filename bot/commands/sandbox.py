"""Sandbox commands: !k/!kubectl, !sh, !ssh, !wait, !sandbox, !reset, aliases and k8s_rc.sh shortcuts."""
from __future__ import annotations

import re
import time

from bot import choices as choices_mod
from bot import i18n
from bot.reply import Reply
from bot.router import Context, Router
from engine.sandbox import CorruptSandbox, SandboxManager
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


def manager(ctx: Context) -> SandboxManager:
    return ctx.router.services["sandboxes"]


def _reply(out: str, rc: int) -> Reply:
    return Reply(out, ok=rc == 0)


def with_notes(ctx: Context, sb, reply):
    """The engine's tutor notes (Sandbox.notes: `vi`, a loop stopped at its bound, a watch's end…)
    in the student's language, as prose after the output (outside its code block)."""
    if not sb.notes or not isinstance(reply, Reply):
        return reply
    lang = i18n.lang_of(ctx.router, ctx.msg)
    note = Reply("\n".join(i18n.t(lang, key, **params) for key, params in sb.notes), code=False, ok=reply.ok)
    return [reply, note] if reply.text else [note]      # `get -w` of nothing: only the note


async def run_in_sandbox(ctx: Context, fn) -> Reply:
    try:
        try:
            async with manager(ctx).open(ctx.msg.server, ctx.msg.user) as sb:
                return with_notes(ctx, sb, fn(sb))
        except SandboxConflict:
            # Another process wrote this sandbox since we cached it; nothing was saved, so run
            # the command once more on a fresh copy (a second conflict reaches the student).
            async with manager(ctx).open(ctx.msg.server, ctx.msg.user) as sb:
                return with_notes(ctx, sb, fn(sb))
    except CorruptSandbox:
        return Reply("Your sandbox's saved state could not be read. Nothing else is affected: type `!reset` "
                     "to start a fresh lab cluster.", code=False, ok=False)


EDIT_TIMEOUT = 600.0      # seconds a `kubectl edit` waits for the student's edited YAML


async def kubectl(ctx: Context, args: str) -> Reply | list[Reply]:
    line, block = split_block(args)
    stdin = _stdin(ctx, block)

    def go(sb):
        reply = _reply(*sb.kubectl(line, stdin))
        waiting = sb.pending_edit()
        edits = ctx.router.services.setdefault("pending_edits", {})
        if waiting:
            edits[ctx.key] = (time.monotonic() + EDIT_TIMEOUT, f"{waiting['kind'].lower()}/{waiting['name']}")
        else:
            edits.pop(ctx.key, None)
        return reply
    return await run_in_sandbox(ctx, go)


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
            await run_in_sandbox(ctx, lambda sb: sb.finish_edit(None))
        return None
    _, block = split_block(ctx.msg.content)
    text = block if block is not None else _stdin(ctx, None)
    if text is None:
        return None                                   # chatter while the editor is open
    del edits[ctx.key]
    if time.monotonic() > deadline:
        async with ctx.router.lock(ctx.key):
            await run_in_sandbox(ctx, lambda sb: sb.finish_edit(None))
        return Reply(f"The edit of {what} timed out after {int(EDIT_TIMEOUT // 60)} minutes; no changes were "
                     f"made. Run `!k edit {what.replace('/', ' ')}` again.", code=False, ok=False)
    async with ctx.router.lock(ctx.key):
        return await run_in_sandbox(ctx, lambda sb: _reply(*sb.finish_edit(text)))


async def sh(ctx: Context, args: str) -> Reply:
    line, block = split_block(args)
    if not line:
        return Reply("usage: !sh COMMAND   (runs as root on m-k8s, e.g. `!sh systemctl status kubelet`)",
                     code=False, ok=False)
    return await run_in_sandbox(ctx, lambda sb: _reply(*sb.shell(line, "m-k8s", _stdin(ctx, block))))


async def ssh(ctx: Context, args: str) -> Reply:
    line, block = split_block(args)
    node, _, command = line.partition(" ")
    if not node:
        return Reply("usage: !ssh NODE COMMAND   (NODE is one of " + ", ".join(NODES) + ")", code=False, ok=False)
    return await run_in_sandbox(ctx, lambda sb: _reply(*sb.shell(f"ssh {node} {command}".strip(), "m-k8s",
                                                                 _stdin(ctx, block))))


async def wait(ctx: Context, args: str) -> Reply:
    text = args.strip()
    seconds = parse_duration(text) if text else None
    if seconds is None or text.startswith("-"):
        return Reply(f"!wait takes a duration such as 30s, 5m or 1h (got {text or 'nothing'!r}).", code=False, ok=False)
    if seconds <= 0 or seconds > 24 * 3600:
        return Reply("!wait can fast-forward between 1s and 24h at a time.", code=False, ok=False)

    def go(sb):
        sb.wait(seconds)
        return Reply(f"⏩ {human_duration(seconds)} later… (sandbox clock fast-forwarded)", code=False)
    return await run_in_sandbox(ctx, go)


async def sandbox_status(ctx: Context, args: str) -> Reply:
    def go(sb):
        c = sb.cluster
        pods = sum(1 for _ in c.iter("Pod"))
        hosts = ", ".join(f"{n}: kubelet {'up' if h['kubelet'] else 'DOWN'}, docker {'up' if h['docker'] else 'DOWN'}"
                          for n, h in c.meta["hosts"].items())
        return Reply(f"Your lab cluster (server {ctx.msg.server}, user {ctx.msg.display})\n"
                     f"  objects: {c.count()} ({pods} pods)\n"
                     f"  clock: {human_duration(c.meta['offset'])} fast-forwarded\n"
                     f"  nodes: {hosts}")
    return await run_in_sandbox(ctx, go)


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
        await manager(ctx).reset(ctx.msg.server, ctx.msg.user)
        ctx.router.services["choices"].latest.pop(ctx.key, None)
        return Reply("Your sandbox was reset: a fresh lab cluster is ready (`!k get nodes`).", code=False)
    return Reply("Reset cancelled; your sandbox is unchanged.", code=False)


async def alias(ctx: Context, args: str) -> Reply:
    text = args.strip()

    def go(sb):
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
        if name in ctx.router.commands:
            return Reply(f"`!{name}` is already a bot command; pick another alias name.", code=False, ok=False)
        if not value.startswith(("kubectl", "k ", "ssh", "systemctl")) and value.split(" ")[0] not in ("k",):
            return Reply("An alias expands to a kubectl command (e.g. `kubectl get nodes`).", code=False, ok=False)
        if len(aliases) >= MAX_ALIASES and name not in aliases:
            return Reply(f"You can keep up to {MAX_ALIASES} aliases; remove one with !unalias.", code=False, ok=False)
        aliases[name] = value[:300]
        return Reply(f"alias {name}='{aliases[name]}' saved: try !{name}", code=False)
    return await run_in_sandbox(ctx, go)


async def unalias(ctx: Context, args: str) -> Reply:
    name = args.strip()

    def go(sb):
        aliases = sb.meta.setdefault("aliases", {})
        if name not in aliases:
            return Reply(f"bash: unalias: {name}: not found", ok=False)
        del aliases[name]
        return Reply(f"alias {name} removed", code=False)
    return await run_in_sandbox(ctx, go)


def _expand(ctx: Context, expansion: str, args: str) -> str:
    words = expansion.split(None, 1)
    rest = words[1] if len(words) > 1 else ""
    return (rest + " " + args).strip()


async def fallback(ctx: Context, name: str, args: str):
    """Unknown `!word`: a k8s_rc.sh shortcut or one of the student's aliases, else silence."""
    if name in SHORTCUTS:
        return await kubectl(ctx, _expand(ctx, SHORTCUTS[name], args))
    if not await manager(ctx).exists(ctx.msg.server, ctx.msg.user):
        return None

    def lookup(sb):
        return sb.meta.get("aliases", {}).get(name)
    expansion = None
    async with manager(ctx).open(ctx.msg.server, ctx.msg.user) as sb:
        expansion = lookup(sb)
    if expansion is None:
        return None
    if expansion.startswith(("kubectl", "k ")) or expansion == "k":
        return await kubectl(ctx, _expand(ctx, expansion, args))
    return await sh(ctx, (expansion + " " + args).strip())


def setup(router: Router) -> None:
    store = router.services["store"]
    wall = router.services.get("clock") or time.time
    router.services["sandboxes"] = SandboxManager(store, wall)
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
