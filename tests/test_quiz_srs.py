"""FSRS scheduling as the quiz uses it: grades from correctness and time, practice ahead that
cannot inflate stability, the course-length cap, mastery that decays, and the SM-2 migration."""
from __future__ import annotations

import pytest
from fsrs import Rating

from bot.quiz.deck import Deck
from bot.quiz.srs import (DAY, RELEARNING, REVIEW, Card, expected_seconds, rating, retrievability,
                          review)
from bot.wiring import SCHEMA
from engine.storage import open_store
from pg_fixture import _skip_reason, db_url, pg_admin_url  # noqa: F401  (fixtures: SQLite and PostgreSQL)

NOW = 1_700_000_000.0


def test_the_grade_comes_from_correctness_and_time():
    expected = expected_seconds(60, typed=False)
    assert rating(False, 1.0, expected) == Rating.Again
    assert rating(True, expected / 3, expected) == Rating.Easy
    assert rating(True, expected, expected) == Rating.Good
    assert rating(True, expected * 4, expected) == Rating.Hard
    assert rating(True, None, expected) == Rating.Good
    assert expected_seconds(60, typed=True) > expected          # typing takes longer than clicking


def test_sixteen_answers_in_one_minute_do_not_inflate_anything():
    """The reported abuse: answering the same cards again and again within a minute moved them
    15-38 days out under SM-2. Now only the first answer of each card counts."""
    first = {qid: review(Card(), Rating.Good, NOW) for qid in "abcde"}
    cards = dict(first)
    for i in range(16):
        qid = "abcde"[i % 5]
        cards[qid] = review(cards[qid], Rating.Easy, NOW + 1 + i * 3)
    for qid in "abcde":
        assert (cards[qid].stability, cards[qid].due, cards[qid].state) == \
            (first[qid].stability, first[qid].due, first[qid].state)
        assert cards[qid].reviews > first[qid].reviews            # recorded all the same
    assert max(c.due for c in cards.values()) - NOW < 4 * DAY


def test_a_wrong_answer_ahead_of_time_still_counts():
    card = review(Card(), Rating.Good, NOW)
    assert card.state == REVIEW
    missed = review(card, Rating.Again, NOW + 60)
    assert missed.state == RELEARNING and missed.lapses == 1
    assert missed.stability < card.stability and missed.due == NOW + 60 + 600


def test_a_due_card_grows_and_fast_answers_ease_difficulty():
    """Unlike SM-2's ease for choice questions, difficulty can fall again: Easy answers lower it."""
    card = review(Card(), Rating.Good, NOW)
    later = review(card, Rating.Good, card.due)
    assert later.stability > card.stability
    hard = review(Card(), Rating.Hard, NOW)
    eased = review(hard, Rating.Easy, hard.due)
    assert eased.difficulty < hard.difficulty


@pytest.mark.parametrize("days", [14, 90])
def test_no_interval_goes_past_the_course(days):
    card, now = Card(), NOW
    for _ in range(12):
        card = review(card, Rating.Easy, now, max_days=days)
        assert card.due - now <= days * DAY + 1
        now = card.due
    assert card.due - card.last_review == pytest.approx(days * DAY)


def test_retrievability_decays_and_a_relearning_card_counts_zero():
    card = review(Card(), Rating.Good, NOW)
    assert retrievability(card, NOW) == pytest.approx(1.0)
    half_day = retrievability(card, NOW + DAY / 2)
    assert 0.9 < half_day < 1.0                    # fractional days: it falls within the day
    assert retrievability(card, NOW + 30 * DAY) < half_day
    assert retrievability(review(card, Rating.Again, NOW + DAY), NOW + DAY) == 0.0
    assert retrievability(Card(), NOW) == 0.0 and retrievability(None, NOW) == 0.0


async def test_sm2_cards_are_migrated_to_fsrs(db_url):
    """A database from before FSRS (on either backend): its SM-2 rows become FSRS cards the
    scheduler can use."""
    upto = SCHEMA[:[name for name, _ in SCHEMA].index("quiz_0001_tables") + 1]
    old = await open_store(db_url, migrations=upto)
    rows = [  # server, user, question, repetitions, ease, interval days, due, lapses, reviews
        ("srv", "ann", "pods-what", 3, 2.6, 15.0, NOW + 10 * DAY, 0, 3),
        ("srv", "ann", "sp-who", 0, 1.3, 1.0, NOW - 60, 2, 5),
        ("srv", "bob", "dns-fqdn", 5, 2.5, 200.0, NOW + 150 * DAY, 0, 16),
    ]
    await old.executemany("INSERT INTO quiz_cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    await old.execute("INSERT INTO quiz_posts (id, server, channel, question_id, layout, lang, posted_at, reveal_at) "
                      "VALUES (1, 'srv', 'c', 'pods-what', '{}', 'ko', 0, 1)")
    await old.execute("INSERT INTO quiz_post_answers VALUES (1, 'ann', 'Ann', 1, 10, 0.5)")
    await old.close()

    new = await open_store(db_url, migrations=SCHEMA)
    try:
        deck = Deck(new)
        ann = await deck.cards("srv", "ann")
        known, lapsed = ann["pods-what"], ann["sp-who"]
        assert (known.state, known.stability, known.due, known.reviews) == (REVIEW, 15.0, NOW + 10 * DAY, 3)
        assert known.last_review == NOW - 5 * DAY
        assert known.difficulty == pytest.approx(5.0 - 0.1 * 10 / 3)
        assert (lapsed.state, lapsed.step, lapsed.lapses, lapsed.difficulty) == (RELEARNING, 0, 2, pytest.approx(9.0))
        inflated = (await deck.cards("srv", "bob"))["dns-fqdn"]
        assert inflated.stability == 90.0                          # capped at the course length
        # the migrated cards work with the scheduler: a due review moves on, mastery is sensible
        assert review(lapsed, Rating.Good, NOW).state == REVIEW
        assert 0.85 < retrievability(known, NOW) < 1.0
        assert await new.fetchall("SELECT choice FROM quiz_post_answers") == [("",)]
        with pytest.raises(Exception):
            await new.fetchall("SELECT 1 FROM quiz_cards")         # the old table is gone
    finally:
        await new.close()


async def test_a_servers_course_length_caps_its_reviews(tmp_path):
    """`!config set course_days 7`: on that server no review is put off beyond a week."""
    from bot.app import open_app
    from bot.reply import Message
    from test_quiz_support import FakeClock
    app = await open_app(tmp_path / "c.db", clock=FakeClock(), rate_limit=None,
                         extensions=("bot.choices", "bot.prefs", "bot.settings", "bot.progress", "bot.quiz"))
    try:
        [bad] = await app.router.handle(Message("!config set course_days 0", "u1", "srv", is_admin=True,
                                                is_instructor=True))
        assert not bad.ok
        [done] = await app.router.handle(Message("!config set course_days 7", "u1", "srv", is_admin=True,
                                                 is_instructor=True))
        assert done.ok and "course_days" in done.text
        quiz = app.router.services["quiz"]
        assert (quiz.course_days("srv"), quiz.course_days("other")) == (7, 90)
        question = quiz.bank.questions["pods-what"]
        now = FakeClock().now
        for _ in range(6):
            card = await quiz.learn("srv", "ann", question, True, points=0, source="personal", at=now, seconds=1)
            assert card.due - now <= 7 * DAY + 1
            now = card.due
    finally:
        await app.close()
