"""What flows between the node's commands: bounded streams, the per-line budget, and the Limit
a command raises when a bound is hit (a leaf module: commands and the shell both use it)."""
from __future__ import annotations

from dataclasses import dataclass

MAX_STEPS = 5000            # commands per chat line
MAX_OUTPUT = 256 * 1024     # bytes through any one stream
MAX_SLEEP = 24 * 3600.0     # sandbox seconds `sleep` may spend per line (as !wait)


class Exit(Exception):
    """`exit N`: the current shell stops here with status N (after printing `text` on stderr)."""

    def __init__(self, rc: int, text: str = ""):
        super().__init__(rc)
        self.rc = rc
        self.text = text


class Limit(Exception):
    """A bound was hit: `key` names the tutor note (content/messages: shell_limit_<key>)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class Budget:
    steps: int = 0
    depth: int = 0
    slept: float = 0.0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise Limit("steps", limit=MAX_STEPS)


class Sink:
    """Where a stream's bytes go: a buffer with a byte bound."""

    def __init__(self, tty: bool = False):
        self.parts: list[str] = []
        self.size = 0
        self.tty = tty                  # the chat terminal itself (ls lays out columns)

    def write(self, text: str) -> None:
        if not text:
            return
        self.size += len(text)
        if self.size > MAX_OUTPUT:
            room = MAX_OUTPUT - (self.size - len(text))
            if room > 0:
                self.parts.append(text[:room])
            raise Limit("output", limit=MAX_OUTPUT // 1024)
        self.parts.append(text)

    def text(self) -> str:
        return "".join(self.parts)


class Discard(Sink):
    def write(self, text: str) -> None:
        pass
