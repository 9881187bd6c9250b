"""Fitting replies to Discord: fences, the 2,000-character rule, inert mentions, answer buttons."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.discord.render import (LIMIT, MAX_PARTS, ZWSP, choice_buttons, escape_fences, neutralise_mentions,
                                render)
from bot.reply import Attachment, Reply

TABLE = "NAME                        READY   STATUS    RESTARTS   AGE\n" + "\n".join(
    f"deploy-nginx-8458f6dbbb-{i:05d}   1/1     Running   0          5m" for i in range(20))


def _fence_body(content: str) -> str:
    assert content.startswith("```") and content.endswith("\n```"), content[:40]
    return content[content.index("\n") + 1:-4]


@pytest.mark.parametrize("text, expected", [
    ("hello @everyone", "hello @\u200beveryone"),
    ("@here look", "@\u200bhere look"),
    ("hi <@123456789012345678>", "hi <@\u200b123456789012345678>"),
    ("hi <@!123456789012345678>", "hi <@\u200b!123456789012345678>"),
    ("role <@&123456789012345678>", "role <@\u200b&123456789012345678>"),
    ("mail me@example.com", "mail me@example.com"),
    ("channel <#123>", "channel <#123>"),
], ids=["everyone", "here", "user", "nick", "role", "email", "channel"])
def test_neutralise_mentions(text, expected):
    """Mentions in prose become text that pings nobody; other @ and <#…> are left alone."""
    assert neutralise_mentions(text) == expected


def test_prose_reply_neutralises_mentions():
    """A prose reply never carries a live mention, whatever a student named things."""
    [part] = render(Reply("Welcome @everyone and <@&42> from <@7>", code=False))
    assert "@everyone" not in part.content and "<@&42>" not in part.content and "<@7>" not in part.content


def test_code_reply_is_fenced_verbatim():
    """kubectl output is sent as one code block, spacing untouched."""
    [part] = render(Reply(TABLE))
    assert _fence_body(part.content) == TABLE


@pytest.mark.parametrize("name", ["x```y", "```", "a``````b", "`", "``", "ends-with```"])
def test_backticks_cannot_break_out_of_the_fence(name):
    """A student-chosen name with backticks stays inside the code block."""
    [part] = render(Reply(f"pod/{name} created"))
    body = _fence_body(part.content)
    assert "``" not in body
    assert body.replace(ZWSP, "") == f"pod/{name} created"


def test_escape_fences_leaves_single_backticks():
    assert escape_fences("a`b") == "a`b"
    assert escape_fences("``") == "`\u200b`"


def test_yaml_output_gets_a_yaml_fence():
    [part] = render(Reply("apiVersion: v1\nkind: Pod\n"))
    assert part.content.startswith("```yaml\napiVersion: v1\nkind: Pod\n```")


def test_reply_at_the_limit_is_one_message():
    """Exactly 2,000 characters including the fence is still one message."""
    body = "x" * (LIMIT - len("```\n\n```"))
    [part] = render(Reply(body))
    assert len(part.content) == LIMIT


def test_long_output_splits_on_line_boundaries_each_part_fenced():
    """Over 2,000 characters: a few messages, each its own code block, no line cut in two."""
    text = "\n".join(f"line {i:04d} " + "." * 40 for i in range(80))   # ~4,000 characters
    parts = render(Reply(text))
    assert 2 <= len(parts) <= MAX_PARTS
    assert all(len(p.content) <= LIMIT and not p.files for p in parts)
    bodies = [_fence_body(p.content) for p in parts]
    assert "\n".join(bodies) == text
    assert all(re.fullmatch(r"line \d{4} \.{40}", line) for b in bodies for line in b.split("\n"))


def test_prose_splits_too():
    text = "\n".join(f"문장 {i} " + "가" * 50 for i in range(60))
    parts = render(Reply(text, code=False))
    assert 2 <= len(parts) <= MAX_PARTS
    assert "\n".join(p.content for p in parts) == text


def test_single_overlong_line_is_hard_wrapped():
    """A 5,000-character line cannot be split on a line boundary, so it is wrapped."""
    parts = render(Reply("y" * 5000))
    assert len(parts) == 3 and all(len(p.content) <= LIMIT for p in parts)
    assert "".join(_fence_body(p.content) for p in parts) == "y" * 5000


def test_very_long_output_becomes_a_file_with_a_preview():
    """Beyond a few messages: one message with a short preview and the whole text attached."""
    text = "\n".join(f"pod-{i}   1/1   Running   0   1m" for i in range(2000))
    [part] = render(Reply(text), lang="en")
    assert len(part.content) <= LIMIT
    assert part.content.startswith("```\npod-0   1/1")
    [attached] = part.files
    assert attached.filename == "output.txt" and attached.data.decode() == text
    hidden = int(re.search(r"\+(\d+) more lines", part.content)[1])
    shown = _fence_body(part.content.rsplit("\n", 1)[0]).count("\n") + 1
    assert shown + hidden == 2000


def test_attached_file_keeps_the_unescaped_text():
    text = "name: a```b\n" * 2000
    [part] = render(Reply(text))
    assert part.files[0].data.decode() == text.strip("\n")
    assert "``" not in _fence_body(part.content.rsplit("\n", 1)[0])


def test_empty_code_reply_sends_nothing():
    """A silent command (like `systemctl stop kubelet`) renders to no message; the adapter reacts instead."""
    assert render(Reply("")) == []


def test_error_prose_is_marked():
    [part] = render(Reply("Please wait 3s and try again.", code=False, ok=False))
    assert part.content.startswith("⚠️ ")


def test_reply_files_ride_on_the_last_part():
    files = (Attachment("deploy.yaml", b"kind: Deployment\n"),)
    parts = render(Reply("x\n" * 1500, files=files))
    assert [p.files for p in parts[:-1]] == [()] * (len(parts) - 1)
    assert parts[-1].files == files


def test_short_choices_become_labelled_buttons_without_a_list():
    reply = Reply("Reset your sandbox?", code=False, choices=("Yes, reset", "Cancel"), choice_key="reset:1")
    assert choice_buttons(reply) == [(1, "Yes, reset"), (2, "Cancel")]
    [part] = render(reply)
    assert part.content == "Reset your sandbox?"


def test_long_choices_are_listed_and_buttons_numbered():
    long = "A Deployment keeps the desired number of Pods running by way of a ReplicaSet it owns" * 2
    reply = Reply("Which is true?", code=False, choices=(long, "None"), choice_key="quiz:9")
    assert choice_buttons(reply) == [(1, "1"), (2, "2")]
    [part] = render(reply)
    assert "**1.** " + long in part.content and "**2.** None" in part.content


@pytest.mark.parametrize("reply", [
    Reply("Q?", code=False, choices=("a", "b")),                                     # no key to send back
    Reply("Q?", code=False, choices=("a", "b"), choice_key="quiz:" + "9" * 100),     # id too long
    Reply("Q?", code=False, choices=tuple(str(i) for i in range(30)), choice_key="quiz:1"),   # > 25 buttons
], ids=["no-key", "long-key", "too-many"])
def test_choices_without_buttons_say_how_to_answer(reply):
    assert choice_buttons(reply) == []
    content = "\n".join(p.content for p in render(reply, prefix="?", lang="en"))
    assert "**1.** " in content and "?answer N" in content


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab`@<>&!\n 0123456789é가"), max_size=7000), st.booleans())
def test_every_part_fits_and_nothing_escapes(text, code):
    """Whatever the text: every message fits, code never has two backticks in a row, prose never pings."""
    for part in render(Reply(text, code=code)):
        assert len(part.content) <= LIMIT
        if code and not part.files:
            assert "``" not in _fence_body(part.content)
        if not code:
            assert not re.search(r"@(everyone|here)|<@[!&]?\d+>", part.content)
