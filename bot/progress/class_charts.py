"""`!class` pictures: a class × topic mastery heatmap and the lab funnel (bot/labs/funnel.py)."""
from __future__ import annotations

from bot import charts
from bot.i18n import t


def heatmap(names: list[str], topics: list[str], mastery: list[list[float]], lang: str) -> bytes:
    """Rows are students, columns topics, cells 0..1."""
    font = charts.font()
    fig = charts.figure(max(6.0, 1.0 + 0.55 * len(topics)), max(3.0, 1.6 + 0.32 * len(names)))
    ax = fig.add_axes((0.22, 0.28, 0.7, 0.62))
    image = ax.imshow(mastery or [[0.0]], vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
    ax.set_xticks(range(len(topics)), topics, rotation=60, ha="right", fontproperties=font, fontsize=7)
    ax.set_yticks(range(len(names)), names, fontproperties=font, fontsize=8)
    ax.set_title(t(lang, "class_chart_heatmap"), fontproperties=font, fontsize=11)
    fig.colorbar(image, ax=ax, fraction=0.03)
    return charts.png(fig)


def lab_funnel(rows, lang: str) -> bytes:
    """One bar group per started lab step: students who reached it, passed it, skipped it; hints as text."""
    font = charts.font()
    labels, reached, passed, skipped, hints = [], [], [], [], []
    for row in rows:
        for i, step in enumerate(row.steps, 1):
            labels.append(f"{row.number}.{i}")
            reached.append(step.reached)
            passed.append(step.passed)
            skipped.append(step.skips)
            hints.append(step.hints)
    fig = charts.figure(max(6.0, 1.5 + 0.35 * len(labels)), 4.0)
    ax = fig.add_axes((0.08, 0.18, 0.9, 0.7))
    xs = range(len(labels))
    ax.bar([x - 0.27 for x in xs], reached, 0.27, color="#90caf9", label=t(lang, "class_chart_reached"))
    ax.bar(list(xs), passed, 0.27, color="#66bb6a", label=t(lang, "class_chart_passed"))
    ax.bar([x + 0.27 for x in xs], skipped, 0.27, color="#ef5350", label=t(lang, "class_chart_skipped"))
    for x, h in zip(xs, hints):
        if h:
            ax.text(x, max(reached[x], 0) + 0.05, f"h{h}", ha="center", fontsize=6.5)
    ax.set_xticks(list(xs), labels, fontsize=7, rotation=60)
    ax.set_xlabel(t(lang, "class_chart_step"), fontproperties=font, fontsize=8)
    ax.set_title(t(lang, "class_chart_funnel"), fontproperties=font, fontsize=11)
    ax.legend(prop=font, fontsize=7)
    return charts.png(fig)
