"""The local console: chat lines in, replies out — the chat in a terminal.

Each input line is one message. A line that opens a code fence (```), and every line up to
the closing fence, belong to the message of the line before it, as in Discord where
`!k apply -f -` and its ```yaml block are one message.
"""
from __future__ import annotations

import asyncio
import io
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from bot.app import open_app
from bot.i18n import Text, text_for
from engine.storage import MissingDriver
from bot.reply import Message, Reply

PROMPT = "[root@m-k8s ~]# "


def group_messages(lines: Iterable[str]) -> Iterator[str]:
    """Join fenced blocks onto the message before them."""
    current: list[str] | None = None
    in_fence = False
    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if in_fence:
            current.append(line)
            if line.strip().startswith("```"):
                in_fence = False
            continue
        if line.strip().startswith("```"):
            if current is None:
                current = []
            current.append(line)
            # a fence that opens and closes on the same line stays a single line
            in_fence = not (line.strip().count("```") >= 2 and len(line.strip()) > 3)
            continue
        if current is not None:
            yield "\n".join(current)
        current = [line]
    if current is not None:
        yield "\n".join(current)


_saved = itertools.count(1)


def attachments_dir() -> Path:
    """Where the console writes attachments: $KUBETUTOR_ATTACHMENTS, else beside the default database."""
    if env := os.environ.get("KUBETUTOR_ATTACHMENTS"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "kubetutor" / "attachments"


def save_attachment(data: bytes, filename: str, directory: Path) -> Path:
    """Write one attachment under a new name (time, a counter, its own name); its absolute path."""
    directory.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename) or "attachment"
    path = directory / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{next(_saved)}-{safe}"
    path.write_bytes(data)
    return path.resolve()


def render(reply: Reply, text: Text = Text(), directory: Path | None = None) -> str:
    """Plain text for a terminal: no fences, choices numbered; every attachment is written to a file
    whose absolute path stands on a line of its own (text files are shown too)."""
    parts = [reply.text] if reply.text else []
    for i, choice in enumerate(reply.choices, 1):
        parts.append(f"  {i}) {choice}")
    if reply.choices:
        parts.append(text("console_answer_hint"))
    for f in reply.files:
        parts.append(str(save_attachment(f.data, f.filename, directory or attachments_dir())))
        if f.filename.endswith((".txt", ".csv", ".yaml")):
            parts.append(f.data.decode("utf-8", "replace").rstrip("\n"))
    return "\n".join(parts)


async def run_console(db: str, user: str, server: str, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    interactive = stdin.isatty() and stdout.isatty()
    app = await open_app(db, clock=_clock_from_env(), rate_limit=None, start_workers=True)
    try:
        messages = _interactive_messages() if interactive else group_messages(stdin)
        for content in messages:
            if not content.strip():
                continue
            msg = Message(content=content, user=user, server=server, user_name=user, channel="console",
                          is_instructor=True, is_admin=True, addressed=True)
            replies = await app.router.handle(msg)
            if not replies and content.lstrip().startswith("!") is False and interactive:
                stdout.write(text_for(app.router, msg)("console_prefix_hint") + "\n")
            for reply in replies:
                out = render(reply, text_for(app.router, msg))
                if out:
                    stdout.write(out + "\n")
            stdout.flush()
    finally:
        await app.close()
    return 0


def _interactive_messages() -> Iterator[str]:
    """One message per Enter. A line with an unclosed ``` keeps reading (`... `) to the closing
    fence, so `!k apply -f - ```yaml` starts a block in a terminal; a block typed on its own
    line after a message is a message of its own (e.g. the reply to `!k edit`)."""
    try:
        import readline  # noqa: F401  (history and line editing)
    except ImportError:
        pass
    while True:
        try:
            line = input(PROMPT)
        except EOFError:
            print()
            return
        except KeyboardInterrupt:
            print()
            continue
        block = [line]
        while "\n".join(block).count("```") % 2 == 1:
            try:
                block.append(input("... "))
            except EOFError:
                break
        yield "\n".join(block)


def _clock_from_env():
    """KUBETUTOR_FAKE_NOW=<epoch seconds> freezes the wall clock (tests): time then moves only by !wait."""
    fake = os.environ.get("KUBETUTOR_FAKE_NOW")
    if not fake:
        return None
    frozen = float(fake)
    return lambda: frozen


def main_console(db: str, user: str, server: str) -> int:
    """Exit 0 at the end of input; a closed standard input is an empty one, and a reader that
    goes away (`| head`) ends the session quietly, as a shell tool would."""
    stdin = sys.stdin if sys.stdin is not None and not sys.stdin.closed else io.StringIO("")
    stdout = sys.stdout if sys.stdout is not None and not sys.stdout.closed else io.StringIO()
    try:
        return asyncio.run(run_console(db, user, server, stdin=stdin, stdout=stdout))
    except BrokenPipeError:
        # Python would report the broken pipe again when flushing stdout at exit: point it at devnull.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except MissingDriver as exc:
        print(f"kubetutor console: {exc}", file=sys.stderr)
        return 1
