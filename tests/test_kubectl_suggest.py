"""`kubectl VERB` with an unknown verb prints cobra's suggestions exactly as real kubectl 1.20.2 does.

tests/fixtures/real-kubectl-errors/unknown-commands.json was captured from Debian's kubernetes-client
(v1.20.2) with `kubectl WORD` for each word; the message goes to stderr with exit code 1.
"""
import json
from pathlib import Path

import pytest

from engine import wiring
from engine.kubectl import execute
from engine.kubectl.suggest import levenshtein

CAPTURED = json.loads((Path(__file__).parent / "fixtures" / "real-kubectl-errors" / "unknown-commands.json")
                      .read_text(encoding="utf-8"))


@pytest.mark.parametrize("word", sorted(CAPTURED))
def test_unknown_verb_matches_real_kubectl(word):
    real = CAPTURED[word]
    assert execute(None, [word, "pods"], wiring.build().verbs) == (real["stderr"].rstrip("\n"), real["rc"])


def test_levenshtein_counts_bytes_like_go():
    assert levenshtein("gte", "get") == 2
    assert levenshtein("GET", "get") == 0
    assert levenshtein("ㅏ", "k") == 3          # one Hangul letter is three UTF-8 bytes
