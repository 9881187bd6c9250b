"""Fit a router Reply to Discord's chat: fences, the 2,000-character limit, inert mentions.

Pure functions over plain data, so every rule is tested without Discord. A Reply becomes a
few `Part`s (message text plus attachments); `outbound` turns them into real messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reply import Attachment, Reply

LIMIT = 2000             # Discord's per-message character limit
MAX_PARTS = 3            # more than this many messages becomes a .txt attachment
PREVIEW_CHARS = 900      # how much of an attached output is shown inline
MAX_BUTTONS = 25         # 5 rows of 5
LABEL_CHARS = 80         # Discord's button label limit
CUSTOM_ID_CHARS = 100    # Discord's custom_id limit
ZWSP = "\u200b"

_NOTES = {
    "ko": "… (+{hidden}줄, 전체 내용은 첨부한 {filename} 파일에 있습니다)",
    "en": "… (+{hidden} more lines; the full text is in the attached {filename})",
}
_ANSWER_HINT = {"ko": "({prefix}answer N 으로 답하세요)", "en": "(answer with {prefix}answer N)"}


@dataclass(frozen=True)
class Part:
    """One Discord message: its text and the files attached to it."""
    content: str
    files: tuple[Attachment, ...] = ()


def escape_fences(text: str) -> str:
    """Put a zero-width space between adjacent backticks, so no ``` can close our fence."""
    return re.sub(r"`(?=`)", "`" + ZWSP, text)


def neutralise_mentions(text: str) -> str:
    """`@everyone`, `@here`, `<@id>`, `<@!id>` and `<@&id>` become plain text that pings nobody."""
    text = re.sub(r"@(everyone|here)", "@" + ZWSP + r"\1", text)
    return re.sub(r"<@([!&]?\d+)>", "<@" + ZWSP + r"\1>", text)


def hard_wrap(line: str, width: int) -> list[str]:
    return [line[i:i + width] for i in range(0, len(line), width)] or [""]


def pack_lines(text: str, budget: int) -> list[str]:
    """Split on line boundaries into pieces of at most `budget` characters; wrap over-long lines."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for chunk in hard_wrap(line, budget):
            if current and size + 1 + len(chunk) > budget:
                pieces.append("\n".join(current))
                current, size = [], 0
            size += len(chunk) + (1 if current else 0)
            current.append(chunk)
    if current:
        pieces.append("\n".join(current))
    return pieces


def fence_language(text: str) -> str:
    """A highlighting hint for kubectl's YAML and JSON; the text itself is unchanged."""
    start = text.lstrip()
    if start.startswith("apiVersion:"):
        return "yaml"
    if start.startswith("{"):
        return "json"
    return ""


def fence(body: str, lang: str = "") -> str:
    return f"```{lang}\n{body}\n```"


def _labels_fit(reply: Reply) -> bool:
    return all(0 < len(c) <= LABEL_CHARS for c in reply.choices)


def choice_buttons(reply: Reply) -> list[tuple[int, str]]:
    """(number, label) per answer button; [] when the choices must be answered by typing."""
    if not reply.choices or not reply.choice_key or len(reply.choices) > MAX_BUTTONS:
        return []
    if len(custom_id(reply.choice_key, len(reply.choices))) > CUSTOM_ID_CHARS:
        return []
    if _labels_fit(reply):
        return [(n, c) for n, c in enumerate(reply.choices, 1)]
    return [(n, str(n)) for n in range(1, len(reply.choices) + 1)]


def custom_id(key: str, number: int) -> str:
    """The button id; the number comes first so that a key may contain colons."""
    return f"kubetutor:answer:{number}:{key}"


def _choices_text(reply: Reply, prefix: str, lang: str) -> str:
    """The numbered list a student needs when buttons cannot carry the whole choice text."""
    has_buttons = bool(choice_buttons(reply))
    if not reply.choices or (has_buttons and _labels_fit(reply)):
        return ""
    lines = [f"**{n}.** {neutralise_mentions(c)}" for n, c in enumerate(reply.choices, 1)]
    if not has_buttons:
        lines.append(_ANSWER_HINT.get(lang, _ANSWER_HINT["en"]).format(prefix=prefix))
    return "\n".join(lines)


def _body_parts(reply: Reply, lang: str) -> list[Part]:
    text = reply.text.strip("\n") if reply.code else reply.text.strip()
    if not text:
        return []
    if reply.code:
        lang_hint = fence_language(text)
        budget = LIMIT - len(fence("", lang_hint))
        pieces = pack_lines(escape_fences(text), budget)
        if len(pieces) <= MAX_PARTS:
            return [Part(fence(p, lang_hint)) for p in pieces]
        return [_attached(text, "output.txt", lambda preview: fence(escape_fences(preview), lang_hint), lang)]
    if not reply.ok:
        text = "⚠️ " + text
    pieces = pack_lines(neutralise_mentions(text), LIMIT)
    if len(pieces) <= MAX_PARTS:
        return [Part(p) for p in pieces]
    return [_attached(text, "message.txt", neutralise_mentions, lang)]


def _attached(text: str, filename: str, show, lang: str) -> Part:
    """A short preview inline and the whole text as a file."""
    lines = text.split("\n")
    shown: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > PREVIEW_CHARS:
            break
        shown.append(line)
        size += len(line) + 1
    preview = "\n".join(shown) if shown else lines[0][:PREVIEW_CHARS]
    note = _NOTES.get(lang, _NOTES["en"]).format(hidden=len(lines) - len(shown), filename=filename)
    return Part(f"{show(preview)}\n{note}", (Attachment(filename, text.encode("utf-8")),))


def render(reply: Reply, *, prefix: str = "!", lang: str = "ko") -> list[Part]:
    """The messages for one reply, each within Discord's limit; files ride on the last one."""
    parts = _body_parts(reply, lang)
    listing = _choices_text(reply, prefix, lang)
    if listing:
        if parts and not parts[-1].files and len(parts[-1].content) + 1 + len(listing) <= LIMIT:
            parts[-1] = Part(parts[-1].content + "\n" + listing)
        else:
            parts.extend(Part(p) for p in pack_lines(listing, LIMIT))
    if reply.files:
        if not parts:
            parts = [Part("")]
        last = parts[-1]
        parts[-1] = Part(last.content, last.files + tuple(reply.files))
    if reply.choices and not parts:
        parts = [Part("❔")]          # buttons need a message to sit on
    return parts
