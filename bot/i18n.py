"""Bot messages in Korean and English, from content/messages/<lang>.yaml.

A user's language is msg.reply_lang when a front-end knows it, else the router's
per-user preference (set by `!lang`), else the server default, else Korean.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from engine import fastyaml

LANGS = ("ko", "en")
DEFAULT_LANG = "ko"
_DIR = Path(__file__).resolve().parent.parent / "content" / "messages"


@lru_cache(maxsize=None)
def _catalogue(lang: str) -> dict[str, str]:
    with open(_DIR / f"{lang}.yaml", encoding="utf-8") as fh:
        data = fastyaml.load(fh) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{_DIR / (lang + '.yaml')}: expected a mapping of message keys")
    return {str(k): str(v) for k, v in data.items()}


def t(lang: str, key: str, **kw) -> str:
    lang = lang if lang in LANGS else DEFAULT_LANG
    text = _catalogue(lang).get(key) or _catalogue("en").get(key) or key
    return text.format(**kw) if kw else text


def lang_of(router, msg) -> str:
    if msg.reply_lang in LANGS:
        return msg.reply_lang
    prefs = router.services.get("prefs")
    if prefs is not None:
        return prefs.lang_cached(msg.server, msg.user)
    return DEFAULT_LANG
