"""`!lang`: per-user language, the server default, and the synchronous cache i18n reads."""
from __future__ import annotations

import pytest

from bot.i18n import lang_of
from bot.reply import Message
from test_quiz_support import open_chat


@pytest.fixture
async def chat(tmp_path):
    chat = await open_chat(tmp_path / "t.db")
    yield chat
    await chat.app.close()


def _prefs(chat):
    return chat.router.services["prefs"]


async def test_korean_is_the_default(chat):
    assert _prefs(chat).lang_cached("srv", "ann") == "ko"
    reply = await chat.one("!lang", user="ann")
    assert "현재 언어: ko" in reply.text


async def test_a_user_switches_to_english_and_bot_messages_follow(chat):
    switched = await chat.one("!lang en", user="ann")
    assert switched.text == "I'll answer in English from now on."
    assert _prefs(chat).lang_cached("srv", "ann") == "en"
    assert lang_of(chat.router, Message("!x", "ann", "srv")) == "en"
    topics = await chat.one("!quiz topics", user="ann")
    assert "Quiz topics" in topics.text
    other = await chat.one("!quiz topics", user="bo")            # others keep Korean
    assert "퀴즈 주제" in other.text


async def test_the_choice_persists_across_a_restart(tmp_path, chat):
    await chat.one("!lang en", user="ann")
    await chat.app.close()
    again = await open_chat(tmp_path / "t.db")
    try:
        assert again.router.services["prefs"].lang_cached("srv", "ann") == "en"
    finally:
        await again.app.close()
    chat.app = again.app


async def test_the_server_default_is_for_instructors(chat):
    refused = await chat.one("!lang server en", user="ann")
    assert not refused.ok
    assert _prefs(chat).server_lang("srv") == "ko"
    done = await chat.one("!lang server en", user="teacher", instructor=True)
    assert done.ok and "en" in done.text
    assert _prefs(chat).lang_cached("srv", "newcomer") == "en"
    assert _prefs(chat).lang_cached("elsewhere", "newcomer") == "ko"


async def test_a_users_choice_beats_the_server_default(chat):
    await chat.one("!lang ko", user="ann")
    await chat.one("!lang server en", user="teacher", instructor=True)
    assert _prefs(chat).lang_cached("srv", "ann") == "ko"


async def test_router_messages_use_the_preference(chat):
    """The router's own words (instructor_only) follow the user's language too."""
    await chat.one("!lang en", user="ann")
    refused = await chat.one("!class", user="ann")
    assert refused.text.startswith("Only instructors")


@pytest.mark.parametrize("args", ["fr", "ko en", "server", "server klingon"])
async def test_unknown_languages_are_refused(chat, args):
    reply = await chat.one(f"!lang {args}", user="teacher", instructor=True)
    assert not reply.ok and "!lang ko|en" in reply.text
    assert _prefs(chat).lang_cached("srv", "teacher") == "ko"


def test_every_teaching_message_exists_in_both_languages():
    """The quiz, progress and language messages are in ko.yaml and en.yaml alike."""
    import yaml
    from bot.i18n import _DIR
    mine = ("quiz_", "cq_", "lang_", "progress_", "leaderboard_", "class_")
    keys = {lang: {k for k in yaml.safe_load((_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
                   if k.startswith(mine)} for lang in ("ko", "en")}
    assert keys["ko"] == keys["en"] and len(keys["ko"]) > 50
