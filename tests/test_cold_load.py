"""A sandbox loaded cold (a restart, another process, an evicted cache entry) must look exactly
as one kept warm: the controllers' reaction to a command and the timers due since are replayed
at their own instants, not at the moment of loading."""
from __future__ import annotations

from bot.app import open_app
from bot.reply import Message
from test_quiz_support import FakeClock


async def _pods(app, user="s"):
    [reply] = await app.router.handle(Message("!k get pods", user, "srv"))
    return reply.text


async def test_a_restart_an_hour_later_shows_the_same_cluster(tmp_path):
    clock = FakeClock()
    warm = await open_app(tmp_path / "w.db", clock=clock, rate_limit=None)
    cold = await open_app(tmp_path / "c.db", clock=clock, rate_limit=None)
    for app in (warm, cold):
        await app.router.handle(Message("!k create deployment web --image=nginx --replicas=2", "s", "srv"))
    await cold.close()
    clock.advance(3600)
    cold = await open_app(tmp_path / "c.db", clock=clock, rate_limit=None)      # the bot restarted
    try:
        warm_view, cold_view = await _pods(warm), await _pods(cold)
        assert warm_view == cold_view
        assert cold_view.count("Running") == 2 and "60m" in cold_view
    finally:
        await warm.close()
        await cold.close()
