"""!help: what the bot can do, from the registered commands."""
from __future__ import annotations

from bot.reply import Reply
from bot.router import Context, Router

INTRO = ("kubetutor — your own Kubernetes lab cluster (m-k8s + w1/w2/w3-k8s, v1.20.2) in chat.\n"
         "Type kubectl as on [root@m-k8s ~]#, prefixed with !k — e.g. `!k get nodes`.")


async def help_cmd(ctx: Context, args: str) -> Reply:
    router = ctx.router
    seen, lines = set(), []
    for name, cmd in sorted(router.commands.items()):
        if cmd.handler in seen or (cmd.instructor and not ctx.msg.is_instructor):
            continue
        seen.add(cmd.handler)
        names = [n for n, c in sorted(router.commands.items()) if c.handler is cmd.handler]
        label = " / ".join(f"{router.prefix}{n}" for n in names)
        lines.append(f"{label:<24} {cmd.summary}")
    lines.append(f"{router.prefix}kg {router.prefix}kgp {router.prefix}kgw {router.prefix}ka {router.prefix}kc "
                 f"{router.prefix}ks     the course's k8s_rc.sh shortcuts (kgp = kubectl get pods)")
    return Reply(INTRO + "\n\n" + "\n".join(lines))


def setup(router: Router) -> None:
    router.command("help", summary="this list", uses_sandbox=False)(help_cmd)
