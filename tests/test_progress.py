"""Recording (commands, quiz answers, labs) and the reports: !progress, !leaderboard, !class."""
from __future__ import annotations

import csv
import io

import pytest

from bot.progress import record_lab
from bot.router import Context
from bot.reply import Message
from test_quiz_support import open_chat

DAY = 86_400


@pytest.fixture
async def chat(tmp_path):
    chat = await open_chat(tmp_path / "t.db")
    yield chat
    await chat.app.close()


def _progress(chat):
    return chat.router.services["progress"]


def _ctx(chat, user):
    return Context(chat.router, Message("!lab", user, chat.server, user_name=user.title()), "lab")


async def test_every_command_is_counted_with_its_time(chat):
    await chat.say("!quiz topics", user="ann")
    chat.clock.advance(120)
    await chat.say("!lang", user="ann")
    await chat.say("!nosuchcommand", user="ann")              # not a command: not counted
    activity = await _progress(chat).activity("srv", "ann", 0)
    assert activity.commands == 2
    assert activity.last_seen == chat.clock.now
    rows = await chat.app.store.fetchall(
        "SELECT command, count FROM progress_commands WHERE user_id = 'ann' ORDER BY command")
    assert rows == [("lang", 1), ("quiz", 1)]


async def test_lab_steps_are_recorded_once(chat):
    """The labs API: a step counts once; the completing step marks the lab done."""
    ctx = _ctx(chat, "ann")
    assert await record_lab(ctx, "lab-first-pod", "run") is True
    assert await record_lab(ctx, "lab-first-pod", "run") is False
    assert await _progress(chat).record_lab(("srv", "ann"), "lab-first-pod", "curl", completed=True) is True
    assert await _progress(chat).labs_done(("srv", "ann")) == ["lab-first-pod"]
    activity = await _progress(chat).activity("srv", "ann", 0)
    assert (activity.lab_steps, activity.points) == (2, 10)


async def test_progress_shows_accuracy_bars_labs_and_next_review(chat):
    quiz = chat.router.services["quiz"]
    await chat.say("!quiz topics", user="ann")
    await quiz.learn("srv", "ann", quiz.bank.questions["pods-what"], False, points=0,
                     source="personal", at=chat.clock.now)
    await record_lab(_ctx(chat, "ann"), "lab-first-pod", "done", completed=True)
    shown = await chat.one("!progress", user="ann")
    assert shown.code
    text = shown.text
    assert "Ann" in text
    assert "0% (0/1)" in text
    assert "1개 완료" in text and "lab-first-pod" in text
    assert "🔥 1일" in text
    assert "pods                       ░░░░░░░░░░  0%" in text
    assert "10분 뒤 (pods)" in text                    # missed: due again in ten minutes
    chat.clock.advance(601)
    later = (await chat.one("!progress", user="ann")).text
    assert "지금 복습할 문제 1개: !quiz pods" in later


async def test_mastery_bar_fills_as_questions_are_known(chat):
    """Every pods question just answered right fills the pods bar; a month without review
    empties it part of the way (mastery is the recall chance now)."""
    quiz = chat.router.services["quiz"]
    for q in quiz.bank.in_section("pods"):
        await quiz.learn("srv", "ann", q, True, points=0, source="personal", at=chat.clock.now, seconds=20)
    text = (await chat.one("!progress", user="ann")).text
    assert "pods                       ██████████  100%" in text
    chat.clock.advance(30 * DAY)
    text = (await chat.one("!progress", user="ann")).text
    assert "pods                       ██████████  100%" not in text


async def test_leaderboard_week_and_all(chat):
    """Points from last week count all-time only."""
    progress = _progress(chat)
    await chat.say("!lang", user="new")
    await progress.record_quiz(("srv", "old"), "pods-what", "pods", True, points=50, at=chat.clock.now - 8 * DAY)
    await progress.record_quiz(("srv", "new"), "pods-what", "pods", True, points=10, at=chat.clock.now)
    await progress.record_lab(("srv", "new"), "lab-x", "1", points=5)
    week = (await chat.one("!leaderboard", user="new")).text
    every = (await chat.one("!leaderboard all", user="new")).text
    assert "이번 주" in week and "전체" in every
    week_rows = [l.split()[:3] for l in week.splitlines()[3:]]
    all_rows = [l.split()[:3] for l in every.splitlines()[3:]]
    assert week_rows == [["1", "New", "15"]]
    assert all_rows == [["1", "old", "50"], ["2", "New", "15"]]
    assert not (await chat.one("!leaderboard month", user="new")).ok


async def test_class_is_for_instructors_and_attaches_csv(chat):
    progress = _progress(chat)
    await chat.say("!quiz topics", user="ann")
    await chat.say("!quiz topics", user="bo")
    await progress.record_quiz(("srv", "ann"), "pods-what", "pods", True, points=10)
    await progress.record_quiz(("srv", "ann"), "pods-run-creates", "pods", False)
    await progress.record_lab(("srv", "bo"), "lab-first-pod", "done", completed=True)

    refused = await chat.one("!class", user="ann")
    assert not refused.ok and refused.files == ()

    reply = await chat.one("!class", user="teacher", instructor=True)
    assert "Ann" in reply.text and "Bo" in reply.text
    attachment, heatmap = reply.files
    assert attachment.filename == "class.csv"
    assert heatmap.filename == "class-heatmap.png" and heatmap.data.startswith(b"\x89PNG")
    rows = list(csv.DictReader(io.StringIO(attachment.data.decode("utf-8-sig"))))
    by_user = {r["user_id"]: r for r in rows}
    assert set(by_user) == {"ann", "bo"}                   # the teacher is recorded after this command
    assert (by_user["ann"]["answers"], by_user["ann"]["accuracy"], by_user["ann"]["points"]) == ("2", "50%", "10")
    assert (by_user["bo"]["labs_done"], by_user["bo"]["points"]) == ("1", "5")
    assert by_user["ann"]["name"] == "Ann" and "mastery_dns-lookup" in rows[0]
    assert by_user["ann"]["streak_days"] == "1"


def test_class_rows_say_how_to_peek_into_each_sandbox():
    from bot.progress.reports import peek_command
    assert peek_command("123456789012345678") == "!peek <@123456789012345678> get pods"
    assert peek_command("alice") == "!peek alice get pods"
