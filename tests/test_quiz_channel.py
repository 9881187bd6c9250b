"""Channel quizzes on a fake clock: schedule, post, one answer each, reveal with points."""
from __future__ import annotations

import asyncio

import pytest

from bot.quiz.channel import BASE_POINTS, SPEED_POINTS, Schedule, speed_points
from bot.quiz.timing import next_daily
from test_quiz_support import START, open_chat, right_number


@pytest.fixture
async def chat(tmp_path):
    chat = await open_chat(tmp_path / "t.db")
    yield chat
    await chat.app.close()


def _scheduler(chat):
    return chat.router.services["scheduler"]


async def _post(chat, topic="pods"):
    """Schedule every 10 minutes and fire the first post; returns the (channel, reply) pair."""
    made = await chat.one(f"!quiz schedule <#555> 10m {topic}", instructor=True)
    assert made.ok, made.text
    assert await _scheduler(chat).tick(START + 599) == []
    posts = await _scheduler(chat).tick(START + 600)
    assert len(posts) == 1 and posts[0].server == "srv"
    return posts[0].channel, posts[0].reply


async def test_only_instructors_schedule(chat):
    refused = await chat.one("!quiz schedule #quiz 10m", user="student")
    assert not refused.ok
    assert await _scheduler(chat).schedules("srv") == []


async def test_schedule_is_listed_and_removed(chat):
    made = await chat.one("!quiz schedule <#555> 1h30m dns --timer 90s", instructor=True)
    assert "#1" in made.text and "<#555>" in made.text
    listed = await chat.one("!quiz schedules", instructor=True)
    assert "<#555>" in listed.text and "1h30m" in listed.text and "dns-lookup" in listed.text and "90" in listed.text
    gone = await chat.one("!quiz unschedule 1", instructor=True)
    assert gone.ok
    assert (await chat.one("!quiz unschedule 1", instructor=True)).ok is False
    assert await _scheduler(chat).schedules("srv") == []


@pytest.mark.parametrize("args", ["#quiz", "#quiz soon", "#quiz daily 25:00", "#quiz 10m nosuchtopic",
                                  "#quiz 30s", "#quiz 10m --timer never"])
async def test_bad_schedules_are_refused(chat, args):
    reply = await chat.one(f"!quiz schedule {args}", instructor=True)
    assert not reply.ok
    assert await _scheduler(chat).schedules("srv") == []


async def test_a_post_has_buttons_and_its_own_key(chat):
    channel, reply = await _post(chat)
    assert channel == "555"
    assert reply.choice_key == "cq:1" and len(reply.choices) >= 2
    assert "[파드]" in reply.text and "60초" in reply.text


async def test_answers_once_each_then_reveal_with_points(chat):
    """Three students answer (two right, at different speeds); a second answer is refused;
    the reveal gives the answer, the tally and more points to the faster one."""
    _, post = await _post(chat)
    bank = chat.router.services["quiz"].bank
    right = right_number(bank, post)
    wrong = next(n for n in range(1, len(post.choices) + 1) if n != right)
    chat.clock.now = START + 600 + 5
    assert (await chat.one(f"!answer cq:1 {right}", user="fast")).ok
    chat.clock.now = START + 600 + 30
    assert (await chat.one(f"!answer cq:1 {right}", user="slow")).ok
    assert (await chat.one(f"!answer cq:1 {wrong}", user="wrong")).ok
    again = await chat.one(f"!answer cq:1 {right}", user="wrong")
    assert not again.ok and "이미" in again.text

    assert await _scheduler(chat).tick(START + 659) == []
    [(_, channel, reveal)] = await _scheduler(chat).tick(START + 660)
    assert channel == "555"
    assert "정답 공개" in reveal.text and post.choices[right - 1] in reveal.text
    assert "3명 중 2명 정답" in reveal.text
    fast, slow = speed_points(5, 60), speed_points(30, 60)
    assert fast > slow > 0
    assert f"1. Fast +{fast} · 2. Slow +{slow}" in reveal.text
    assert "Wrong" not in reveal.text.split("🏆")[1]

    board = await chat.one("!leaderboard", user="slow")
    lines = board.text.splitlines()
    assert [l.split()[1] for l in lines[3:]] == ["Fast", "Slow"]


async def test_a_late_answer_is_refused_and_a_revealed_post_is_closed(chat):
    await _post(chat)
    chat.clock.now = START + 660
    late = await chat.one("!answer cq:1 1", user="late")
    assert not late.ok
    await _scheduler(chat).tick(START + 660)
    assert not (await chat.one("!answer cq:1 1", user="later")).ok


async def test_a_post_from_another_server_cannot_be_answered(chat):
    await _post(chat)
    chat.server = "other"
    assert not (await chat.one("!answer cq:1 1", user="stranger")).ok


async def test_the_next_post_follows_the_interval(chat):
    await _post(chat)
    assert [p.channel for p in await _scheduler(chat).tick(START + 1199)] == ["555"]       # only the reveal
    posts = await _scheduler(chat).tick(START + 1200)
    assert [p.reply.choice_key for p in posts] == ["cq:2"]


async def test_schedules_and_open_posts_survive_a_restart(tmp_path, chat):
    """Post, restart, answer, reveal: nothing is lost and the reveal still fires."""
    _, post = await _post(chat)
    await chat.app.close()
    chat2 = await open_chat(tmp_path / "t.db", chat.clock)
    try:
        chat2.clock.now = START + 610
        assert (await chat2.one("!answer cq:1 1", user="bob")).ok
        [(_, _, reveal)] = await chat2.router.services["scheduler"].tick(START + 700)
        assert "1명 중" in reveal.text
        assert len(await chat2.router.services["scheduler"].schedules("srv")) == 1
    finally:
        await chat2.app.close()
    chat.app = chat2.app


async def test_console_tick_moves_the_quiz_clock_and_offers_the_buttons(chat):
    """`!quiz tick 10m` posts into the console, and `!answer N` then answers that post."""
    await chat.one("!quiz schedule #quiz 10m pods", instructor=True)
    nothing = await chat.one("!quiz tick", instructor=True)
    assert "없습니다" in nothing.text
    posted = await chat.one("!quiz tick 10m", instructor=True)
    assert posted.text.startswith("📣 #quiz") and posted.choice_key == "cq:1"
    assert (await chat.one("!answer 1", instructor=True)).text.startswith("📨")


async def test_daily_schedules_fire_at_kst_time(chat):
    made = await chat.one("!quiz schedule #quiz daily 9:00", instructor=True)
    assert "09:00" in made.text
    [schedule] = await _scheduler(chat).schedules("srv")
    assert schedule.next_at == START + (9 * 3600 - (7 * 3600 + 13 * 60 + 20))     # 07:13:20 KST → 09:00 today
    assert next_daily(7, 0, START) == START - (13 * 60 + 20) + 86_400                # 07:00 has passed → tomorrow


async def test_start_posts_through_the_poster(chat):
    """The background loop hands due posts to the poster and stops on close."""
    class Poster:
        def __init__(self):
            self.posts = []

        async def post(self, channel_id, reply, *, server=None):
            self.posts.append((channel_id, reply.choice_key, server))

    await chat.one("!quiz schedule #quiz 10m", instructor=True)
    chat.clock.now = START + 600
    poster = Poster()
    await _scheduler(chat).start(poster)
    for _ in range(50):
        if poster.posts:
            break
        await asyncio.sleep(0.01)
    assert poster.posts == [("quiz", "cq:1", "srv")]
    await _scheduler(chat).aclose()


def test_interval_schedules_skip_missed_runs_but_keep_their_phase():
    schedule = Schedule(1, "s", "c", 600.0, None, None, 60.0, next_at=1000.0)
    assert schedule.following(1000.0) == 1600.0
    assert schedule.following(4321.0) == 4600.0          # down for a while: one post, then back on the grid


def test_speed_points_shrink_from_max_to_base():
    assert speed_points(0, 60) == BASE_POINTS + SPEED_POINTS
    assert speed_points(30, 60) == BASE_POINTS + SPEED_POINTS // 2
    assert speed_points(60, 60) == BASE_POINTS


async def test_from_discord_a_channel_must_be_a_mention_or_here(chat):
    """Discord posts need a channel id: a bare name is refused, `here` means this channel."""
    refused = await chat.one("!quiz schedule #general 10m", instructor=True, channel="777")
    assert not refused.ok and "#general" in refused.text
    here = await chat.one("!quiz schedule here 10m", instructor=True, channel="777")
    assert here.ok and "<#777>" in here.text


async def test_two_processes_sharing_a_database_post_and_reveal_once(tmp_path):
    """Shard processes share the schedule table: the one that claims the firing posts it."""
    first = await open_chat(tmp_path / "shared.db")
    second = await open_chat(tmp_path / "shared.db")
    try:
        made = await first.one("!quiz schedule <#555> 10m pods", instructor=True)
        assert made.ok, made.text
        posts = await _scheduler(first).tick(START + 600) + await _scheduler(second).tick(START + 600)
        assert len(posts) == 1
        reveals = await _scheduler(second).tick(START + 3600) + await _scheduler(first).tick(START + 3600)
        assert sum(1 for post in reveals if not post.reply.choices) == 1
    finally:
        await first.app.close()
        await second.app.close()


async def test_a_channel_of_another_server_is_refused(chat):
    """Issue 16.1: an instructor of one server cannot schedule into another server's channel."""
    class Directory:
        def belongs(self, server, channel):
            return (server, channel) == ("srv", "777")

    chat.router.services["channels"] = Directory()
    refused = await chat.one("!quiz schedule <#888> 10m", instructor=True, channel="777")
    assert not refused.ok and "<#888>" in refused.text
    assert await _scheduler(chat).schedules("srv") == []
    assert (await chat.one("!quiz schedule <#777> 10m", instructor=True, channel="777")).ok


async def test_quiz_tick_fires_only_this_servers_quizzes(chat):
    """Issue 16.2: `!quiz tick` in one server neither fires nor moves the clock of another."""
    assert (await chat.one("!quiz schedule <#555> 10m", instructor=True)).ok
    chat.server = "other"
    assert (await chat.one("!quiz schedule <#666> 10m", instructor=True)).ok
    chat.server = "srv"
    fired = await chat.say("!quiz tick 10m", instructor=True)
    assert [r.text.splitlines()[0] for r in fired] == ["📣 <#555>"]
    chat.server = "other"
    nothing = await chat.one("!quiz tick", instructor=True)
    assert "<#666>" not in nothing.text and "<#555>" not in nothing.text
    later = await chat.say("!quiz tick 10m", instructor=True)
    assert [r.text.splitlines()[0] for r in later] == ["📣 <#666>"]
