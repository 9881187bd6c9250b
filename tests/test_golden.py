"""Every transcript in tests/golden/ replays exactly (format: tests/golden_runner.py)."""
from pathlib import Path

import pytest

import golden_runner
from golden_runner import line_matches, match_block, parse

GOLDEN = Path(__file__).parent / "golden"
TRANSCRIPTS = sorted(GOLDEN.glob("*.txt"))


def test_transcripts_present():
    assert len(TRANSCRIPTS) >= 4


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
async def test_transcript(path, tmp_path):
    failure = await golden_runner.replay(path, tmp_path / "g.db")
    if failure:
        pytest.fail(failure, pytrace=False)


# -- the runner itself: it must be able to fail ------------------------------------------------

def test_exact_lines_must_match_exactly():
    assert line_matches("nginx   0/1     Pending", "nginx   0/1     Pending", {}) == {}
    assert line_matches("nginx   0/1     Pending", "nginx  0/1     Pending", {}) is None
    assert line_matches("nginx   0/1", "nginx   0/1 ", {}) is None


def test_flexible_spacing_only_with_tilde():
    assert line_matches("~NAME   IP   NODE", "NAME   IP             NODE", {}) == {}
    assert line_matches("~NAME   IP   NODE", "NAME IP NODE", {}) is None
    assert line_matches("~CentOS Linux 7", "CentOS  Linux 7", {}) is None


def test_placeholders_bind_and_recall():
    bound = {}
    assert match_block(["pod/x-{{suffix:p}}", "{{p}} again"], ["pod/x-bz2cd", "bz2cd again"], bound) is None
    assert bound == {"p": "bz2cd"}
    assert match_block(["{{p}}"], ["zzzzz"], bound) == 0
    assert line_matches("{{suffix}}", "abcde", {}) is None          # vowels never appear in generated names


def test_escaped_lines_are_literal():
    assert line_matches("\\~{{ip}}", "~{{ip}}", {}) == {}
    assert line_matches("\\~{{ip}}", "~1.2.3.4", {}) is None


def test_unordered_rows_and_length():
    rows = ["b-1   Running", "a-2   Pending"]
    assert match_block(["%a-{{any}}   Pending", "%b-{{any}}   Running"], rows, {}) is None
    assert match_block(["a-2   Pending", "b-1   Running"], rows, {}) == 0
    assert match_block(["b-1   Running"], rows, {}) == 1


def test_parse_messages_rc_and_comments(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("# about\n\n> !k apply -f -\n>> ```yaml\n>> ```\n## note\nout\n\n[rc=1]\n> !k get po\n", encoding="utf-8")
    steps = parse(path)
    assert [s.message for s in steps] == ["!k apply -f -\n```yaml\n```", "!k get po"]
    assert steps[0].expected == [(7, "out")] and steps[0].rc == 1
    assert steps[1].expected == [] and steps[1].rc is None


async def test_a_wrong_transcript_fails_with_a_diff(tmp_path):
    path = tmp_path / "wrong.txt"
    path.write_text("> !k run nginx --image=nginx\npod/nginx made\n", encoding="utf-8")
    failure = await golden_runner.replay(path, tmp_path / "w.db")
    assert "wrong.txt:1: reply to `!k run nginx --image=nginx` differs" in failure
    assert "transcript line 2" in failure
    assert "expected: pod/nginx made" in failure and "got:      pod/nginx created" in failure
