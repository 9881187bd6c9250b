"""The output questions (content/quizzes/ch9-outputs.yaml) are generated from scenarios replayed
on the sandbox engine by scripts/gen_output_quizzes.py; the committed file must be exactly what
the script produces today, so an engine change that alters an output shows up here."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from bot.quiz.bank import load_bank

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_output_quizzes", ROOT / "scripts" / "gen_output_quizzes.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module                  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_committed_file_is_what_the_generator_produces():
    gen = _generator()
    assert gen.OUT.read_text(encoding="utf-8") == gen.generate(), \
        "content/quizzes/ch9-outputs.yaml is stale: run .venv/bin/python scripts/gen_output_quizzes.py and review the diff"


def test_at_least_thirty_questions_show_a_multi_line_output():
    bank = load_bank()
    shown = []
    for q in bank.questions.values():
        for lang in ("ko", "en"):
            blocks = re.findall(r"```\n(.*?)\n```", q.q(lang), re.S)
            if lang == "ko" and any(len(b.splitlines()) >= 3 for b in blocks):
                shown.append(q)
    assert len(shown) >= 30
    topics = " ".join(q.q("en") for q in shown)
    for must in ("rollout", "nfs-pvc", "nodeName", "get endpoints", "describe pods", "drain"):
        assert must in topics, must
