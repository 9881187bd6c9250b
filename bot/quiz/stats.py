"""Per-question statistics for instructors: how often each question was answered right, and
which wrong answer students chose, from the answer log (personal and channel quizzes alike)."""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from bot.i18n import t
from bot.quiz.bank import Bank, Question
from bot.quiz.present import LETTERS
from engine.store import Store


@dataclass
class QuestionStats:
    question: Question
    answers: int = 0
    correct: int = 0
    students: set = field(default_factory=set)
    wrong: Counter = field(default_factory=Counter)     # choice (bank numbering or typed text) -> count

    @property
    def rate(self) -> float | None:
        return self.correct / self.answers if self.answers else None

    def top_wrong(self) -> tuple[str, int] | None:
        return self.wrong.most_common(1)[0] if self.wrong else None


async def collect(store: Store, bank: Bank, server: str, section: str | None = None) -> list[QuestionStats]:
    rows = await store.fetchall(
        "SELECT question_id, user_id, correct, choice FROM quiz_answer_log WHERE server = ?", (server,))
    stats = {qid: QuestionStats(q) for qid, q in bank.questions.items() if section in (None, q.section)}
    for qid, user, correct, choice in rows:
        entry = stats.get(qid)
        if entry is None:
            continue
        entry.answers += 1
        entry.students.add(user)
        if correct:
            entry.correct += 1
        else:
            entry.wrong[choice] += 1
    return list(stats.values())


def choice_text(question: Question, choice: str, lang: str) -> str:
    """A logged choice in words: the option's text, the statements' letters, O/X, or what was typed."""
    if question.kind == "single" and choice.isdigit() and 1 <= int(choice) <= len(question.choices):
        return question.choices[int(choice) - 1](lang)
    if question.kind == "multi" and choice and all(p.isdigit() for p in choice.split(",")):
        letters = LETTERS["en" if lang == "en" else "ko"]
        return ", ".join(letters[int(p) - 1] for p in choice.split(",") if int(p) <= len(letters))
    if question.kind == "truefalse" and choice in ("true", "false"):
        return t(lang, "quiz_true" if choice == "true" else "quiz_false")
    return choice


def hardest(stats: list[QuestionStats], limit: int = 10) -> list[QuestionStats]:
    answered = [s for s in stats if s.answers]
    return sorted(answered, key=lambda s: (s.rate, -s.answers, s.question.id))[:limit]


def stats_csv(stats: list[QuestionStats], lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "section", "kind", "answers", "students", "correct", "correct_percent",
                     "wrong_answers (count)"])
    for s in stats:
        wrong = "; ".join(f"{choice_text(s.question, c, lang)} ({n})" for c, n in s.wrong.most_common())
        writer.writerow([s.question.id, s.question.section, s.question.kind, s.answers, len(s.students), s.correct,
                         "" if s.rate is None else round(s.rate * 100), wrong])
    return out.getvalue().encode("utf-8-sig")       # with a BOM, so spreadsheet programs read Hangul right
