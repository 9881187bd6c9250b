"""Backup and restore of a live class: `kubetutor export` while a console writes to the same
SQLite file, then `kubetutor import` into a fresh database — the restored sandbox is whole."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def _kubetutor() -> list[str]:
    exe = Path(sys.executable).with_name("kubetutor")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "KUBETUTOR_DB")}
    env["KUBETUTOR_FAKE_NOW"] = "1795000000"
    return env


def _console(db: Path, lines: list[str]) -> str:
    done = subprocess.run(_kubetutor() + ["console", "--db", str(db), "--user", "kim"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, env=_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_export_of_a_live_database_restores_whole(tmp_path):
    live, restored, dump = tmp_path / "live.db", tmp_path / "restored.db", tmp_path / "class.jsonl"
    _console(live, ["!k create deployment web --image=nginx --replicas=3", "!wait 30s"])
    writer = subprocess.Popen(_kubetutor() + ["console", "--db", str(live), "--user", "lee"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        for i in range(40):                          # another student keeps writing during the export
            writer.stdin.write(f"!k run p{i} --image=nginx\n")
        writer.stdin.flush()
        time.sleep(0.2)
        exported = subprocess.run(_kubetutor() + ["export", "--db", str(live), "--out", str(dump)],
                                  capture_output=True, text=True, env=_env(), timeout=120)
    finally:
        writer.stdin.close()
        writer.wait(timeout=120)
    assert exported.returncode == 0, exported.stderr
    assert "exported" in exported.stderr
    imported = subprocess.run(_kubetutor() + ["import", "--db", str(restored), "--in", str(dump)],
                              capture_output=True, text=True, env=_env(), timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert _console(restored, ["!k get deploy web"]).split("\n")[1].split()[:2] == ["web", "3/3"]
    # the student who was writing: whatever the snapshot caught loads without complaint
    lee = subprocess.run(_kubetutor() + ["console", "--db", str(restored), "--user", "lee"], input="!k get pods\n",
                         capture_output=True, text=True, env=_env(), timeout=120)
    assert lee.returncode == 0 and "could not be read" not in lee.stdout and "Traceback" not in lee.stderr


def test_export_of_a_missing_database_is_one_sentence(tmp_path):
    done = subprocess.run(_kubetutor() + ["export", "--db", str(tmp_path / "none.db"), "--out", "-"],
                          capture_output=True, text=True, env=_env(), timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("error: no database at") and "Traceback" not in done.stderr
