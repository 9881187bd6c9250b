"""`kubetutor bot`: refusing to start without a token, and closing the database on the way out."""
from __future__ import annotations

import discord
import pytest

from bot.cli import main as cli_main
from bot.discord import main as bot_main
from bot.discord.client import KubetutorBot
from bot.discord.config import ENV_VARS, CONFIG_FILE_VAR, Config


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for var in [*ENV_VARS.values(), CONFIG_FILE_VAR]:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KUBETUTOR_DB", str(tmp_path / "k.db"))


def test_kubetutor_bot_without_a_token_exits_1(clean_env, capsys):
    assert cli_main(["bot"]) == 1
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN is not set" in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_bad_setting_exits_1_with_its_sentence(clean_env, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", "t")
    assert bot_main.run_bot(shard_count=2, shard_ids="5") == 1
    assert "--shard-ids" in capsys.readouterr().err


@pytest.mark.parametrize("error, words", [
    (discord.LoginFailure("bad"), "refused the token"),
    (discord.PrivilegedIntentsRequired(shard_id=None), "KUBETUTOR_MESSAGE_CONTENT=0"),
    (ConnectionRefusedError(111, "Connection refused"), "Cannot reach Discord"),
], ids=["login", "intent", "network"])
def test_startup_failures_exit_1_with_a_sentence(clean_env, monkeypatch, capsys, error, words):
    monkeypatch.setenv("DISCORD_TOKEN", "t")

    async def serve(config):
        raise error
    monkeypatch.setattr(bot_main, "serve", serve)
    assert bot_main.run_bot() == 1
    assert words in capsys.readouterr().err


class _OfflineBot(KubetutorBot):
    """Everything real except the connection to Discord."""
    apps: list = []
    fail_with: BaseException | None = None

    async def start(self, token, *, reconnect=True):
        _OfflineBot.apps.append(self.app)
        if self.fail_with is not None:
            raise self.fail_with


@pytest.mark.parametrize("fail_with", [None, discord.LoginFailure("bad")], ids=["clean-stop", "login-failure"])
async def test_serve_closes_the_database_on_every_way_out(tmp_path, fail_with):
    _OfflineBot.apps, _OfflineBot.fail_with = [], fail_with
    config = Config(token="t", db=str(tmp_path / "k.db"), lang="en")
    if fail_with is None:
        await bot_main.serve(config, bot_class=_OfflineBot)
    else:
        with pytest.raises(type(fail_with)):
            await bot_main.serve(config, bot_class=_OfflineBot)
    [app] = _OfflineBot.apps
    assert app.router.services["default_lang"] == "en"
    try:
        await app.store.fetchone("SELECT 1")
    except ValueError:                           # aiosqlite refuses work on a closed connection
        return
    await app.close()                            # or the open connection's thread keeps pytest alive
    pytest.fail("serve() left the database open")


class _HealthProbingBot(_OfflineBot):
    """While "connecting", ask the health endpoint what it says."""
    seen: list = []

    async def start(self, token, *, reconnect=True):
        import aiohttp
        async with aiohttp.ClientSession() as session:
            for path in ("/healthz", "/metrics"):
                async with session.get(f"http://127.0.0.1:{self.config.health_port}{path}") as response:
                    _HealthProbingBot.seen.append((path, response.status, await response.text()))


async def test_serve_runs_the_health_endpoints_when_configured(tmp_path):
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _HealthProbingBot.seen = []
    await bot_main.serve(Config(token="t", db=str(tmp_path / "k.db"), health_port=port), bot_class=_HealthProbingBot)
    [(_, health, why), (_, metrics, text)] = _HealthProbingBot.seen
    assert health == 503 and "discord: not connected" in why and "database" not in why
    assert metrics == 200 and "kubetutor_commands" in text


def test_docs_describe_every_setting_command_and_the_invite():
    """docs/discord.md stays in step with the code it documents."""
    from pathlib import Path

    from bot.discord.client import INVITE_PERMISSIONS, INVITE_SCOPES
    from bot.discord.slash import ROUTER_WORDS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "discord.md").read_text(encoding="utf-8")
    missing = [v for v in [*ENV_VARS.values(), *ENV_VARS, CONFIG_FILE_VAR] if f"`{v}`" not in docs]
    missing += [f"/{name}" for name in ROUTER_WORDS if f"`/{name}" not in docs]
    assert missing == []
    assert f"permissions={INVITE_PERMISSIONS.value}" in docs
    assert "scope=" + "+".join(INVITE_SCOPES) in docs
