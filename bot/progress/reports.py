"""The words and tables of !progress, !leaderboard and !class, computed from plain data.

Tables go through tabulate (as the house style asks). Topic rows use the section ids, which are
ASCII, so the bars line up in a code block whatever the language.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import t
from bot.progress.recorder import Activity
from bot.progress.streak import Streak
from bot.quiz.bank import Bank
from bot.quiz.deck import Review
from bot.quiz.timing import KST, human_duration
from bot.tables import tabulate

BAR_WIDTH = 10
LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class Standing:
    """Everything known about one student."""
    activity: Activity
    streak: Streak
    mastery: dict[str, float]          # section id -> 0..1
    review: Review | None

    @property
    def overall(self) -> float:
        return sum(self.mastery.values()) / len(self.mastery) if self.mastery else 0.0


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{round(fraction * 100)}%"


def _streak_text(streak: Streak, lang: str) -> str:
    if not streak.days:
        return t(lang, "progress_streak_none")
    text = t(lang, "progress_streak_days", days=streak.days)
    if streak.forgiven:
        text += " " + t(lang, "progress_streak_forgiven", days=streak.forgiven)
    if not streak.today:
        text += " " + t(lang, "progress_streak_keep")
    return text


def _seen_text(last_seen: float | None, now: float, lang: str) -> str:
    if last_seen is None:
        return "-"
    if now - last_seen < 60:
        return t(lang, "progress_just_now")
    return t(lang, "progress_ago", when=human_duration(now - last_seen, lang))


def progress_text(standing: Standing, bank: Bank, lang: str, now: float) -> str:
    a = standing.activity
    labs = ", ".join(a.labs_done[:5]) + (" …" if len(a.labs_done) > 5 else "")
    lines = [
        t(lang, "progress_title", name=a.name),
        t(lang, "progress_accuracy", accuracy=percent(a.accuracy), correct=a.correct, answers=a.answers),
        t(lang, "progress_points", points=a.points, week=a.points_week),
        t(lang, "progress_streak", streak=_streak_text(standing.streak, lang)),
        t(lang, "progress_labs", done=len(a.labs_done), steps=a.lab_steps) + (f" ({labs})" if labs else ""),
        t(lang, "progress_commands", count=a.commands, seen=_seen_text(a.last_seen, now, lang)),
        "",
    ]
    rows = [(s.id, bar(standing.mastery.get(s.id, 0.0)), percent(standing.mastery.get(s.id, 0.0)))
            for s in bank.sections]
    lines.append(tabulate(rows, headers=[t(lang, "progress_col_topic"), t(lang, "progress_col_mastery"), ""],
                          tablefmt="plain", colalign=("left", "left", "right"), disable_numparse=True))
    lines += ["", _review_text(standing.review, now, lang)]
    return "\n".join(lines)


def _review_text(review: Review | None, now: float, lang: str) -> str:
    if review is None:
        return t(lang, "progress_review_start")
    if review.due_count:
        return t(lang, "progress_review_now", count=review.due_count, topic=review.section)
    return t(lang, "progress_review_later", when=human_duration(review.due_at - now, lang), topic=review.section)


def forecast_text(forecast: list[int], now: float, lang: str) -> str:
    """`📅 앞으로 7일 복습: 오늘 3 · 12/8 화 0 · …`"""
    from bot.progress.charts import day_labels
    days = " · ".join(f"{label} {n}" for label, n in zip(day_labels(now, len(forecast), lang), forecast))
    return t(lang, "progress_forecast", days=days)


def leaderboard_text(activities: list[Activity], weekly: bool, me: str, lang: str) -> str:
    score = (lambda a: a.points_week) if weekly else (lambda a: a.points)
    ranked = sorted((a for a in activities if score(a) > 0), key=lambda a: (-score(a), a.name))
    title = t(lang, "leaderboard_week" if weekly else "leaderboard_all")
    if not ranked:
        return title + "\n" + t(lang, "leaderboard_empty")
    rows = [(n, a.name, score(a), a.correct, len(a.labs_done)) for n, a in enumerate(ranked, 1)]
    shown = rows[:LEADERBOARD_SIZE]
    mine = next((r for r in rows if ranked[r[0] - 1].user == me), None)
    if mine and mine not in shown:
        shown.append(("…", "", "", "", ""))
        shown.append(mine)
    headers = ["#", t(lang, "leaderboard_col_name"), t(lang, "leaderboard_col_points"),
               t(lang, "leaderboard_col_correct"), t(lang, "leaderboard_col_labs")]
    return title + "\n" + tabulate(shown, headers=headers, tablefmt="simple", disable_numparse=True)


_CLASS_COLUMNS = ("name", "answers", "accuracy", "points", "points_week", "mastery", "labs_done", "lab_steps",
                  "streak_days", "commands", "last_seen", "peek")


def _class_row(s: Standing) -> dict:
    a = s.activity
    return {"name": a.name, "answers": a.answers, "accuracy": percent(a.accuracy), "points": a.points,
            "points_week": a.points_week, "mastery": percent(s.overall), "labs_done": len(a.labs_done),
            "lab_steps": a.lab_steps, "streak_days": s.streak.days, "commands": a.commands,
            "last_seen": "" if a.last_seen is None else datetime.fromtimestamp(a.last_seen, KST).strftime(
                "%Y-%m-%d %H:%M"),
            "peek": peek_command(a.user)}


def peek_command(user: str) -> str:
    """What an instructor types to look into this student's sandbox (bot/commands/peek.py)."""
    return f"!peek {f'<@{user}>' if user.isdigit() else user} get pods"


def class_table(standings: list[Standing], lang: str) -> str:
    rows = [[_class_row(s)[c] for c in _CLASS_COLUMNS] for s in standings]
    headers = [t(lang, f"class_col_{c}") for c in _CLASS_COLUMNS]
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def class_csv(standings: list[Standing], bank: Bank) -> bytes:
    """One row per student: the table's columns, the user id, and mastery per topic.
    UTF-8 with a BOM so spreadsheet programs read Korean names correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["user_id", *_CLASS_COLUMNS, *(f"mastery_{s.id}" for s in bank.sections)])
    for s in standings:
        row = _class_row(s)
        writer.writerow([s.activity.user, *(row[c] for c in _CLASS_COLUMNS),
                         *(round(s.mastery.get(sec.id, 0.0) * 100) for sec in bank.sections)])
    return out.getvalue().encode("utf-8-sig")
