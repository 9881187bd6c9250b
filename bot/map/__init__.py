"""`!map`: the student's cluster as a picture — nodes, pods by phase, services and their endpoints,
and what changed since the student's previous `!map` (the snapshot rides in the sandbox's meta).

scene.py computes the data (inside the sandbox's unit of work), render.py draws it (afterwards, in a
thread, so the drawing never holds the sandbox or the event loop). Labs attach the same picture at
key moments through router.services["map"].
"""
from __future__ import annotations

import asyncio

from bot.i18n import lang_of, t
from bot.reply import Attachment, Reply

__all__ = ["setup", "take", "picture_reply"]
SNAPSHOT_KEY = "map_snapshot"


def take(meta: dict, cluster, *, all_namespaces: bool = False) -> tuple[dict, bool]:
    """The scene of `cluster` compared with the stored snapshot, which it then replaces;
    and whether this is the student's first map."""
    from bot.map import scene
    previous = meta.get(SNAPSHOT_KEY)
    view = scene.scene(cluster, previous, all_namespaces=all_namespaces)
    meta[SNAPSHOT_KEY] = scene.snapshot(view)
    return view, previous is None


def _caption(view: dict, first: bool, lang: str) -> str:
    from bot.map.scene import changes
    pods = sum(len(n["pods"]) for n in view["nodes"]) + len(view["unscheduled"])
    if first:
        return t(lang, "map_first", pods=pods, nodes=len(view["nodes"]))
    found = [t(lang, f"map_change_{k}", n=len(v)) for k, v in changes(view).items() if v]
    return t(lang, "map_caption", pods=pods, nodes=len(view["nodes"]),
             changes=", ".join(found) or t(lang, "map_no_changes"))


async def picture_reply(view: dict, first: bool, lang: str) -> Reply:
    """The caption with the picture and its text rendering as files (a terminal prints the text,
    Discord offers it beside the picture)."""
    from bot.map import render
    png = await asyncio.to_thread(render.picture, view, lang)
    return Reply(_caption(view, first, lang), code=False,
                 files=(Attachment("map.png", png), Attachment("map.txt", render.text(view, lang).encode("utf-8"))))


class MapCommand:
    def __init__(self, router):
        self.router = router

    async def __call__(self, ctx, args: str):
        lang = lang_of(self.router, ctx.msg)
        flag = args.strip()
        if flag not in ("", "-A", "--all-namespaces"):
            return Reply(t(lang, "map_usage"), code=False, ok=False)
        async with self.router.services["sandboxes"].open(ctx.msg.server, ctx.msg.user) as sb:
            view, first = take(sb.meta, sb.cluster, all_namespaces=bool(flag))
        return await picture_reply(view, first, lang)


def setup(router) -> None:
    import bot.map as feature
    router.services["map"] = feature
    router.command("map", summary="your cluster as a picture: nodes, pods, services, what changed")(MapCommand(router))
