"""Sandbox commands: !k/!kubectl, !sh, !ssh, !wait, !sandbox, !reset, aliases and k8s_rc.sh shortcuts."""
from __future__ import annotations

import re
import secrets
import time

from bot import choices as choices_mod
from bot.i18n import Say
from bot.reply import Reply
from bot.router import Context, Router
from engine.bootstrap import KUBE_VERSION
from engine.sandbox import CorruptSandbox, SandboxManager
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


def manager(ctx: Context) -> SandboxManager:
    return ctx.router.services["sandboxes"]


def _reply(out: str, rc: int) -> Reply:
    return Reply(out, ok=rc == 0)


def with_notes(ctx: Context, sb, reply):
    """The engine's tutor notes (Sandbox.notes: `vi`, a loop stopped at its bound, a watch's end…)
    in the student's language, as prose after the output (outside its code block)."""
    if not sb.notes or not isinstance(reply, Reply):
        return reply
    note = Reply("\n".join(ctx.text(key, **params) for key, params in sb.notes), code=False, ok=reply.ok)
    return [reply, note] if reply.text else [note]      # `get -w` of nothing: only the note


async def run_in_sandbox(ctx: Context, fn, *args):
    """fn(sandbox, *args) — a job: what it returns is plain data or unworded `Say`s, no language."""
    try:
        try:
            async with manager(ctx).open(ctx.msg.server, ctx.msg.user) as sb:
                return with_notes(ctx, sb, fn(sb, *args))
        except SandboxConflict:
            # Another process wrote this sandbox since we cached it; nothing was saved, so run
            # the command once more on a fresh copy (a second conflict reaches the student).
            async with manager(ctx).open(ctx.msg.server, ctx.msg.user) as sb:
                return with_notes(ctx, sb, fn(sb, *args))
    except CorruptSandbox:
        return Say("sandbox_unreadable", ok=False)


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
        return Say("edit_timed_out", {"what": what, "minutes": int(EDIT_TIMEOUT // 60),
                                      "again": f"!k edit {what.replace('/', ' ')}"}, ok=False)
    async with ctx.router.lock(ctx.key):
        return await run_in_sandbox(ctx, lambda sb: _reply(*sb.finish_edit(text)))


async def sh(ctx: Context, args: str) -> Reply:
    line, block = split_block(args)
    if not line:
        return Say("sh_usage", ok=False)
    return await run_in_sandbox(ctx, lambda sb: _reply(*sb.shell(line, "m-k8s", _stdin(ctx, block))))


async def ssh(ctx: Context, args: str) -> Reply:
    line, block = split_block(args)
    node, _, command = line.partition(" ")
    if not node:
        return Say("ssh_usage", {"nodes": ", ".join(NODES)}, ok=False)
    return await run_in_sandbox(ctx, lambda sb: _reply(*sb.shell(f"ssh {node} {command}".strip(), "m-k8s",
                                                                 _stdin(ctx, block))))


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
    return await run_in_sandbox(ctx, _wait_job, seconds)


def _wait_job(sb, seconds: float) -> Say:
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


def _status_job(sb) -> dict:
    c = sb.cluster
    return {"objects": c.count(), "pods": sum(1 for _ in c.iter("Pod")), "clock": human_duration(c.meta["offset"]),
            "version": control_plane_version(c),
            "hosts": [(n, bool(h["kubelet"]), bool(h["docker"])) for n, h in c.meta["hosts"].items()]}


def _version_job(sb) -> str:
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
        await manager(ctx).reset(ctx.msg.server, ctx.msg.user)
        ctx.router.services["choices"].latest.pop(ctx.key, None)
        return Say("reset_done")
    return Say("reset_cancelled")


async def alias(ctx: Context, args: str) -> Reply:
    text = args.strip()

    def go(sb):
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
        if name in ctx.router.commands:
            return Say("alias_is_command", {"name": f"!{name}"}, ok=False)
        if not value.startswith(("kubectl", "k ", "ssh", "systemctl")) and value.split(" ")[0] not in ("k",):
            return Say("alias_kubectl_only", ok=False)
        if len(aliases) >= MAX_ALIASES and name not in aliases:
            return Say("alias_too_many", {"limit": MAX_ALIASES}, ok=False)
        aliases[name] = value[:300]
        return Say("alias_saved", {"alias": f"alias {name}='{aliases[name]}'", "name": f"!{name}"})
    return await run_in_sandbox(ctx, go)


async def unalias(ctx: Context, args: str) -> Reply:
    name = args.strip()

    def go(sb):
        aliases = sb.meta.setdefault("aliases", {})
        if name not in aliases:
            return Reply(f"bash: unalias: {name}: not found", ok=False)
        del aliases[name]
        return Say("alias_removed", {"name": name})
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
    router.extra_names.update(SHORTCUTS)
    router.interceptors.append(edit_reply)
