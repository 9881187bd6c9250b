"""The real console, as a student would pipe into it: persistence across runs, one sandbox per
user, exit status 0 at end of input, and fenced blocks joined to the message before them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.console import group_messages

FROZEN = "1795000000"


def console(db: Path, user: str, lines: list[str]) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("kubetutor")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())"]
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "KUBETUTOR_DB")}
    env["KUBETUTOR_FAKE_NOW"] = FROZEN
    return subprocess.run(cmd + ["console", "--db", str(db), "--user", user], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, env=env, timeout=120)


def test_persistence_isolation_and_exit_status(tmp_path):
    db = tmp_path / "console.db"
    first = console(db, "alice", ["!k run nginx --image=nginx", "!k create deployment web --image=nginx"])
    assert first.returncode == 0, first.stderr
    assert first.stdout == "pod/nginx created\ndeployment.apps/web created\n"

    again = console(db, "alice", ["!k get pod nginx -o name", "!k get deploy -o name", "!k get pods"])
    assert again.returncode == 0, again.stderr
    out = again.stdout.split("\n")
    assert out[:2] == ["pod/nginx", "deployment.apps/web"]
    assert out[2].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    names = [line.split()[0] for line in out[3:] if line]
    assert len(names) == 2 and names[0] == "nginx" and names[1].startswith("web-")   # name order, as kubectl

    bob = console(db, "bob", ["!k get pods", "!k get deploy", "!k get pod nginx"])
    assert bob.returncode == 0, bob.stderr
    assert bob.stdout == ("No resources found in default namespace.\n"
                          "No resources found in default namespace.\n"
                          'Error from server (NotFound): pods "nginx" not found\n')


def test_a_fenced_block_belongs_to_the_line_before(tmp_path):
    run = console(tmp_path / "fence.db", "alice", [
        "!k apply -f -",
        "```yaml",
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: fenced",
        "spec:",
        "  containers:",
        "  - name: c",
        "    image: nginx",
        "```",
        "!k get pods -o name",
    ])
    assert run.returncode == 0, run.stderr
    assert run.stdout == "pod/fenced created\npod/fenced\n"


def test_empty_input_exits_cleanly(tmp_path):
    run = console(tmp_path / "empty.db", "alice", [])
    assert (run.returncode, run.stdout) == (0, "")


def test_group_messages_joins_fences_to_the_message_before():
    lines = ["!k apply -f -\n", "```yaml\n", "kind: Pod\n", "```\n", "!k get po\n"]
    assert list(group_messages(lines)) == ["!k apply -f -\n```yaml\nkind: Pod\n```", "!k get po"]


def test_group_messages_edge_cases():
    # CRLF line ends, an unclosed fence running to the end, a one-line fence, a fence with nothing before it
    assert list(group_messages(["!k get po\r\n", "!k apply -f -\r\n", "```\r\n", "a: 1\r\n"])) == [
        "!k get po", "!k apply -f -\n```\na: 1"]
    assert list(group_messages(["!k get po", "```inline```", "!wait 5s"])) == ["!k get po\n```inline```", "!wait 5s"]
    assert list(group_messages(["```", "x", "```", "!k get po"])) == ["```\nx\n```", "!k get po"]
    assert list(group_messages([])) == []


def _kubetutor() -> list[str]:
    exe = Path(sys.executable).with_name("kubetutor")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())"]


def test_a_closed_stdin_is_an_empty_session(tmp_path):
    """`kubetutor console <&-`: nothing to read, exit 0, no traceback."""
    cmd = _kubetutor() + ["console", "--db", str(tmp_path / "c.db"), "--user", "u"]
    done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                          preexec_fn=lambda: os.close(0))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


def test_a_reader_that_goes_away_ends_the_session_quietly(tmp_path):
    """`… | kubetutor console | head -1`: the pipe closes after one line; no traceback, exit 0."""
    script = ("printf '!k get nodes\\n!k get pods -A\\n!k get nodes\\n!k get pods -A\\n' | "
              f"{' '.join(_kubetutor())} console --db {tmp_path / 'h.db'} --user u | head -1; "
              "echo \"status=${PIPESTATUS[1]}\" >&2")
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "KUBETUTOR_DB")}
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, env=env)
    assert done.stdout.startswith("NAME ") and done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert "status=0" in done.stderr
