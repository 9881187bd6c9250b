"""Per-server settings, set by command and kept in the database (as Red-DiscordBot's `[p]set`):
`!config` shows them; the server's owner or a Manage Server member changes them with
`!config set KEY VALUE` and `!config reset KEY`. The deployment's environment (or YAML file)
gives the defaults, so a server that set nothing behaves as configured.

router.services["settings"] answers `get(server, key)` synchronously from a cache loaded at
start and kept current by the setters, since the router asks on every message.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Callable

from bot.i18n import LANGS, lang_of, t
from bot.reply import Reply
from bot.router import Context, Router
from bot.quiz.srs import course_days_from
from engine.store import Migration, Store

# This feature's tables (bot/wiring.py hands every feature's list to the store).
MIGRATIONS: tuple[Migration, ...] = (
    ("settings_0001_server", """
    CREATE TABLE IF NOT EXISTS server_settings (
        server TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (server, key)
    );
"""),
)

_CHANNEL = re.compile(r"^<#(\d+)>$|^(\d+)$")
_ROLE = re.compile(r"^<@&(\d+)>$")
_TRUE = {"on", "yes", "true", "1", "켜기", "예"}
_FALSE = {"off", "no", "false", "0", "끄기", "아니요"}


class BadValue(ValueError):
    """The value does not fit the setting; str() is the catalogue key of the explanation."""


def _prefix(text: str) -> str:
    if not 1 <= len(text) <= 3 or any(c.isspace() or c.isalnum() for c in text) or text[0] in "/@#<":
        raise BadValue("config_bad_prefix")
    return text


def _bool(text: str) -> bool:
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise BadValue("config_bad_bool")


def _channels(text: str) -> list[str]:
    found = []
    for word in text.replace(",", " ").split():
        match = _CHANNEL.match(word)
        if match is None:
            raise BadValue("config_bad_channels")
        found.append(match[1] or match[2])
    if not found or len(found) > 10:
        raise BadValue("config_bad_channels")
    return found


def _role(text: str) -> str:
    match = _ROLE.match(text)
    name = match[1] if match else text.strip().lstrip("@")
    if not name or len(name) > 100:
        raise BadValue("config_bad_role")
    return name


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        raise BadValue("config_bad_days")
    return int(text)


def _lang(text: str) -> str:
    if text.lower() not in LANGS:
        raise BadValue("config_bad_lang")
    return text.lower()


@dataclass(frozen=True)
class Setting:
    key: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str] = str


def _show_channels(ids: list[str] | None) -> str:
    return " ".join(f"<#{c}>" for c in ids) if ids else "—"


def _show_bool(value: bool) -> str:
    return "on" if value else "off"


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("prefix", _prefix),
    Setting("lang", _lang),
    Setting("instructor_role", _role, lambda v: v or "—"),
    Setting("quiz_channels", _channels, _show_channels),
    Setting("unprefixed", _bool, _show_bool),
    Setting("private_replies", _bool, _show_bool),
    Setting("lab_threads", _bool, _show_bool),
    Setting("course_days", _days),
)}


class ServerSettings:
    """Settings per server over the deployment's defaults."""

    def __init__(self, store: Store, defaults: dict[str, Any]):
        self.store = store
        self.defaults = defaults
        self._values: dict[tuple[str, str], Any] = {}

    async def load(self) -> None:
        rows = await self.store.fetchall("SELECT server, key, value FROM server_settings")
        self._values = {(server, key): json.loads(value) for server, key, value in rows if key in SETTINGS}

    def get(self, server: str, key: str) -> Any:
        return self._values.get((server, key), self.defaults.get(key))

    def is_set(self, server: str, key: str) -> bool:
        return (server, key) in self._values

    async def set(self, server: str, key: str, text: str) -> Any:
        value = SETTINGS[key].parse(text.strip())
        await self.store.execute(
            "INSERT INTO server_settings (server, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (server, key) DO UPDATE SET value = excluded.value", (server, key, json.dumps(value)))
        self._values[(server, key)] = value
        return value

    async def reset(self, server: str, key: str) -> None:
        await self.store.execute("DELETE FROM server_settings WHERE server = ? AND key = ?", (server, key))
        self._values.pop((server, key), None)

    def prefix(self, server: str) -> str:
        return self.get(server, "prefix")


async def config_command(ctx: Context, args: str) -> Reply:
    settings: ServerSettings = ctx.router.services["settings"]
    lang = lang_of(ctx.router, ctx.msg)
    server = ctx.msg.server
    words = args.split(None, 2)
    if not words or words[0].lower() in ("show", "보기"):
        return Reply(_table(ctx, settings, lang), code=False)
    verb = words[0].lower()
    if verb not in ("set", "reset") or len(words) < 2 or (verb == "set" and len(words) < 3):
        return Reply(t(lang, "config_usage"), code=False, ok=False)
    if not ctx.msg.is_admin:
        return Reply(t(lang, "config_admin_only"), code=False, ok=False)
    key = words[1].lower().replace("-", "_")
    if key not in SETTINGS:
        return Reply(t(lang, "config_unknown", setting=words[1][:40], keys=", ".join(SETTINGS)), code=False, ok=False)
    if key == "lang":                      # the server language lives with the other language prefs
        return await _set_lang(ctx, settings, verb, words[2] if verb == "set" else None)
    if verb == "reset":
        await settings.reset(server, key)
        return Reply(t(lang, "config_reset", setting=key, value=SETTINGS[key].show(settings.get(server, key))),
                     code=False)
    try:
        value = await settings.set(server, key, words[2])
    except BadValue as err:
        return Reply(t(lang, str(err)), code=False, ok=False)
    return Reply(t(lang, "config_set", setting=key, value=SETTINGS[key].show(value)), code=False)


async def _set_lang(ctx: Context, settings: ServerSettings, verb: str, text: str | None) -> Reply:
    prefs = ctx.router.services["prefs"]
    lang = lang_of(ctx.router, ctx.msg)
    try:
        chosen = prefs.default if text is None else _lang(text)
    except BadValue as err:
        return Reply(t(lang, str(err)), code=False, ok=False)
    await prefs.set_server_lang(ctx.msg.server, chosen)
    return Reply(t(lang_of(ctx.router, ctx.msg), "config_set", setting="lang", value=chosen), code=False)


def _table(ctx: Context, settings: ServerSettings, lang: str) -> str:
    prefs, server = ctx.router.services.get("prefs"), ctx.msg.server
    lines = [t(lang, "config_title")]
    for key, setting in SETTINGS.items():
        if key == "lang" and prefs is not None:
            value, own = prefs.server_lang(server), prefs.server_lang_is_set(server)
        else:
            value, own = setting.show(settings.get(server, key)), settings.is_set(server, key)
        source = t(lang, "config_source_set") if own else t(lang, "config_source_default")
        lines.append(f"`{key}` = {value}  ({source}) — {t(lang, 'config_about_' + key)}")
    lines.append(t(lang, "config_footer"))
    return "\n".join(lines)


def env_defaults(environ: dict[str, str]) -> dict[str, Any]:
    """The deployment's defaults (the Discord front-end overrides them from its Config)."""
    channel = environ.get("KUBETUTOR_QUIZ_CHANNEL", "").strip()
    return {"instructor_role": environ.get("KUBETUTOR_INSTRUCTOR_ROLE", "").strip() or None,
            "quiz_channels": [channel] if channel else None,
            "unprefixed": environ.get("KUBETUTOR_UNPREFIXED", "on").strip().lower() not in _FALSE,
            "private_replies": environ.get("KUBETUTOR_PRIVATE_REPLIES", "off").strip().lower() in _TRUE,
            "lab_threads": environ.get("KUBETUTOR_LAB_THREADS", "off").strip().lower() in _TRUE,
            "course_days": course_days_from(environ)}


async def setup(router: Router) -> ServerSettings:
    defaults = {"prefix": router.prefix, **env_defaults(dict(os.environ))}
    settings = ServerSettings(router.services["store"], defaults)
    await settings.load()
    router.services["settings"] = settings
    router.prefix_for = settings.prefix
    router.command("config", summary="server settings: !config (owners: !config set KEY VALUE)",
                   uses_sandbox=False)(config_command)
    return settings
