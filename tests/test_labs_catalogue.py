"""The shipped labs validate, and the loader names the file, lab and step of every mistake."""
from __future__ import annotations

import pytest

from bot.i18n import LANGS
from bot.labs import checks
from bot.labs.catalogue import MAX_HINTS, LabError, find, load

GOOD_STEP = """
      - do: {ko: "하세요", en: "do it"}
        hints: [{ko: "힌트", en: "hint"}]
        check: {object: deployment/web, ready_replicas: 3}
        learned: {ko: "배움", en: "learned"}
"""


def _lab_file(tmp_path, steps: str = GOOD_STEP, extra: str = "", name: str = "02-x.yaml"):
    (tmp_path / name).write_text(f"""chapter: 2
labs:
  - id: web
    title: {{ko: "웹", en: "Web"}}
    goal: {{ko: "목표", en: "Goal"}}
{extra}    steps:{steps}""", encoding="utf-8")
    return tmp_path


def test_the_course_has_at_least_20_labs_in_chapter_order():
    labs = load()
    assert len(labs) >= 20
    assert [lab.number for lab in labs] == list(range(1, len(labs) + 1))
    chapters = [int(lab.chapter) for lab in labs]
    assert chapters == sorted(chapters) and set(range(2, 8)) <= set(chapters)
    assert len({lab.id for lab in labs}) == len(labs)
    assert find(labs, "1").id == "first-pod" and find(labs, "rollout").id == "rollout"


def test_every_lab_is_bilingual_with_at_most_three_hints_and_valid_checks():
    for lab in load():
        for field in (lab.title, lab.goal):
            assert all(field[lang] for lang in LANGS), lab.id
        assert lab.steps, lab.id
        for step in lab.steps:
            assert all(step.do[lang] and step.learned[lang] for lang in LANGS), lab.id
            assert 1 <= len(step.hints) <= MAX_HINTS, lab.id
            assert all(h[lang] for h in step.hints for lang in LANGS), lab.id
            # Hints go concept → direction → the command: the last one spells out a chat command.
            assert all("`!" in step.hints[-1][lang] for lang in LANGS), lab.id
            assert checks.validate(step.check) == [], lab.id


def test_a_good_file_loads(tmp_path):
    labs = load(_lab_file(tmp_path))
    assert labs[0].id == "web" and labs[0].steps[0].check == {"object": "deployment/web", "ready_replicas": 3}


@pytest.mark.parametrize("steps, message", [
    (GOOD_STEP.replace("ready_replicas: 3", "ready: 3"), "02-x.yaml: lab web step 1: check: unknown key 'ready'"),
    (GOOD_STEP.replace('en: "do it"', 'fr: "fais-le"'), "02-x.yaml: lab web step 1: do: needs non-empty text in ko and en"),
    (GOOD_STEP.replace('hints: [{ko: "힌트", en: "hint"}]', "hints: [" + ", ".join(['{ko: "a", en: "b"}'] * 4) + "]"),
     "02-x.yaml: lab web step 1: hints is a list of at most 3"),
    (GOOD_STEP.replace("{object: deployment/web, ready_replicas: 3}", "{frobnicate: pod/x}"),
     "02-x.yaml: lab web step 1: check: needs exactly one of object, absent, pods, services, host, did, any"),
    (GOOD_STEP.replace("deployment/web", "gizmo/web"), "check: object: wants KIND/NAME with a known kind, got 'gizmo/web'"),
    (GOOD_STEP.replace("{object: deployment/web, ready_replicas: 3}", "{pods: {selector: app=web, colour: red}, count: 1}"),
     "02-x.yaml: lab web step 1: check: unknown pods filter 'colour'"),
    (GOOD_STEP.replace("{object: deployment/web, ready_replicas: 3}", "{host: w9-k8s, kubelet: stopped}"),
     "host: must be one of m-k8s, w1-k8s, w2-k8s, w3-k8s"),
    (GOOD_STEP.replace("ready_replicas: 3", "ready_replicas: three"), "check: bad value for ready_replicas: 'three'"),
    (GOOD_STEP + GOOD_STEP.replace("learned:", "lerned:"), "02-x.yaml: lab web step 2: unknown key 'lerned'"),
])
def test_mistakes_are_named_with_file_lab_and_step(tmp_path, steps, message):
    with pytest.raises(LabError) as err:
        load(_lab_file(tmp_path, steps))
    assert message in str(err.value)


def test_setup_must_be_command_lines(tmp_path):
    with pytest.raises(LabError, match="02-x.yaml: lab web: setup is a list of command lines"):
        load(_lab_file(tmp_path, extra="    setup: [{run: x}]\n"))
