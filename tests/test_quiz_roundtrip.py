"""`!quiz` and `!answer` through the real router, database and choices service."""
from __future__ import annotations

import pytest

from bot.quiz.bank import load_bank
from bot.quiz.srs import RELEARN_SECONDS
from test_quiz_support import open_chat, right_number, use_bank

MINI = {
    "sections.yaml": """\
SECTIONS:
  - {id: pods, ko: "파드", en: "Pods", notes: "파드"}
  - {id: upgrade-order, ko: "업그레이드", en: "Upgrade", notes: "업그레이드"}
""",
    "mini.yaml": """\
QUESTIONS:
  - id: run-creates
    section: pods
    kind: single
    q: {ko: "kubectl run은 무엇을 만드나요?", en: "What does kubectl run create?"}
    choices:
      - {ko: "파드", en: "A pod"}
      - {ko: "디플로이먼트", en: "A deployment"}
      - {ko: "서비스", en: "A service"}
    answer: 1
    explain: {ko: "1.18부터 파드만 만듭니다.", en: "Only a pod since 1.18."}
  - id: plan
    section: upgrade-order
    kind: command
    q: {ko: "업그레이드 계획을 보는 명령은?", en: "Which command shows the upgrade plan?"}
    accept: ["kubeadm upgrade plan"]
    explain: {ko: "아무것도 바꾸지 않습니다.", en: "It changes nothing."}
""",
}


@pytest.fixture
async def chat(tmp_path):
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    for name, text in MINI.items():
        (bank_dir / name).write_text(text, encoding="utf-8")
    chat = await open_chat(tmp_path / "t.db")
    use_bank(chat, load_bank(bank_dir))
    yield chat
    await chat.app.close()


def _bank(chat):
    return chat.router.services["quiz"].bank


async def test_a_choice_question_has_buttons_and_a_key(chat):
    reply = await chat.one("!quiz pods")
    assert "kubectl run은 무엇을 만드나요?" in reply.text
    assert sorted(reply.choices) == ["디플로이먼트", "서비스", "파드"]
    assert reply.choice_key.startswith("quiz:")


async def test_the_right_button_is_praised_with_the_explanation(chat):
    reply = await chat.one("!quiz pods")
    feedback = await chat.one(f"!answer {right_number(_bank(chat), reply)}")
    assert feedback.text.startswith("✅")
    assert "+10" in feedback.text
    assert "1.18부터 파드만 만듭니다." in feedback.text
    assert "일 뒤에 다시" in feedback.text            # a right first answer graduates to days


async def test_a_wrong_button_shows_the_right_answer(chat):
    reply = await chat.one("!quiz pods")
    wrong = next(n for n in (1, 2, 3) if n != right_number(_bank(chat), reply))
    feedback = await chat.one(f"!answer {wrong}")
    assert feedback.text.startswith("❌")
    assert "파드" in feedback.text.splitlines()[0]
    assert "10분" in feedback.text                  # a missed question returns in the same session


async def test_the_button_key_form_and_the_choice_text_work_too(chat):
    reply = await chat.one("!quiz pods")
    feedback = await chat.one(f"!answer {reply.choice_key} 파드")
    assert feedback.text.startswith("✅")


async def test_a_typed_question_accepts_an_equivalent_command(chat):
    reply = await chat.one("!quiz upgrade")
    assert reply.choices == () and "`!answer" in reply.text
    feedback = await chat.one("!answer   KUBEADM upgrade   plan")
    assert feedback.text.startswith("✅")


async def test_a_typed_question_rejects_a_different_command(chat):
    await chat.one("!quiz upgrade")
    feedback = await chat.one("!answer kubeadm upgrade apply 1.20.4")
    assert feedback.text.startswith("❌")
    assert "`kubeadm upgrade plan`" in feedback.text


async def test_an_unreadable_answer_keeps_the_question_open(chat):
    reply = await chat.one("!quiz pods")
    again = await chat.one("!answer 7")
    assert not again.ok
    feedback = await chat.one(f"!answer {right_number(_bank(chat), reply)}")
    assert feedback.text.startswith("✅")


async def test_each_question_is_answered_once(chat):
    reply = await chat.one("!quiz pods")
    await chat.one(f"!answer {reply.choice_key} 1")
    again = await chat.one(f"!answer {reply.choice_key} 1")
    assert not again.ok and "마감" in again.text


async def test_someone_elses_button_is_refused(chat):
    reply = await chat.one("!quiz pods", user="alice")
    other = await chat.one(f"!answer {reply.choice_key} 1", user="bob")
    assert not other.ok and "다른 사람" in other.text


async def test_a_missed_question_comes_back_after_the_relearn_step(chat):
    """Miss it, wait ten minutes: `!quiz pods` asks it again, as a review."""
    reply = await chat.one("!quiz pods")
    wrong = next(n for n in (1, 2, 3) if n != right_number(_bank(chat), reply))
    await chat.one(f"!answer {wrong}")
    chat.clock.advance(RELEARN_SECONDS + 1)
    again = await chat.one("!quiz")
    assert "kubectl run은 무엇을 만드나요?" in again.text
    assert "복습" in again.text


async def test_a_known_question_is_practised_ahead_without_points(chat):
    """Answered right, then asked again before it is due: no points the second time."""
    reply = await chat.one("!quiz pods")
    await chat.one(f"!answer {right_number(_bank(chat), reply)}")
    reply = await chat.one("!quiz pods")
    assert "미리 연습" in reply.text
    feedback = await chat.one(f"!answer {right_number(_bank(chat), reply)}")
    assert feedback.text.startswith("✅") and "+10" not in feedback.text


async def test_an_open_question_survives_a_restart(tmp_path, chat):
    reply = await chat.one("!quiz pods")
    number = right_number(_bank(chat), reply)
    bank = _bank(chat)
    await chat.app.close()
    reopened = await open_chat(tmp_path / "t.db", chat.clock)
    use_bank(reopened, bank)
    try:
        feedback = await reopened.one(f"!answer {number}")
        assert feedback.text.startswith("✅")
    finally:
        await reopened.app.close()
    chat.app = reopened.app                      # the fixture closes it again harmlessly


async def test_unknown_topic_and_topic_list(chat):
    missing = await chat.one("!quiz helm")
    assert not missing.ok and "helm" in missing.text
    topics = await chat.one("!quiz topics")
    assert "pods" in topics.text and "upgrade-order" in topics.text


async def test_the_shipped_bank_round_trips(tmp_path):
    """With the real bank: a question, an answer by number, feedback with an explanation."""
    chat = await open_chat(tmp_path / "real.db")
    try:
        reply = await chat.one("!quiz")
        assert reply.choice_key and "📝" in reply.text
        feedback = await chat.one("!answer 1" if reply.choices else "!answer kubectl get pods")
        assert feedback.text[0] in "✅❌" and "💡" in feedback.text
    finally:
        await chat.app.close()
