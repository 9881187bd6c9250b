"""The lab funnel: who reached, passed, skipped each step and how many hints, from recorded events;
`!class` attaches it (with the heatmap) and names where students get stuck."""
from __future__ import annotations

from bot.app import open_app
from bot.labs.catalogue import course, find
from bot.labs.funnel import funnel
from bot.reply import Message


async def test_funnel_counts_and_class_attaches_it(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=lambda: 1795000000.0, rate_limit=None)
    try:
        async def say(text, user, instructor=False):
            return await app.router.handle(Message(content=text, user=user, server="s", reply_lang="en",
                                                   is_instructor=instructor))
        n = find(course(), "chk-hn").number
        for user in ("ann", "bo", "cy"):
            await say(f"!lab start {n}", user)
        await say("!k create deployment chk-hn --image=sysnet4admin/chk-hn", "ann")        # ann passes step 1
        await say("!lab hint", "bo")
        await say("!lab hint", "bo")
        await say("!lab skip", "bo")                                                     # bo skips step 1
        rows = funnel(await app.router.services["labs"].sessions.events("s"), course())
        [row] = rows
        assert (row.lab_id, row.number) == ("chk-hn", n)
        assert [(s.reached, s.passed, s.hints, s.skips) for s in row.steps] == [(3, 1, 2, 1), (2, 0, 0, 0)]
        assert row.stuck_at == 1 and (row.completed, row.skipped) == (0, 0)

        [reply] = await say("!class", "teacher", instructor=True)
        names = [f.filename for f in reply.files]
        assert names == ["class.csv", "class-heatmap.png", "lab-funnel.png"]
        assert all(f.data.startswith(b"\x89PNG") for f in reply.files[1:])
        assert reply.text.startswith(f"Labs where students get stuck: {n}.1")
    finally:
        await app.close()
