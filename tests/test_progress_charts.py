"""The pictures: `!progress` attaches mastery and the forecast, `!quiz stats` the per-question
statistics; every Korean label has its glyphs in the shipped font (no tofu boxes)."""
from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from bot.i18n import t
from bot.progress import charts
from bot.quiz.bank import load_bank
from bot.quiz.srs import DAY
from bot.quiz.stats import QuestionStats, choice_text
from test_quiz_support import open_chat, right_number

PNG = b"\x89PNG\r\n\x1a\n"


def _missing(labels: list[str]) -> set[str]:
    cmap = TTFont(str(charts.font_path())).getBestCmap()
    return {ch for label in labels for ch in label if not ch.isspace() and ord(ch) not in cmap}


def test_the_glyph_check_can_fail():
    assert _missing(["파드 🧪"]) == {"🧪"}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_label_of_the_charts_has_glyphs(lang):
    bank = load_bank()
    titles = [s.title(lang) for s in bank.sections]
    labels = []
    for day in range(7):                                   # every weekday name appears
        labels += charts.progress_labels(titles, 1_700_000_000 + day * DAY, 7, lang)
    stats = []
    for q in bank.questions.values():
        entry = QuestionStats(q, answers=2, correct=1)
        wrong = {"single": [str(n) for n in range(1, len(q.choices) + 1)], "multi": ["1,2", "3,4"],
                 "truefalse": ["true", "false"]}.get(q.kind, ["kubectl get po"])
        for choice in wrong:
            entry.wrong[choice] += 1
            labels.append(choice_text(q, choice, lang))
        stats.append(entry)
    labels += charts.question_stats_labels(stats, lang)
    labels += [t(lang, key) for key in ("quiz_true", "quiz_false")]
    assert not _missing(labels)


@pytest.fixture
async def chat(tmp_path):
    chat = await open_chat(tmp_path / "t.db")
    yield chat
    await chat.app.close()


async def test_progress_attaches_its_chart_and_states_the_forecast(chat):
    """A missed question is due again today: the forecast says so in words and in the chart."""
    reply = await chat.one("!quiz pods")
    wrong = "no idea" if not reply.choices else next(
        n for n in range(1, len(reply.choices) + 1) if n != right_number(chat.router.services["quiz"].bank, reply))
    await chat.one(f"!answer {wrong}")
    shown = await chat.one("!progress")
    assert "📅 앞으로 7일 복습: 오늘 1 · " in shown.text
    assert [f.filename for f in shown.files] == ["progress.png"]
    assert shown.files[0].data.startswith(PNG)
    assert await chat.router.services["quiz"].forecast("srv", "alice") == [1, 0, 0, 0, 0, 0, 0]


async def test_quiz_stats_names_the_wrong_answer_chosen_most(chat):
    bank = chat.router.services["quiz"].bank
    for user in ("ann", "bob", "cid"):
        while True:
            reply = await chat.one("!quiz pods", user=user)
            if "쿠버네티스에서 파드(Pod)를 가장 잘 설명한 것은?" in reply.text:
                break
            await chat.one("!answer 1", user=user)
        right = right_number(bank, reply)
        wrong_label = next(c for n, c in enumerate(reply.choices, 1) if n != right and "저장소" in c)
        answer = right if user == "cid" else reply.choices.index(wrong_label) + 1
        await chat.one(f"!answer {answer}", user=user)
    assert not (await chat.one("!quiz stats", user="ann")).ok           # instructors only
    shown = await chat.one("!quiz stats pods", user="teacher", instructor=True)
    line = next(l for l in shown.text.splitlines() if l.startswith("pods-what"))
    assert "33%" in line and "컨테이너 이미지를 보관하는 저장소 (2)" in line
    names = [f.filename for f in shown.files]
    assert names == ["quiz-stats.csv", "quiz-stats.png"]
    csv_text = shown.files[0].data.decode("utf-8-sig")
    assert "pods-what,pods,single,3,3,1,33,컨테이너 이미지를 보관하는 저장소 (2)" in csv_text
    assert shown.files[1].data.startswith(PNG)
