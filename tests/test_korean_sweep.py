"""Korean throughout (issue 14.3): every bot command driven in `ko` writes no English sentence
outside kubectl/shell output, and the catalogues agree on keys and placeholders."""
from __future__ import annotations

import re
import string

import pytest

from bot import i18n
from bot.app import open_app
from bot.console import render
from bot.reply import Message

NOW = 1795000000.0
# Every command with the inputs that reach its replies and errors. (`!k`/`!sh` output is kubectl's
# and bash's own and stays as real; the tutor lines around it are checked.)
SCRIPT = """
!help
!sandbox
!wait 5분
!wait 30초
!wait 1시간 30분
!wait 5
!wait abc
!wait 25h
!wait
!answer
!answer 1
!reset
!answer 2
!reset
!answer 1
!alias
!alias kgn=kubectl get nodes
!alias kgn
!alias help=kubectl get pods
!alias x=rm -rf /
!alias Bad!=kubectl get pods
!unalias kgn
!sh
!ssh
!k create deployment web --image=nginx
!wait 10s
!k edit deployment web
!k get pods -w
!k exec -it web -- sh
!quiz
!answer 1
!quiz topics
!quiz nosuchtopic
!quiz schedule
!quiz schedules
!quiz unschedule 9
!quiz tick
!lang
!lang xx
!progress
!leaderboard
!leaderboard xx
!class
!lab
!lab list
!lab nosuch
!lab start 1
!lab check
!lab hint
!lab hint
!lab hint
!lab hint
!lab skip
!lab stop
!lab check
!config
!config set nosuch 1
!config set unprefixed maybe
!peek
!peek @nobody get pods
!peek <@student> delete pods x
!thread
!kubeconfig
!kubeconfig xx
!kubeconfig revoke
!map
!map -A
!xyzzy
!kubect get pods
!ㅏ get pods
kubectl get pods
[root@m-k8s ~]# kubectl get nodes
!k get nodes
!k get pods
"""
SANDBOX_OUTPUT = ("k", "kubectl", "sh", "ssh")
FUNCTION_WORDS = {"the", "a", "an", "to", "is", "are", "was", "your", "you", "of", "and", "or", "with", "for",
                  "in", "on", "this", "that", "no", "not", "be", "can", "will", "it", "from", "as", "at", "by",
                  "want", "got", "has", "have", "yet", "try", "then", "there", "here", "my", "I"}
_CODE = re.compile(r"`[^`]*`")
_BLOCK = re.compile(r"```.*?(?:```|$)", re.S)          # kubectl output or YAML shown inside prose
_WORDS = re.compile(r"[A-Za-z']+(?:[ ,;:.()]+[A-Za-z']+){2,}")


def english_sentences(text: str) -> list[str]:
    """Runs of three or more English words, one of them a function word (commands in `` are fine)."""
    found = []
    for line in _BLOCK.sub("", text).split("\n"):
        line = _CODE.sub(" ", line)
        line = re.sub(r"![\w-]+(?: [a-z0-9|<>\[\]#:-]+)*", " ", line)      # `!lab start N` named without ``
        for run in _WORDS.findall(line):
            words = re.findall(r"[A-Za-z']+", run)
            if any(w in FUNCTION_WORDS or w.lower() in FUNCTION_WORDS - {"I"} for w in words):
                found.append(run)
    return found


def test_the_detector_finds_english_and_leaves_korean_and_commands():
    assert english_sentences("Reset cancelled; your sandbox is unchanged.") != []
    assert english_sentences("status ContainerCreating (want Running)") != []
    assert english_sentences("샌드박스가 초기화되었어요 (`!k get nodes`로 확인). !lab start N") == []
    assert english_sentences("다음 출력에서:\n```\nError from server (NotFound): pods are not here\n```\n무엇일까요?") == []


async def test_every_command_answers_in_korean(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=lambda: NOW, rate_limit=None)
    driven, leaks = set(), []
    try:
        for line in SCRIPT.strip().split("\n"):
            msg = Message(line, "student", "srv", user_name="student", is_instructor=True, is_admin=True,
                          addressed=True)
            replies = await app.router.handle(msg)
            assert replies, f"no reply to {line!r}"
            parsed = app.router.parse(line)
            name = parsed[0] if parsed else ""
            driven.add(name)
            for reply in replies:
                if reply.code and name in SANDBOX_OUTPUT:
                    continue
                for run in english_sentences(render(reply, i18n.Text("ko"))):
                    leaks.append(f"{line!r}: {run!r}")
    finally:
        await app.close()
    assert not leaks, "English in Korean replies:\n" + "\n".join(leaks)
    assert set(app.router.commands) - {"kubectl"} <= driven, "commands the sweep does not drive"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders():
    base = i18n.catalogue(i18n.DEFAULT_LANG)
    for lang in i18n.LANGS:
        other = i18n.catalogue(lang)
        assert set(other) == set(base), (lang, set(other) ^ set(base))
        for key, text in base.items():
            assert _placeholders(other[key]) == _placeholders(text), (lang, key)


async def test_help_shows_the_clusters_own_version(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=lambda: NOW, rate_limit=None)
    try:
        say = lambda text: app.router.handle(Message(text, "student", "srv", addressed=True))   # noqa: E731
        assert "v1.20.2)" in (await say("!help"))[0].text.split("\n")[0]           # no sandbox yet: a new one's
        manager = app.router.services["sandboxes"]
        async with manager.open("srv", "student") as sb:                            # as after the upgrade lab
            sb.meta["control_plane_version"] = "v1.20.4"
        assert "v1.20.4)" in (await say("!help"))[0].text.split("\n")[0]
        assert "버전: v1.20.4" in (await say("!sandbox"))[0].text
    finally:
        await app.close()


@pytest.mark.parametrize("typed, seconds", [("5분", 300), ("30초", 30), ("1시간", 3600), ("1시간 30분", 5400),
                                            ("2분30초", 150), ("5m", 300), ("1h30m", 5400), ("90", 90)])
def test_wait_takes_korean_and_english_durations(typed, seconds):
    from bot.commands.sandbox import wait_seconds
    assert wait_seconds(typed) == seconds


@pytest.mark.parametrize("typed", ["", "-5분", "5 minutes", "분", "오분", "5분 뒤"])
def test_wait_refuses_what_is_no_duration(typed):
    from bot.commands.sandbox import wait_seconds
    assert wait_seconds(typed) is None


async def test_notes_after_kubectl_output_are_korean(tmp_path):
    """The engine's tutor notes ride inside kubectl's reply (with_notes), where the sweep does not look."""
    app = await open_app(tmp_path / "t.db", clock=lambda: NOW, rate_limit=None)
    try:
        async def say(text):
            return "\n".join(r.text for r in await app.router.handle(Message(text, "student", "srv")))
        await say("!k create deployment web --image=nginx")
        await say("!wait 10s")
        edit = await say("!k edit deployment web")
        assert "편집기가 없어요" in edit and "`!k edit deployment web`" in edit
        assert "대화형 터미널이 없어요" in await say("!k exec -it deploy/web -- sh")
    finally:
        await app.close()
