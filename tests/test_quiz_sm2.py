"""SM-2 intervals, ease and lapses."""
from __future__ import annotations

import pytest

from bot.quiz.sm2 import DAY, MIN_EASE, RELEARN_SECONDS, Card, review, strength

NOW = 1_000_000.0


def _run(qualities, card=Card()):
    now = NOW
    seen = []
    for q in qualities:
        card = review(card, q, now)
        seen.append(card)
        now = card.due
    return seen


def test_first_intervals_are_1_and_6_days_then_times_ease():
    """Correct recalls (quality 4) space out 1, 6, 15, 37.5 days; ease stays 2.5."""
    cards = _run([4, 4, 4, 4])
    assert [c.interval for c in cards] == [1.0, 6.0, 15.0, 37.5]
    assert [c.repetitions for c in cards] == [1, 2, 3, 4]
    assert all(c.ease == pytest.approx(2.5) for c in cards)


def test_due_is_interval_days_after_the_answer():
    """A card answered at NOW is due exactly `interval` days later."""
    card = review(Card(), 4, NOW)
    assert card.due == NOW + 1 * DAY
    assert review(card, 4, NOW + DAY).due == NOW + DAY + 6 * DAY


def test_a_perfect_answer_raises_ease_and_stretches_the_next_interval():
    """Quality 5 adds 0.1 ease per answer; the third interval uses the raised ease."""
    cards = _run([5, 5, 5])
    assert [round(c.ease, 2) for c in cards] == [2.6, 2.7, 2.8]
    assert cards[2].interval == round(6 * 2.7, 1)


def test_a_lapse_resets_and_comes_back_within_the_session():
    """A wrong answer resets repetitions, counts a lapse and is due again after 10 minutes."""
    learnt = _run([4, 4, 4])[-1]
    missed = review(learnt, 1, NOW)
    assert (missed.repetitions, missed.lapses, missed.interval) == (0, 1, 1.0)
    assert missed.due == NOW + RELEARN_SECONDS
    assert missed.ease == pytest.approx(2.5 - 0.54)
    relearnt = review(missed, 4, missed.due)
    assert relearnt.interval == 1.0 and relearnt.repetitions == 1


def test_ease_never_drops_below_the_minimum():
    """Missing the same card again and again bottoms out at 1.3."""
    assert _run([0] * 10)[-1].ease == MIN_EASE


def test_missed_cards_come_back_sooner_than_known_ones():
    """After the same history, a miss is due long before a hit."""
    base = _run([4, 4])[-1]
    assert review(base, 1, NOW).due < review(base, 4, NOW).due


@pytest.mark.parametrize("quality", [-1, 6])
def test_quality_outside_0_to_5_is_refused(quality):
    with pytest.raises(ValueError):
        review(Card(), quality, NOW)


def test_strength_grows_with_repetitions():
    """Unseen 0, one correct recall 0.5, two or more 1."""
    assert [strength(None), strength(Card()), strength(Card(repetitions=1)), strength(Card(repetitions=5))] == \
        [0.0, 0.0, 0.5, 1.0]
