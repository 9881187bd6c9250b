"""!help: what the bot can do, from the registered commands, in the student's language."""
from __future__ import annotations

from bot.reply import Reply
from bot.router import Context, Router


async def help_cmd(ctx: Context, args: str) -> Reply:
    from bot.commands.sandbox import cluster_version
    router, text = ctx.router, ctx.text
    seen, lines = set(), []
    for name, cmd in sorted(router.commands.items()):
        if cmd.handler in seen or (cmd.instructor and not ctx.msg.is_instructor):
            continue
        seen.add(cmd.handler)
        names = [n for n, c in sorted(router.commands.items()) if c.handler is cmd.handler]
        label = " / ".join(f"{router.prefix}{n}" for n in names)
        key = f"help_cmd_{names[0]}"            # a command without a catalogue line shows its summary
        lines.append(f"{label:<24} {text(key) if key in _keys(text) else cmd.summary}")
    shortcuts = " ".join(f"{router.prefix}{n}" for n in ("kg", "kgp", "kgw", "ka", "kc", "ks"))
    lines.append(f"{shortcuts:<24} {text('help_shortcuts')}")
    intro = text("help_intro", version=await cluster_version(ctx), example=f"{router.prefix}k get nodes")
    return Reply(intro + "\n\n" + "\n".join(lines))


def _keys(text) -> set[str]:
    from bot.i18n import catalogue
    return set(catalogue(text.lang))


def setup(router: Router) -> None:
    router.command("help", summary="this list", uses_sandbox=False)(help_cmd)
