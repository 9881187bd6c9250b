"""Language preferences: `!lang ko|en` per user, `!lang server ko|en` (instructors) per server.

router.services["prefs"] answers `lang_cached(server, user)` synchronously from a cache that is
loaded once at startup and updated by the setters, because i18n asks on every reply.
"""
from __future__ import annotations

import os

from bot.i18n import DEFAULT_LANG, LANGS, lang_of, t
from bot.reply import Reply
from bot.router import Context, Router
from engine.store import Migration, Store

# This feature's tables (bot/wiring.py hands every feature's list to the store).
MIGRATIONS: tuple[Migration, ...] = (
    ("prefs_0001_lang", """
    CREATE TABLE IF NOT EXISTS prefs_user_lang (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        PRIMARY KEY (server, user_id)
    );
    CREATE TABLE IF NOT EXISTS prefs_server_lang (
        server TEXT PRIMARY KEY,
        lang TEXT NOT NULL
    );
"""),
)


class Prefs:
    def __init__(self, store: Store, default: str = DEFAULT_LANG):
        self.store = store
        self.default = default if default in LANGS else DEFAULT_LANG   # the deployment's KUBETUTOR_LANG
        self._users: dict[tuple[str, str], str] = {}
        self._servers: dict[str, str] = {}

    async def load(self) -> None:
        self._users = {(s, u): lang for s, u, lang in
                       await self.store.fetchall("SELECT server, user_id, lang FROM prefs_user_lang")}
        self._servers = dict(await self.store.fetchall("SELECT server, lang FROM prefs_server_lang"))

    def server_lang(self, server: str) -> str:
        return self._servers.get(server, self.default)

    def server_lang_is_set(self, server: str) -> bool:
        return server in self._servers

    def lang_cached(self, server: str, user: str) -> str:
        return self._users.get((server, user)) or self.server_lang(server)

    async def set_user_lang(self, server: str, user: str, lang: str) -> None:
        _check(lang)
        await self.store.execute(
            "INSERT INTO prefs_user_lang (server, user_id, lang) VALUES (?, ?, ?) "
            "ON CONFLICT (server, user_id) DO UPDATE SET lang = excluded.lang", (server, user, lang))
        self._users[(server, user)] = lang

    async def set_server_lang(self, server: str, lang: str) -> None:
        _check(lang)
        await self.store.execute(
            "INSERT INTO prefs_server_lang (server, lang) VALUES (?, ?) "
            "ON CONFLICT (server) DO UPDATE SET lang = excluded.lang", (server, lang))
        self._servers[server] = lang


def _check(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")


def _lang_word(word: str) -> str | None:
    word = word.strip().lower()
    aliases = {"ko": "ko", "kr": "ko", "korean": "ko", "한국어": "ko", "en": "en", "english": "en", "영어": "en"}
    return aliases.get(word)


async def lang_command(ctx: Context, args: str) -> Reply:
    prefs: Prefs = ctx.router.services["prefs"]
    words = args.split()
    current = lang_of(ctx.router, ctx.msg)
    if not words:
        return Reply(t(current, "lang_current", language=current, server=prefs.server_lang(ctx.msg.server)),
                     code=False)
    if words[0].lower() in ("server", "서버"):
        if not ctx.msg.is_instructor:
            return Reply(t(current, "instructor_only"), code=False, ok=False)
        lang = _lang_word(words[1]) if len(words) == 2 else None
        if lang is None:
            return Reply(t(current, "lang_usage"), code=False, ok=False)
        await prefs.set_server_lang(ctx.msg.server, lang)
        return Reply(t(lang_of(ctx.router, ctx.msg), "lang_server_set", language=lang), code=False)
    lang = _lang_word(words[0]) if len(words) == 1 else None
    if lang is None:
        return Reply(t(current, "lang_usage"), code=False, ok=False)
    await prefs.set_user_lang(ctx.msg.server, ctx.msg.user, lang)
    return Reply(t(lang, "lang_set", language=lang), code=False)


async def setup(router: Router) -> Prefs:
    prefs = Prefs(router.services["store"], os.environ.get("KUBETUTOR_LANG", DEFAULT_LANG))
    await prefs.load()
    router.services["prefs"] = prefs
    router.command("lang", summary="your language: !lang ko|en (instructors: !lang server ko|en)",
                   uses_sandbox=False)(lang_command)
    return prefs
