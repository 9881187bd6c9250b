"""How a question is shown and how an answer to it is read, in either language.

A `layout` fixes what one student (or one channel post) saw: the shuffled order of the choices
and, for `multi` questions, the combinations offered as buttons — Korean exam style
("옳은 것을 모두 고른 것은? ① ㄱ, ㄴ ② ㄱ, ㄷ …"), so every answer is one click. Layouts are
plain dicts, stored as JSON with the open question so a restart changes nothing.
"""
from __future__ import annotations

import itertools
import random
import re

from bot.i18n import t
from bot.quiz.bank import Bank, Question
from bot.quiz.matching import matches, normalise_command, normalise_name

MULTI_OPTIONS = 5
LETTERS = {"ko": "ㄱㄴㄷㄹㅁㅂ", "en": "ABCDEF"}
CIRCLED = "①②③④⑤⑥⑦⑧⑨"
_TRUE = {"o", "⭕", "true", "t", "yes", "y", "맞다", "맞음", "맞아요", "참", "예", "네", "1"}
_FALSE = {"x", "❌", "false", "f", "no", "n", "틀리다", "틀림", "틀려요", "거짓", "아니오", "아니요", "2"}


def make_layout(question: Question, rng: random.Random) -> dict:
    if question.kind not in ("single", "multi"):
        return {}
    order = list(range(1, len(question.choices) + 1))
    if question.shuffle:
        rng.shuffle(order)
    if question.kind == "single":
        return {"order": order}
    shown_right = sorted(order.index(i) + 1 for i in question.answer)
    return {"order": order, "combos": combos(len(order), shown_right, rng)}


def combos(n: int, right: list[int], rng: random.Random) -> list[list[int]]:
    """The right set and wrong sets of the same size, drawn uniformly, in a random order.

    Every offered set has as many statements as the right one, so two of them differ in at least
    two statements, and the right set is a uniformly random member of a uniformly random
    collection: any rule that ignores what the statements say (sizes, overlaps, distances,
    which letters recur, button position) finds it no more often than chance."""
    others = [list(c) for c in itertools.combinations(range(1, n + 1), len(right)) if list(c) != right]
    chosen = [right, *rng.sample(others, min(MULTI_OPTIONS - 1, len(others)))]
    rng.shuffle(chosen)
    return chosen


def _label_set(numbers, lang: str) -> str:
    return ", ".join(LETTERS[_lang(lang)][i - 1] for i in numbers)


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "ko"


def choice_labels(question: Question, layout: dict, lang: str) -> tuple[str, ...]:
    if question.kind == "single":
        return tuple(question.choices[i - 1](lang) for i in layout["order"])
    if question.kind == "multi":
        return tuple(_label_set(combo, lang) for combo in layout["combos"])
    if question.kind == "truefalse":
        return (t(lang, "quiz_true"), t(lang, "quiz_false"))
    return ()


def question_text(bank: Bank, question: Question, layout: dict, lang: str, heading: str = "") -> str:
    section = bank.section(question.section)
    lines = [f"📝 **[{section.title(lang)}]** {heading}".rstrip(), question.q(lang)]
    if question.kind == "multi":
        letters = LETTERS[_lang(lang)]
        lines += [f"  {letters[n]}. {question.choices[i - 1](lang)}" for n, i in enumerate(layout["order"])]
    if not question.has_choices:
        lines.append(t(lang, f"quiz_type_{question.kind}"))
    return "\n".join(lines)


def _right_choice(question: Question, layout: dict) -> int:
    """The 1-based number of the right button."""
    if question.kind == "single":
        return layout["order"].index(question.answer) + 1
    if question.kind == "multi":
        right = sorted(layout["order"].index(i) + 1 for i in question.answer)
        return layout["combos"].index(right) + 1
    return 1 if question.answer else 2


def right_answer_text(question: Question, layout: dict, lang: str) -> str:
    if question.has_choices:
        n = _right_choice(question, layout)
        return f"{CIRCLED[n - 1]} {choice_labels(question, layout, lang)[n - 1]}"
    return " / ".join(f"`{a}`" if question.kind == "command" else str(a) for a in question.accept[:3])


def read_choice(question: Question, layout: dict, text: str) -> int | None:
    """Which button an answer means: `2`, `②`, the choice's text in either language, or for
    multi the letters (`ㄱ, ㄷ`, `A C`); None when the answer names no button."""
    raw = text.strip().strip("`").strip()
    n = len(choice_labels(question, layout, "ko"))
    if raw in CIRCLED[:n]:
        return CIRCLED.index(raw) + 1
    if re.fullmatch(r"\d+[.)]?", raw) and 1 <= int(raw.rstrip(".)")) <= n:
        return int(raw.rstrip(".)"))
    lowered = raw.lower()
    if question.kind == "truefalse":
        return 1 if lowered in _TRUE else 2 if lowered in _FALSE else None
    for lang in ("ko", "en"):
        for number, label in enumerate(choice_labels(question, layout, lang), 1):
            if normalise_name(label) == normalise_name(raw) or (
                    " " in label and normalise_command(label) == normalise_command(raw)):
                return number
    if question.kind == "multi":
        picked = _letters(raw)
        if picked and picked in layout["combos"]:
            return layout["combos"].index(picked) + 1
        if picked:
            return 0                     # a real set of statements, just not one of the buttons: wrong
    return None


def _letters(raw: str) -> list[int] | None:
    letters = [ch for ch in raw.upper() if not ch.isspace() and ch not in ",/와과및&"]
    for alphabet in LETTERS.values():
        if letters and all(ch in alphabet for ch in letters):
            return sorted({alphabet.index(ch) + 1 for ch in letters})
    return None


def chosen(question: Question, layout: dict, number: int) -> str:
    """What a button meant in the bank's own numbering (the layout shuffles what is shown), for
    per-question statistics: `3` for a single choice, `1,4` for a set, `true`/`false`."""
    if question.kind == "single":
        return str(layout["order"][number - 1]) if 1 <= number <= len(layout["order"]) else "?"
    if question.kind == "multi":
        if not 1 <= number <= len(layout["combos"]):
            return "?"
        return ",".join(str(i) for i in sorted(layout["order"][k - 1] for k in layout["combos"][number - 1]))
    if question.kind == "truefalse":
        return "true" if number == 1 else "false"
    return str(number)


def chosen_text(question: Question, layout: dict, text: str) -> str:
    """The answer as `chosen` names it; typed answers as typed (trimmed)."""
    if question.has_choices:
        number = read_choice(question, layout, text)
        return chosen(question, layout, number) if number else "?"
    return " ".join(text.split())


def grade(question: Question, layout: dict, text: str) -> bool | None:
    """True or False for an answer; None when it cannot be read (ask again, count nothing)."""
    if question.has_choices:
        picked = read_choice(question, layout, text)
        return None if picked is None else picked == _right_choice(question, layout)
    if not text.strip():
        return None
    return matches(question.kind, text, question.accept, question.unit)


def grade_button(question: Question, layout: dict, number: int) -> bool:
    return number == _right_choice(question, layout)
