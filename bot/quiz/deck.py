"""A student's cards: one FSRS state per question they have met, and what to ask next."""
from __future__ import annotations

import random
from dataclasses import dataclass, fields

from bot.quiz.bank import Bank, Question
from bot.quiz.srs import Card, retrievability
from bot.quiz.timing import day_of
from engine.store import Store

_COLUMNS = [f.name for f in fields(Card)]


class Deck:
    """Card storage for every student (keyed by server and user)."""

    def __init__(self, store: Store):
        self.store = store

    async def cards(self, server: str, user: str) -> dict[str, Card]:
        rows = await self.store.fetchall(
            f"SELECT question_id, {', '.join(_COLUMNS)} FROM quiz_srs WHERE server = ? AND user_id = ?",
            (server, user))
        return {row[0]: Card(*row[1:]) for row in rows}

    async def card(self, server: str, user: str, question_id: str) -> Card:
        row = await self.store.fetchone(
            f"SELECT {', '.join(_COLUMNS)} FROM quiz_srs WHERE server = ? AND user_id = ? AND question_id = ?",
            (server, user, question_id))
        return Card(*row) if row else Card()

    async def save(self, server: str, user: str, question_id: str, card: Card) -> None:
        updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)
        await self.store.execute(
            f"INSERT INTO quiz_srs (server, user_id, question_id, {', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join('?' * (3 + len(_COLUMNS)))}) "
            f"ON CONFLICT (server, user_id, question_id) DO UPDATE SET {updates}",
            (server, user, question_id, *(getattr(card, c) for c in _COLUMNS)))


@dataclass(frozen=True)
class Pick:
    question: Question
    reason: str                  # "due", "new" or "ahead" (practice before anything is due)


def pick_next(bank: Bank, cards: dict[str, Card], now: float, rng: random.Random,
              section: str | None = None, avoid: str | None = None) -> Pick | None:
    """Due cards first, the least likely to be recalled first; then new questions in course
    order; then, when nothing is left, the card that falls due soonest."""
    pool = [q for q in bank.questions.values() if section is None or q.section == section]
    if len(pool) > 1 and avoid:
        pool = [q for q in pool if q.id != avoid]
    if not pool:
        return None
    due = [q for q in pool if q.id in cards and cards[q.id].due <= now]
    if due:
        return Pick(min(due, key=lambda q: (retrievability(cards[q.id], now), cards[q.id].due)), "due")
    new = [q for q in pool if q.id not in cards]
    if new:
        first_section = new[0].section           # the bank is in course order
        return Pick(rng.choice([q for q in new if q.section == first_section]), "new")
    return Pick(min(pool, key=lambda q: cards[q.id].due), "ahead")


def mastery(bank: Bank, cards: dict[str, Card], now: float) -> dict[str, float]:
    """Per section, the mean retrievability now of all its questions (unseen ones count as 0)."""
    result: dict[str, float] = {}
    for section in bank.sections:
        questions = bank.in_section(section.id)
        result[section.id] = (sum(retrievability(cards.get(q.id), now) for q in questions) / len(questions)
                              if questions else 0.0)
    return result


def forecast(bank: Bank, cards: dict[str, Card], now: float, days: int = 7) -> list[int]:
    """How many reviews fall due on each of the next `days` days (KST), today first; what is
    already overdue counts for today."""
    today = day_of(now)
    counts = [0] * days
    for qid, card in cards.items():
        if qid not in bank.questions:
            continue
        offset = max(0, (day_of(card.due) - today).days)
        if offset < days:
            counts[offset] += 1
    return counts


@dataclass(frozen=True)
class Review:
    section: str
    due_count: int               # questions of that section due now
    due_at: float                # when the earliest of them is (or was) due


def next_review(bank: Bank, cards: dict[str, Card], now: float) -> Review | None:
    """The section to review next: the one with the most due cards now, else the soonest due."""
    seen = [(bank.questions[qid], card) for qid, card in cards.items() if qid in bank.questions]
    if not seen:
        return None
    due: dict[str, list[float]] = {}
    for question, card in seen:
        if card.due <= now:
            due.setdefault(question.section, []).append(card.due)
    if due:
        section, dues = max(due.items(), key=lambda kv: (len(kv[1]), -min(kv[1])))
        return Review(section, len(dues), min(dues))
    question, card = min(seen, key=lambda qc: qc[1].due)
    return Review(question.section, 0, card.due)
