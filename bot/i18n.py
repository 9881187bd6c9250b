"""Every sentence the bot writes, from content/messages/<lang>.yaml (adding a language = adding a file).

`Text` is the catalogue of one language: `text("wait_done", duration="5m")`. A user's language
is msg.reply_lang when a front-end knows it, else the per-user preference (set by `!lang`),
else the server default, else Korean.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from engine import fastyaml

_DIR = Path(__file__).resolve().parent.parent / "content" / "messages"
DEFAULT_LANG = "ko"
LANGS = (DEFAULT_LANG, *sorted(p.stem for p in _DIR.glob("*.yaml") if p.stem != DEFAULT_LANG))


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    with open(_DIR / f"{lang}.yaml", encoding="utf-8") as fh:
        data = fastyaml.load(fh) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{_DIR / (lang + '.yaml')}: expected a mapping of message keys")
    return {str(k): str(v) for k, v in data.items()}


@dataclass(frozen=True)
class Text:
    """One language's catalogue: call it with a key and the placeholders' values."""
    lang: str = DEFAULT_LANG

    def __post_init__(self):
        if self.lang not in LANGS:
            object.__setattr__(self, "lang", DEFAULT_LANG)

    def __call__(self, key: str, **kw) -> str:
        text = catalogue(self.lang).get(key) or catalogue(DEFAULT_LANG).get(key) or key
        return text.format(**kw) if kw else text

    def render(self, value) -> str:
        """A Say in this language; a list of them joined with ` | `; anything else as it is."""
        if isinstance(value, Say):
            return self(value.key, **{k: self.render(v) for k, v in value.values.items()})
        if isinstance(value, (list, tuple)):
            return " | ".join(self.render(v) for v in value)
        return str(value)

    def join(self, parts) -> str:
        """A list in this language's way (`a, b`)."""
        return self("list_separator").join(parts)


@dataclass(frozen=True)
class Say:
    """A sentence not yet worded: made where the language is unknown (a sandbox job, which may run
    in a worker process) and worded by the router in the student's language."""
    key: str
    values: dict = field(default_factory=dict)
    ok: bool = True

    def words(self, text: Text) -> str:
        return text.render(self)


def t(lang: str, key: str, **kw) -> str:
    return Text(lang)(key, **kw)


def lang_of(router, msg) -> str:
    if msg.reply_lang in LANGS:
        return msg.reply_lang
    prefs = router.services.get("prefs")
    if prefs is not None:
        return prefs.lang_cached(msg.server, msg.user)
    return DEFAULT_LANG


def text_for(router, msg) -> Text:
    return Text(lang_of(router, msg))
