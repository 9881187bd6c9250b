"""`!map`: the student's cluster as a picture — nodes, pods by phase, services and their endpoints,
and what changed since the student's previous `!map` (the snapshot rides in the sandbox's meta).

scene.py computes the data, render.py draws it; labs attach the same reply at key moments
(router.services["map"].reply).
"""
from __future__ import annotations

from bot.i18n import lang_of, t
from bot.reply import Attachment, Reply

__all__ = ["setup"]
SNAPSHOT_KEY = "map_snapshot"


def _caption(view: dict, first: bool, lang: str) -> str:
    from bot.map.scene import changes
    pods = sum(len(n["pods"]) for n in view["nodes"]) + len(view["unscheduled"])
    if first:
        return t(lang, "map_first", pods=pods, nodes=len(view["nodes"]))
    found = [t(lang, f"map_change_{k}", n=len(v)) for k, v in changes(view).items() if v]
    return t(lang, "map_caption", pods=pods, nodes=len(view["nodes"]),
             changes=", ".join(found) or t(lang, "map_no_changes"))


def map_reply(meta: dict, cluster, lang: str, *, all_namespaces: bool = False) -> list[Reply]:
    """The picture (and its text) of `cluster`, compared with and then replacing the stored snapshot."""
    from bot.map import render, scene
    previous = meta.get(SNAPSHOT_KEY)
    view = scene.scene(cluster, previous, all_namespaces=all_namespaces)
    meta[SNAPSHOT_KEY] = scene.snapshot(view)
    # The text rendering rides as a file too: a terminal prints it, Discord offers it beside the picture.
    return [Reply(_caption(view, previous is None, lang), code=False,
                  files=(Attachment("map.png", render.picture(view, lang)),
                         Attachment("map.txt", render.text(view, lang).encode("utf-8"))))]


class MapCommand:
    def __init__(self, router):
        self.router = router

    async def __call__(self, ctx, args: str):
        lang = lang_of(self.router, ctx.msg)
        flag = args.strip()
        if flag not in ("", "-A", "--all-namespaces"):
            return Reply(t(lang, "map_usage"), code=False, ok=False)
        async with self.router.services["sandboxes"].open(ctx.msg.server, ctx.msg.user) as sb:
            return map_reply(sb.meta, sb.cluster, lang, all_namespaces=bool(flag))


def setup(router) -> None:
    router.services["map"] = map_reply
    router.command("map", summary="your cluster as a picture: nodes, pods, services, what changed")(MapCommand(router))
