"""Spaced repetition with FSRS-6 (the `fsrs` package), adapted to a chat quiz.

- The grade comes from correctness and answer time: wrong is Again; right is Easy when it came
  quickly, Hard when it took long, Good otherwise (`rating`).
- Practice ahead ("미리 연습": answering a card before it is due) is recorded but cannot raise
  stability: a right answer leaves the card as it was; a wrong one is real evidence of
  forgetting and is reviewed as usual.
- No interval goes past the course's length (`max_days`), since after the course nobody asks.
- Mastery of a card is its retrievability now: it decays with time, as memory does.
  (`_FACTOR` and `_DECAY` are the package's own curve constants, read rather than copied.)

Cards are plain frozen dataclasses in epoch seconds so the deck stores them as columns; the
conversion to the package's Card (UTC datetimes) happens only here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from fsrs import Card as FsrsCard, Rating, Scheduler, State

DAY = 86_400.0
RELEARN_SECONDS = 10 * 60       # a missed card returns within the same study session
DEFAULT_COURSE_DAYS = 90
NEW, LEARNING, REVIEW, RELEARNING = 0, int(State.Learning), int(State.Review), int(State.Relearning)


@dataclass(frozen=True)
class Card:
    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: float = 0.0                       # epoch seconds
    last_review: float | None = None
    reviews: int = 0
    lapses: int = 0


def course_days_from(environ) -> int:
    """$KUBETUTOR_COURSE_DAYS: the course's length in days (1..3650), the longest a review is put off."""
    text = str(environ.get("KUBETUTOR_COURSE_DAYS", "")).strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= 3650 else DEFAULT_COURSE_DAYS


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


@lru_cache(maxsize=8)
def scheduler(max_days: int = DEFAULT_COURSE_DAYS) -> Scheduler:
    # No fuzzing: the package's fuzz uses the global random module, and tests need exact dates.
    step = (timedelta(seconds=RELEARN_SECONDS),)
    return Scheduler(maximum_interval=max(1, int(max_days)), enable_fuzzing=False,
                     learning_steps=step, relearning_steps=step)


def expected_seconds(question_chars: int, typed: bool) -> float:
    """How long a steady answer takes: reading the question (about 15 characters a second) and
    clicking, or typing an answer."""
    return 6.0 + question_chars / 15.0 + (12.0 if typed else 0.0)


def rating(correct: bool, seconds: float | None, expected: float) -> Rating:
    if not correct:
        return Rating.Again
    if seconds is None:
        return Rating.Good
    if seconds <= expected / 2:
        return Rating.Easy
    if seconds >= expected * 3:
        return Rating.Hard
    return Rating.Good


def is_early(card: Card, now: float) -> bool:
    """Answered before it was due: practice ahead (a card never seen is never early)."""
    return card.state != NEW and now < card.due


def review(card: Card, grade: Rating, now: float, max_days: int = DEFAULT_COURSE_DAYS) -> Card:
    """The card after one answer at `now`."""
    if is_early(card, now) and grade != Rating.Again:
        return replace(card, reviews=card.reviews + 1)          # recorded, not counted
    fsrs_card = FsrsCard(card_id=1,
                         state=State.Learning if card.state == NEW else State(card.state),
                         step=card.step, stability=card.stability, difficulty=card.difficulty,
                         due=_utc(card.due), last_review=_utc(card.last_review) if card.last_review else None)
    new, _log = scheduler(max_days).review_card(fsrs_card, grade, _utc(now))
    lapse = grade == Rating.Again and card.state == REVIEW
    return Card(int(new.state), new.step, new.stability, new.difficulty, new.due.timestamp(), now,
                card.reviews + 1, card.lapses + int(lapse))


def retrievability(card: Card | None, now: float) -> float:
    """The chance, 0..1, that the student recalls the card now, by FSRS's forgetting curve over
    fractional days (the package rounds down to whole days, so a card would look perfectly known
    all day). A card not yet recalled since it was last missed (still learning or relearning)
    counts 0: seeing the answer a minute ago is not knowing it."""
    if card is None or card.state != REVIEW or card.last_review is None or not card.stability:
        return 0.0
    fsrs = scheduler()
    elapsed = max(0.0, now - card.last_review) / DAY
    return float((1 + fsrs._FACTOR * elapsed / card.stability) ** fsrs._DECAY)
