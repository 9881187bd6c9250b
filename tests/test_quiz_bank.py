"""The question bank: every shipped file loads and is sound; broken files are reported with the
file, line and entry they are in."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.quiz import present
from bot.quiz.bank import BankError, load_bank

ISSUE_SECTIONS = {"pods", "services-nodeport", "deployments-scale", "loadbalancer-metallb", "kube-system",
                  "msa-declarative", "apiserver-etcd", "self-healing", "kubelet-failure-eviction",
                  "runtime-failure-scheduler", "static-pods-control-plane", "objects-spec-status",
                  "aliases-completion", "upgrade-order", "short-names", "dns-lookup"}
# The course's study notes, carried into the repository (the bank must cover every part of them).
NOTES = Path(__file__).resolve().parent / "fixtures" / "k8s-study-notes.ko.md"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_shipped_bank_is_big_enough_and_mixed(bank):
    """At least 80 questions, of every kind."""
    assert len(bank.questions) >= 80
    kinds = {q.kind for q in bank.questions.values()}
    assert kinds == {"single", "multi", "truefalse", "number", "command", "name"}


def test_every_question_has_both_languages(bank):
    """Question, explanation and every choice are non-empty in Korean and English."""
    missing = [q.id for q in bank.questions.values()
               for text in (q.q, q.explain, *q.choices) if not text.ko.strip() or not text.en.strip()]
    assert missing == []


def test_every_section_is_covered_by_questions(bank):
    """The issue's sections all exist, and every section has at least 3 questions."""
    ids = {s.id for s in bank.sections}
    assert ISSUE_SECTIONS <= ids
    thin = {s.id: len(bank.in_section(s.id)) for s in bank.sections if len(bank.in_section(s.id)) < 3}
    assert thin == {}


def test_every_answer_is_gradeable(bank):
    """Each question's own right answer grades correct and every other button grades wrong."""
    import random
    problems = []
    for q in bank.questions.values():
        layout = present.make_layout(q, random.Random(1))
        if q.has_choices:
            n = len(present.choice_labels(q, layout, "ko"))
            right = [i for i in range(1, n + 1) if present.grade_button(q, layout, i)]
            if len(right) != 1:
                problems.append((q.id, right))
        else:
            problems += [(q.id, a) for a in q.accept if present.grade(q, layout, str(a)) is not True]
    assert problems == []


def _notes_outline(text: str) -> list[tuple[str, list[str]]]:
    """(heading, content lines) blocks of the notes, code blocks left out."""
    blocks, fenced = [("", [])], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.startswith("#"):
            blocks.append((line.strip(), []))
        elif line.strip():
            blocks[-1][1].append(line)
    return blocks


def test_every_part_of_the_study_notes_belongs_to_a_section(bank):
    """Each quoted line exists in the notes; each heading with content and each bullet is quoted."""
    text = NOTES.read_text(encoding="utf-8")
    anchors = [a for s in bank.sections for a in s.notes]
    assert [a for a in anchors if a not in text] == []
    uncovered = []
    for heading, lines in _notes_outline(text):
        if not lines and heading:
            continue                               # an empty heading such as "## 추가사항"
        bullets = [l.strip() for l in lines if re.match(r"^ ?\* ", l)]
        uncovered += [b for b in bullets if not any(a in b for a in anchors)]
        if heading and not any(a == heading or a in "\n".join(lines) for a in anchors):
            uncovered.append(heading)
    assert uncovered == []


# -- broken banks -------------------------------------------------------------------------------------

SECTIONS = """\
SECTIONS:
  - {id: pods, ko: "파드", en: "Pods", notes: "파드"}
"""
GOOD = """\
  - id: good-one
    section: pods
    kind: single
    q: {ko: "질문", en: "Question"}
    choices: ["a", "b"]
    answer: 1
    explain: {ko: "설명", en: "Explanation"}
"""


def _write(tmp_path: Path, body: str, sections: str = SECTIONS) -> Path:
    (tmp_path / "sections.yaml").write_text(sections, encoding="utf-8")
    (tmp_path / "pods.yaml").write_text("QUESTIONS:\n" + GOOD + body, encoding="utf-8")
    return tmp_path


def _problems(tmp_path: Path, body: str) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(_write(tmp_path, body))
    return caught.value.problems


ENTRY = """\
  - id: broken
    section: pods
    kind: single
    q: {{ko: "질문", en: "Question"}}
    explain: {{ko: "설명", en: "Explanation"}}
{extra}"""

BROKEN = [
    ("no-english", ENTRY.replace('en: "Question"', 'en: ""').format(extra='    choices: ["a", "b"]\n    answer: 1\n'),
     "pods.yaml:9: question 'broken': q needs non-empty text for en."),
    ("answer-out-of-range", ENTRY.format(extra='    choices: ["a", "b"]\n    answer: 3\n'),
     "pods.yaml:9: question 'broken': answer must be the number of the right choice, 1 to 2."),
    ("unknown-section", ENTRY.replace("section: pods", "section: pod").format(extra='    choices: ["a", "b"]\n    answer: 1\n'),
     "pods.yaml:9: question 'broken': section 'pod' is not defined in sections.yaml."),
    ("unknown-key", ENTRY.format(extra='    choices: ["a", "b"]\n    answer: 1\n    hint: "x"\n'),
     "pods.yaml:9: question 'broken': 'hint' is not a key a question can have"),
    ("yes-no-trap", ENTRY.replace("kind: single", "kind: name").format(extra="    accept: [no]\n"),
     "pods.yaml:9: question 'broken': accepted answer 1 loaded as False: quote it"),
    ("multi-bad-answer", ENTRY.replace("kind: single", "kind: multi").format(extra='    choices: ["a", "b", "c"]\n    answer: [1, 1]\n'),
     "pods.yaml:9: question 'broken': answer must be a list of distinct choice numbers, 1 to 3."),
    ("truefalse-string", ENTRY.replace("kind: single", "kind: truefalse").format(extra='    answer: "yes"\n'),
     "pods.yaml:9: question 'broken': answer must be true or false."),
    ("number-as-text", ENTRY.replace("kind: single", "kind: number").format(extra='    accept: ["five"]\n'),
     "pods.yaml:9: question 'broken': accepted answer 1 must be a number, not 'five'."),
    ("long-button", ENTRY.format(extra=f'    choices: ["{"x" * 81}", "b"]\n    answer: 1\n'),
     "pods.yaml:9: question 'broken': choice 1 is longer than a button allows (80 characters)."),
    ("duplicate-id", ENTRY.replace("id: broken", "id: good-one").format(extra='    choices: ["a", "b"]\n    answer: 1\n'),
     "pods.yaml:9: question 'good-one': the id is already used at pods.yaml:2."),
]


@pytest.mark.parametrize("body, expected", [(b, e) for _, b, e in BROKEN], ids=[i for i, _, _ in BROKEN])
def test_a_broken_entry_is_named_with_file_line_and_id(tmp_path, body, expected):
    """The problem sentence names the file, the line and the entry."""
    problems = _problems(tmp_path, body)
    assert any(p.startswith(expected) for p in problems), problems


def test_all_problems_are_reported_at_once(tmp_path):
    """Two broken entries give two problems from one load."""
    body = ENTRY.format(extra='    choices: ["a", "b"]\n    answer: 5\n') + \
        ENTRY.replace("id: broken", "id: broken-too").format(extra='    choices: ["a"]\n    answer: 1\n')
    problems = _problems(tmp_path, body)
    assert len(problems) == 2
    assert "'broken'" in problems[0] and "'broken-too'" in problems[1]


def test_invalid_yaml_names_the_file_and_line(tmp_path):
    """A file that is not YAML is reported with its name and the line of the error."""
    _write(tmp_path, "")
    (tmp_path / "bad.yaml").write_text("QUESTIONS:\n  - id: x\n    q: [unclosed\n", encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert len(caught.value.problems) == 1
    assert re.match(r"bad\.yaml:\d+: this is not valid YAML", caught.value.problems[0])


def test_a_small_valid_bank_loads(tmp_path):
    """The test fixtures themselves are valid, so the failures above come from the broken entries."""
    bank = load_bank(_write(tmp_path, ""))
    assert list(bank.questions) == ["good-one"]
    assert bank.questions["good-one"].origin == "pods.yaml:2"


def test_find_topic_accepts_ids_prefixes_and_titles(bank):
    """`!quiz dns` and `!quiz 파드` find their sections; an ambiguous word finds none."""
    assert bank.find_topic("dns").id == "dns-lookup"
    assert bank.find_topic("파드").id == "pods"
    assert bank.find_topic("upgrade-order").id == "upgrade-order"
    assert bank.find_topic("failure") is None          # kubelet-failure-… and runtime-failure-…
