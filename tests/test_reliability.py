"""Robustness of the sandbox store: crashes, concurrency, corrupted rows, limits (issue 8)."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.app import open_app
from bot.reply import Message

NOW = 1795000000.0
KUBETUTOR = str(Path(sys.executable).with_name("kubetutor"))


async def _app(tmp_path, name="r.db"):
    return await open_app(tmp_path / name, clock=lambda: NOW, rate_limit=None)


async def _say(app, text, user="u", server="s"):
    replies = await app.router.handle(Message(content=text, user=user, server=server))
    return "\n".join(r.text for r in replies)


async def test_hundred_concurrent_commands_on_one_sandbox_serialise(tmp_path):
    app = await _app(tmp_path)
    try:
        outs = await asyncio.gather(*(_say(app, f"!k run p{i} --image=nginx") for i in range(100)))
        assert sorted(outs) == sorted(f"pod/p{i} created" for i in range(100))
        listing = await _say(app, "!k get pods -o name")
        assert sorted(listing.splitlines()) == sorted(f"pod/p{i}" for i in range(100))
    finally:
        await app.close()
    # and it is all on disk
    app = await _app(tmp_path)
    try:
        assert len((await _say(app, "!k get pods -o name")).splitlines()) == 100
    finally:
        await app.close()


async def test_two_hundred_students_at_once_make_progress(tmp_path):
    app = await _app(tmp_path)
    try:
        outs = await asyncio.gather(*(_say(app, "!k run web --image=nginx", user=f"student{i}") for i in range(200)))
        assert outs == ["pod/web created"] * 200
        again = await asyncio.gather(*(_say(app, "!k get pods -o name", user=f"student{i}") for i in range(200)))
        assert again == ["pod/web"] * 200
    finally:
        await app.close()


async def test_corrupted_sandbox_row_answers_that_student_only(tmp_path):
    app = await _app(tmp_path)
    try:
        await _say(app, "!k run a --image=nginx", user="alice")
        await _say(app, "!k run b --image=nginx", user="bob")
    finally:
        await app.close()
    with sqlite3.connect(tmp_path / "r.db") as db:
        db.execute("UPDATE sandboxes SET meta = '{not json' WHERE user_id = 'alice'")
    app = await _app(tmp_path)
    try:
        alice = await _say(app, "!k get pods", user="alice")
        assert "읽을 수 없어요" in alice and "!reset" in alice
        assert "Traceback" not in alice
        assert await _say(app, "!k get pods -o name", user="bob") == "pod/b"
        # reset recovers
        await app.router.handle(Message(content="!reset", user="alice", server="s"))
        assert "초기화했어요" in await _say(app, "!answer 1", user="alice")
        assert await _say(app, "!k get pods", user="alice") == "No resources found in default namespace."
    finally:
        await app.close()


def test_sigkill_mid_stream_keeps_every_acknowledged_command(tmp_path):
    """Kill the console while it works through a stream of commands, many times: the database stays
    intact and every pod whose `created` line was printed exists afterwards."""
    db = tmp_path / "crash.db"
    env = dict(os.environ, KUBETUTOR_FAKE_NOW=str(NOW))
    acknowledged: set[str] = set()
    for round_no in range(6):
        lines = "".join(f"!k run r{round_no}-{i} --image=nginx\n" for i in range(400))
        proc = subprocess.Popen([KUBETUTOR, "console", "--db", str(db), "--user", "crash"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        proc.stdin.write(lines)
        proc.stdin.flush()
        seen = []
        deadline = time.monotonic() + 30
        while len(seen) < 5 + round_no * 7 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        acknowledged |= {line.split()[0].removeprefix("pod/") for line in seen if line.endswith("created")}
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {row[0] for row in conn.execute("SELECT name FROM objects WHERE kind = 'Pod' AND namespace = 'default'")}
    assert acknowledged, "the console printed nothing before being killed"
    assert acknowledged <= names


async def test_limits_answer_clearly(tmp_path):
    app = await _app(tmp_path)
    try:
        assert "24시간" in await _say(app, "!wait 99999h")
        assert "받은 값: -5m" in await _say(app, "!wait -5m")
        long = "!k get pods " + "x" * 30000
        assert "너무 깁니다" in await _say(app, long)
        await _say(app, "!k create deployment big --image=nginx")
        out = await _say(app, "!k scale deployment big --replicas=10000000")
        assert "at most" in out
        assert "big   0/1" in await _say(app, "!k get deploy") or "big" in await _say(app, "!k get deploy")
    finally:
        await app.close()


async def test_rate_limit_is_friendly(tmp_path):
    app = await open_app(tmp_path / "rl.db", clock=lambda: NOW, rate_limit=(3, 60.0))
    try:
        for _ in range(3):
            await _say(app, "!k get nodes")
        text = await _say(app, "!k get nodes")
        assert "wait" in text.lower() or "초" in text
        assert (await _say(app, "!k get nodes", user="someone-else")).startswith("NAME")
    finally:
        await app.close()


async def test_state_is_isolated_between_servers_and_users(tmp_path):
    app = await _app(tmp_path)
    try:
        await _say(app, "!k run mine --image=nginx", user="u1", server="A")
        assert await _say(app, "!k get pods", user="u1", server="B") == "No resources found in default namespace."
        assert await _say(app, "!k get pods", user="u2", server="A") == "No resources found in default namespace."
        assert await _say(app, "!k get pods -o name", user="u1", server="A") == "pod/mine"
    finally:
        await app.close()


def test_store_rows_are_json(tmp_path):
    async def go():
        app = await _app(tmp_path)
        try:
            await _say(app, "!k run j --image=nginx")
        finally:
            await app.close()
    asyncio.run(go())
    with sqlite3.connect(tmp_path / "r.db") as conn:
        for (body,) in conn.execute("SELECT body FROM objects"):
            json.loads(body)
