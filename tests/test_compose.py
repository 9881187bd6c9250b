"""docker-compose.yml loads without a token for `docker compose run --rm migrate`: only the bots
need DISCORD_TOKEN, and they stop with a sentence when it is empty (no `${VAR:?}` at load)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_needs_no_variable_to_load():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert re.findall(r"\$\{[A-Z_]+:?\?", text) == []      # `${X:?msg}` fails every command, migrate too
    compose = yaml.safe_load(text)
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["kubetutor", "migrate"] and "DISCORD_TOKEN" not in migrate["environment"]
    for name in ("bot-0", "bot-1"):
        assert compose["services"][name]["environment"]["DISCORD_TOKEN"] == "${DISCORD_TOKEN:-}"


def test_lock_files_pin_every_dependency_with_hashes():
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    def names(reqs):
        return {re.split(r"[<>=\[;! ]", r, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-") for r in reqs}
    locked = {}
    for lock in ("run", "test"):
        text = (ROOT / "requirements" / f"{lock}.lock").read_text(encoding="utf-8")
        pins = re.findall(r"^([a-z0-9._-]+)==\S+ \\\n\s+--hash=sha256:", text, re.M)
        locked[lock] = {p.lower().replace("_", "-").replace(".", "-") for p in pins}
    extras = project["optional-dependencies"]
    stale = "pyproject.toml has dependencies the lock lacks: run `bash scripts/lock.sh` and commit requirements/"
    assert names(project["dependencies"]) | names(extras["postgres"]) <= locked["run"], stale
    assert names(project["dependencies"]) | names(extras["test"]) <= locked["test"], stale
