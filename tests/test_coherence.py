"""Coherent reads across processes: a cached sandbox is used only while its stored version is the
one this process last saw, so a second process (a shard, a console) never answers from stale state,
on SQLite or PostgreSQL; and several processes writing one sandbox lose nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.app import open_app
from bot.i18n import t
from bot.reply import Message
from pg_fixture import db_url, pg_admin_url  # noqa: F401  (fixtures: a SQLite file, then a PostgreSQL database)

REPO = Path(__file__).resolve().parent.parent
NOW = "1795000000"


def console(db: str, lines: list[str], user: str = "u", server: str = "s") -> subprocess.Popen:
    env = dict(os.environ, KUBETUTOR_FAKE_NOW=NOW)
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "console", "--db", db, "--user", user,
                             "--server", server], cwd=REPO, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write("".join(line + "\n" for line in lines))
    proc.stdin.close()
    return proc


def finish(proc: subprocess.Popen) -> str:
    out = proc.stdout.read()
    assert proc.wait(60) == 0, proc.stderr.read()
    return out


async def test_a_process_never_answers_from_a_stale_cached_sandbox(db_url):  # noqa: F811
    app = await open_app(db_url, clock=lambda: float(NOW), rate_limit=None, workers=2)
    try:
        async def say(line: str) -> str:
            return "\n".join(r.text for r in await app.router.handle(Message(content=line, user="u", server="s")))

        assert await say("!k get pods") == "No resources found in default namespace."     # cached now
        assert finish(console(str(db_url), ["!k run from-b --image=nginx"])).strip() == "pod/from-b created"
        assert (await say("!k get pod from-b -o name")) == "pod/from-b"
        await say("!k delete pod from-b")                                # and the other way round
        assert "NotFound" in finish(console(str(db_url), ["!k get pod from-b"]))
    finally:
        await app.close()


def test_four_processes_writing_one_sandbox_lose_nothing(tmp_path):
    db = str(tmp_path / "four.db")
    finish(console(db, ["!k get nodes"]))
    per = 10
    procs = [console(db, [f"!k run p{n}-{i} --image=nginx" for i in range(per)]) for n in range(4)]
    outputs = [finish(p).splitlines() for p in procs]
    busy = t("ko", "store_busy")
    created = {line.split()[0] for out in outputs for line in out if line.endswith(" created")}
    refused = sum(line == busy for out in outputs for line in out)
    assert len(created) + refused == 4 * per and all(len(out) == per for out in outputs)
    pods = finish(console(db, ["!k get pods -o name"])).split()
    assert sorted(pods) == sorted(created)                   # every acknowledged command is there
