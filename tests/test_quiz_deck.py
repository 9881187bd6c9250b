"""What `!quiz` asks next, mastery per topic and the next review — pure functions over cards."""
from __future__ import annotations

import random

import pytest

from bot.quiz.bank import load_bank
from bot.quiz.deck import mastery, next_review, pick_next
from bot.quiz.sm2 import Card

NOW = 1_700_000_000.0


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_new_questions_come_in_course_order(bank):
    """With no history the first question is from the first section (pods)."""
    pick = pick_next(bank, {}, NOW, random.Random(1))
    assert (pick.reason, pick.question.section) == ("new", "pods")


def test_due_cards_come_before_new_ones_weakest_first(bank):
    """Two due cards and many new questions: the due card with the lower ease is asked."""
    cards = {"dns-fqdn": Card(1, 2.5, 1, NOW - 10), "sp-who": Card(0, 1.7, 1, NOW - 5),
             "pods-what": Card(2, 2.5, 6, NOW + 3600)}
    pick = pick_next(bank, cards, NOW, random.Random(1))
    assert (pick.reason, pick.question.id) == ("due", "sp-who")


def test_a_topic_limits_the_pool(bank):
    """`!quiz dns-lookup` asks only DNS questions, even when other cards are due."""
    cards = {"sp-who": Card(0, 1.7, 1, NOW - 5)}
    for seed in range(10):
        assert pick_next(bank, cards, NOW, random.Random(seed), "dns-lookup").question.section == "dns-lookup"


def test_when_everything_is_seen_and_nothing_due_it_practises_the_soonest(bank):
    """All cards known and in the future: the one due soonest is offered as practice."""
    cards = {q.id: Card(2, 2.5, 6, NOW + 1000 + i) for i, q in enumerate(bank.in_section("short-names"))}
    first = bank.in_section("short-names")[0].id
    pick = pick_next(bank, cards, NOW, random.Random(1), "short-names")
    assert (pick.reason, pick.question.id) == ("ahead", first)


def test_the_question_just_asked_is_not_asked_again_at_once(bank):
    cards = {"sp-who": Card(0, 1.7, 1, NOW - 5), "sp-recreate": Card(0, 2.0, 1, NOW - 5)}
    pick = pick_next(bank, cards, NOW, random.Random(1), "static-pods-control-plane", avoid="sp-who")
    assert pick.question.id == "sp-recreate"


def test_mastery_is_the_mean_strength_of_a_sections_questions(bank):
    """Two of seven dns questions known twice in a row, one once: (1 + 1 + 0.5) / 7."""
    dns = [q.id for q in bank.in_section("dns-lookup")]
    cards = {dns[0]: Card(2), dns[1]: Card(3), dns[2]: Card(1), dns[3]: Card(0)}
    known = mastery(bank, cards)
    assert known["dns-lookup"] == pytest.approx(2.5 / len(dns))
    assert known["pods"] == 0.0


def test_next_review_names_the_section_with_most_due(bank):
    cards = {"sp-who": Card(due=NOW - 5), "sp-recreate": Card(due=NOW - 1), "dns-fqdn": Card(due=NOW - 100)}
    review = next_review(bank, cards, NOW)
    assert (review.section, review.due_count, review.due_at) == ("static-pods-control-plane", 2, NOW - 5)


def test_next_review_in_the_future_when_nothing_is_due(bank):
    cards = {"sp-who": Card(due=NOW + 50), "dns-fqdn": Card(due=NOW + 10)}
    review = next_review(bank, cards, NOW)
    assert (review.section, review.due_count, review.due_at) == ("dns-lookup", 0, NOW + 10)
    assert next_review(bank, {}, NOW) is None
