"""The Discord bot's settings: environment variables over an optional YAML file over defaults.

Every problem is reported as one sentence that names the variable or file key to fix.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from bot.i18n import LANGS
from engine.store import default_db_path

# field -> environment variable; the YAML file uses the field names as keys.
ENV_VARS: dict[str, str] = {
    "token": "DISCORD_TOKEN",
    "db": "KUBETUTOR_DB",
    "prefix": "KUBETUTOR_PREFIX",
    "lang": "KUBETUTOR_LANG",
    "instructor_role": "KUBETUTOR_INSTRUCTOR_ROLE",
    "quiz_channel": "KUBETUTOR_QUIZ_CHANNEL",
    "test_guild": "KUBETUTOR_TEST_GUILD",
    "shard_count": "KUBETUTOR_SHARD_COUNT",
    "shard_ids": "KUBETUTOR_SHARD_IDS",
    "message_content": "KUBETUTOR_MESSAGE_CONTENT",
    "health_port": "KUBETUTOR_HEALTH_PORT",
    "health_host": "KUBETUTOR_HEALTH_HOST",
    "api_listen": "KUBETUTOR_API_LISTEN",
}
CONFIG_FILE_VAR = "KUBETUTOR_CONFIG"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A setting is missing or malformed; str() is one sentence for the operator."""


@dataclass(frozen=True)
class Config:
    token: str = field(repr=False)
    db: str
    prefix: str = "!"
    lang: str = "ko"
    instructor_role: str | None = None    # role name, or role id
    quiz_channel: str | None = None       # channel id for scheduled quiz posts
    test_guild: int | None = None         # sync slash commands to this guild only
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    message_content: bool = True          # privileged intent; off = mentions, DMs and slash commands only
    health_port: int | None = None        # /healthz and /metrics (bot.ops); off when unset
    health_host: str = "127.0.0.1"
    api_listen: tuple[str, int] | None = None   # also serve `kubetutor api` (HOST, PORT)


def load_config(path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None,
                **overrides: Any) -> Config:
    """Build the Config; `overrides` (command-line flags) win over the environment and the file."""
    env = os.environ if env is None else env
    path = path or env.get(CONFIG_FILE_VAR) or None
    raw: dict[str, tuple[Any, str]] = {}          # field -> (value, where it came from)
    if path:
        for key, value in _read_file(Path(path)).items():
            raw[key] = (value, f"`{key}` in {path}")
    for name, var in ENV_VARS.items():
        if env.get(var, "").strip():
            raw[name] = (env[var].strip(), var)
    for name, value in overrides.items():
        if value is not None:
            raw[name] = (value, f"--{name.replace('_', '-')}")
    return _validate(raw)


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc.strerror or exc}.") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"The config file {path} is not valid YAML{where}.") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"The config file {path} must be a mapping of settings (key: value).")
    unknown = sorted(str(k) for k in data if k not in ENV_VARS)
    if unknown:
        raise ConfigError(f"The config file {path} has unknown setting(s) {', '.join(unknown)}; "
                          f"known settings are {', '.join(ENV_VARS)}.")
    return data


def _validate(raw: dict[str, tuple[Any, str]]) -> Config:
    def text(name: str) -> str | None:
        if name not in raw:
            return None
        value, where = raw[name]
        if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
            raise ConfigError(f"{where} must be a non-empty text value.")
        return str(value).strip()

    token = text("token")
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set: create a bot in the Discord developer portal and put its "
                          "token in DISCORD_TOKEN or `token:` in the config file (see docs/discord.md).")
    prefix = text("prefix") or "!"
    if len(prefix) > 5 or any(c.isspace() or c == "`" for c in prefix):
        raise ConfigError(f"{raw['prefix'][1]} must be 1 to 5 characters without spaces or backticks, "
                          f"not {prefix!r}.")
    lang = text("lang") or "ko"
    if lang not in LANGS:
        raise ConfigError(f"{raw['lang'][1]} must be one of {', '.join(LANGS)}, not {lang!r}.")
    shard_count = _number(raw, "shard_count", minimum=1)
    shard_ids = _shard_ids(raw, shard_count)
    return Config(
        token=token,
        db=text("db") or str(default_db_path()),
        prefix=prefix,
        lang=lang,
        instructor_role=text("instructor_role"),
        quiz_channel=_snowflake(raw, "quiz_channel", "channel"),
        test_guild=int(g) if (g := _snowflake(raw, "test_guild", "server")) else None,
        shard_count=shard_count,
        shard_ids=shard_ids,
        message_content=_flag(raw, "message_content", default=True),
        health_port=_port(raw),
        health_host=text("health_host") or "127.0.0.1",
        api_listen=_listen(raw),
    )


def _listen(raw) -> tuple[str, int] | None:
    if "api_listen" not in raw:
        return None
    value, where = raw["api_listen"]
    host, _, port = str(value).strip().rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"{where} must be HOST:PORT (e.g. 0.0.0.0:6443), not {value!r}.")
    return host.strip("[]") or "127.0.0.1", int(port)


def _port(raw) -> int | None:
    port = _number(raw, "health_port", minimum=1)
    if port is not None and port > 65535:
        raise ConfigError(f"{raw['health_port'][1]} must be a TCP port from 1 to 65535, not {port}.")
    return port


def _number(raw, name: str, *, minimum: int) -> int | None:
    if name not in raw:
        return None
    value, where = raw[name]
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or isinstance(value, bool) or number < minimum:
        raise ConfigError(f"{where} must be a whole number of at least {minimum}, not {value!r}.")
    return number


def _shard_ids(raw, shard_count: int | None) -> tuple[int, ...] | None:
    if "shard_ids" not in raw:
        return None
    value, where = raw["shard_ids"]
    items = value if isinstance(value, list) else str(value).replace(" ", "").split(",")
    try:
        ids = tuple(int(str(i)) for i in items)
    except ValueError:
        raise ConfigError(f"{where} must be shard numbers separated by commas (e.g. 0,1), not {value!r}.") from None
    if shard_count is None:
        raise ConfigError(f"{where} needs KUBETUTOR_SHARD_COUNT (the total number of shards) as well.")
    if not ids or len(set(ids)) != len(ids) or any(not 0 <= i < shard_count for i in ids):
        raise ConfigError(f"{where} must list distinct shard numbers from 0 to {shard_count - 1}, not {value!r}.")
    return ids


def _snowflake(raw, name: str, what: str) -> str | None:
    if name not in raw:
        return None
    value, where = raw[name]
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise ConfigError(f"{where} must be a Discord {what} id (digits only; copy it with Developer Mode "
                          f"on), not {value!r}.")
    return text


def _flag(raw, name: str, *, default: bool) -> bool:
    if name not in raw:
        return default
    value, where = raw[name]
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ConfigError(f"{where} must be true or false (1/0, yes/no, on/off), not {value!r}.")
