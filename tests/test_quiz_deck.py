"""What `!quiz` asks next, mastery per topic and the next review — pure functions over cards."""
from __future__ import annotations

import random

import pytest

from bot.quiz.bank import load_bank
from bot.quiz.deck import forecast, mastery, next_review, pick_next
from bot.quiz.srs import DAY, REVIEW, Card, retrievability

NOW = 1_700_000_000.0


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_new_questions_come_in_course_order(bank):
    """With no history the first question is from the first section (pods)."""
    pick = pick_next(bank, {}, NOW, random.Random(1))
    assert (pick.reason, pick.question.section) == ("new", "pods")


def _card(stability: float, due: float, last: float = NOW - 5 * DAY) -> Card:
    return Card(REVIEW, None, stability, 5.0, due, last, 3, 0)


def test_due_cards_come_before_new_ones_weakest_first(bank):
    """Two due cards and many new questions: the due card least likely to be recalled is asked."""
    cards = {"dns-fqdn": _card(20.0, NOW - 10), "sp-who": _card(2.0, NOW - 5),
             "pods-what": _card(6.0, NOW + 3600)}
    pick = pick_next(bank, cards, NOW, random.Random(1))
    assert (pick.reason, pick.question.id) == ("due", "sp-who")


def test_a_topic_limits_the_pool(bank):
    """`!quiz dns-lookup` asks only DNS questions, even when other cards are due."""
    cards = {"sp-who": _card(2.0, NOW - 5)}
    for seed in range(10):
        assert pick_next(bank, cards, NOW, random.Random(seed), "dns-lookup").question.section == "dns-lookup"


def test_when_everything_is_seen_and_nothing_due_it_practises_the_soonest(bank):
    """All cards known and in the future: the one due soonest is offered as practice."""
    cards = {q.id: _card(6.0, NOW + 1000 + i) for i, q in enumerate(bank.in_section("short-names"))}
    first = bank.in_section("short-names")[0].id
    pick = pick_next(bank, cards, NOW, random.Random(1), "short-names")
    assert (pick.reason, pick.question.id) == ("ahead", first)


def test_the_question_just_asked_is_not_asked_again_at_once(bank):
    cards = {"sp-who": _card(2.0, NOW - 5), "sp-recreate": _card(3.0, NOW - 5)}
    pick = pick_next(bank, cards, NOW, random.Random(1), "static-pods-control-plane", avoid="sp-who")
    assert pick.question.id == "sp-recreate"


def test_mastery_is_the_mean_retrievability_now_and_decays(bank):
    """Three dns cards reviewed five days ago: mastery is the mean of their recall chances now
    (unseen questions count 0), and it falls as time passes without review."""
    dns = [q.id for q in bank.in_section("dns-lookup")]
    cards = {dns[0]: _card(5.0, NOW), dns[1]: _card(50.0, NOW), dns[2]: _card(1.0, NOW)}
    known = mastery(bank, cards, NOW)
    expected = sum(retrievability(c, NOW) for c in cards.values()) / len(dns)
    assert known["dns-lookup"] == pytest.approx(expected)
    assert 0.1 < known["dns-lookup"] < 3 / len(dns)
    assert retrievability(cards[dns[0]], NOW) == pytest.approx(0.9, abs=0.01)   # 5 days at stability 5
    assert mastery(bank, cards, NOW + 30 * DAY)["dns-lookup"] < known["dns-lookup"]
    assert known["pods"] == 0.0


def test_the_forecast_counts_reviews_per_day_with_overdue_today(bank):
    cards = {"sp-who": _card(2.0, NOW - 5 * DAY), "sp-recreate": _card(2.0, NOW + 60),
             "dns-fqdn": _card(2.0, NOW + 2 * DAY), "pods-what": _card(2.0, NOW + 9 * DAY),
             "gone-question": _card(2.0, NOW)}
    days = forecast(bank, cards, NOW)
    assert len(days) == 7 and sum(days) == 3 and days[2] == 1
    assert days[0] + days[1] == 2          # overdue and soon (whether NOW + 60 s is still today in KST)


def test_next_review_names_the_section_with_most_due(bank):
    cards = {"sp-who": _card(2.0, NOW - 5), "sp-recreate": _card(2.0, NOW - 1), "dns-fqdn": _card(2.0, NOW - 100)}
    review = next_review(bank, cards, NOW)
    assert (review.section, review.due_count, review.due_at) == ("static-pods-control-plane", 2, NOW - 5)


def test_next_review_in_the_future_when_nothing_is_due(bank):
    cards = {"sp-who": _card(2.0, NOW + 50), "dns-fqdn": _card(2.0, NOW + 10)}
    review = next_review(bank, cards, NOW)
    assert (review.section, review.due_count, review.due_at) == ("dns-lookup", 0, NOW + 10)
    assert next_review(bank, {}, NOW) is None
