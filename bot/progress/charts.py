"""Pictures for !progress: mastery per topic and the 7-day review forecast, as one PNG.

matplotlib with the Agg backend (no display). Hangul needs a font that has it: NanumGothic
(SIL OFL) ships in the `koreanize-matplotlib` package; only its file is used (importing that
package would change matplotlib's global settings), and a test checks that every Korean label
the charts draw has its glyphs in the font.
"""
from __future__ import annotations

import io
from datetime import timedelta

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from bot.charts import font, font_path  # noqa: E402,F401  (the one Hangul font of every picture)
from bot.i18n import t  # noqa: E402
from bot.quiz.stats import choice_text  # noqa: E402
from bot.quiz.timing import day_of  # noqa: E402

WEEKDAYS = {"ko": "월화수목금토일", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
DPI = 100


def day_labels(now: float, days: int, lang: str) -> list[str]:
    """`오늘`, then `12/08 화` (or `Today`, `12/08 Tue`) for the days after."""
    today = day_of(now)
    labels = [t(lang, "chart_today")]
    for n in range(1, days):
        d = today + timedelta(days=n)
        labels.append(f"{d.month}/{d.day} {WEEKDAYS['en' if lang == 'en' else 'ko'][d.weekday()]}")
    return labels


def progress_labels(titles: list[str], now: float, days: int, lang: str) -> list[str]:
    """Every piece of text the progress chart draws (the glyph test checks them)."""
    return [t(lang, "chart_mastery_title"), t(lang, "chart_forecast_title"), t(lang, "chart_reviews"),
            *titles, *day_labels(now, days, lang)]


def progress_png(titles: list[str], mastery: list[float], forecast: list[int], now: float, lang: str) -> bytes:
    """Horizontal bars of mastery (0..100%) per topic, in course order, beside the reviews due on
    each of the next days."""
    fp = font()
    fig = Figure(figsize=(10, max(4.0, 0.32 * len(titles) + 1.2)), dpi=DPI)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    rows = list(range(len(titles)))[::-1]
    percents = [round(m * 100) for m in mastery]
    left.barh(rows, percents, color=["#2e7d32" if p >= 80 else "#f9a825" if p >= 40 else "#c62828" for p in percents])
    left.set_yticks(rows, titles, fontproperties=fp, fontsize=9)
    left.set_xlim(0, 100)
    left.set_xlabel("%", fontproperties=fp)
    left.set_title(t(lang, "chart_mastery_title"), fontproperties=fp)
    for y, p in zip(rows, percents):
        left.text(min(p + 1, 92), y, f"{p}%", va="center", fontsize=8, fontproperties=fp)
    labels = day_labels(now, len(forecast), lang)
    right.bar(range(len(forecast)), forecast, color="#1565c0")
    right.set_xticks(range(len(forecast)), labels, rotation=45, ha="right", fontproperties=fp, fontsize=9)
    right.set_ylabel(t(lang, "chart_reviews"), fontproperties=fp)
    right.set_title(t(lang, "chart_forecast_title"), fontproperties=fp)
    right.yaxis.get_major_locator().set_params(integer=True)
    for x, n in enumerate(forecast):
        right.text(x, n, str(n), ha="center", va="bottom", fontsize=9, fontproperties=fp)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def question_stats_labels(stats, lang: str) -> list[str]:
    """Every piece of text the per-question chart draws."""
    labels = [t(lang, "chart_stats_title"), t(lang, "chart_stats_correct")]
    for s in stats:
        labels.append(s.question.id)
        labels.append(_stats_note(s, lang))
    return labels


def _stats_note(s, lang: str) -> str:
    top = s.top_wrong()
    share = f"{round((s.rate or 0) * 100)}%"
    return share + (f"  × {choice_text(s.question, top[0], lang)[:40]} ({top[1]})" if top else "")


def question_stats_png(stats, lang: str) -> bytes:
    """For instructors: one bar per question (the hardest first, at the top), the share answered
    right, and beside it the wrong answer chosen most."""
    fp = font()
    fig = Figure(figsize=(10, max(3.0, 0.4 * len(stats) + 1.2)), dpi=DPI)
    ax = fig.subplots()
    rows = list(range(len(stats)))[::-1]
    percents = [round((s.rate or 0) * 100) for s in stats]
    ax.barh(rows, percents, color="#2e7d32")
    ax.set_yticks(rows, [s.question.id for s in stats], fontproperties=fp, fontsize=9)
    ax.set_xlim(0, 170)                                  # room for the note beside a full bar
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(t(lang, "chart_stats_correct"), fontproperties=fp)
    ax.set_title(t(lang, "chart_stats_title"), fontproperties=fp)
    for y, p, s in zip(rows, percents, stats):
        ax.text(p + 1, y, _stats_note(s, lang), va="center", fontsize=8, fontproperties=fp)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
