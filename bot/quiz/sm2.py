"""SM-2 spaced repetition (Wozniak, 1987), small and pure.

Intervals are days: 1, 6, then the previous interval times the ease factor. A lapse resets the
repetitions; the question then comes back after RELEARN_SECONDS rather than a whole day, so a
missed fact is practised again in the same study session (Anki's "relearning step"). The ease
also drops on a lapse, as most implementations do, so a low ease marks a weak item.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

DAY = 86_400.0
START_EASE = 2.5
MIN_EASE = 1.3
PASS = 3                        # quality 3..5 is a correct recall
RELEARN_SECONDS = 10 * 60

# How the quiz grades an answer (there is no self-rating in chat).
QUALITY_TYPED = 5               # recalled and typed it: the strongest evidence
QUALITY_CHOSEN = 4              # recognised it among choices
QUALITY_WRONG = 1


@dataclass(frozen=True)
class Card:
    repetitions: int = 0
    ease: float = START_EASE
    interval: float = 0.0       # days
    due: float = 0.0            # epoch seconds
    lapses: int = 0
    reviews: int = 0


def review(card: Card, quality: int, now: float) -> Card:
    """The card after one answer graded 0..5 at time `now`."""
    if not 0 <= quality <= 5:
        raise ValueError(f"quality must be 0..5, not {quality}")
    ease = max(MIN_EASE, card.ease + 0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02))
    if quality < PASS:
        return replace(card, repetitions=0, ease=ease, interval=1.0, due=now + RELEARN_SECONDS,
                       lapses=card.lapses + 1, reviews=card.reviews + 1)
    if card.repetitions == 0:
        interval = 1.0
    elif card.repetitions == 1:
        interval = 6.0
    else:
        interval = round(card.interval * card.ease, 1)
    return replace(card, repetitions=card.repetitions + 1, ease=ease, interval=interval,
                   due=now + interval * DAY, reviews=card.reviews + 1)


def strength(card: Card | None) -> float:
    """How well a question is known, 0..1, for mastery bars: unseen or just missed 0, one
    correct recall 0.5, two or more in a row 1."""
    if card is None:
        return 0.0
    return min(card.repetitions, 2) / 2
