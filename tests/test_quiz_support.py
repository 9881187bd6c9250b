"""Shared helpers for the quiz, progress and prefs tests (no tests here): a real app on a
temp-file database with a settable clock, and a way to talk to it as different users."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.app import open_app
from bot.reply import Message, Reply

EXTENSIONS = ("bot.choices", "bot.prefs", "bot.progress", "bot.quiz")
START = 1_700_000_000.0          # 2023-11-15 07:13:20 KST, a Wednesday


class FakeClock:
    def __init__(self, now: float = START):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Chat:
    """A running app plus a clock; `say` sends one chat message and returns the replies."""
    app: object
    clock: FakeClock
    server: str = "srv"
    log: list = field(default_factory=list)

    @property
    def router(self):
        return self.app.router

    async def say(self, text: str, user: str = "alice", *, instructor: bool = False,
                  channel: str = "general") -> list[Reply]:
        replies = await self.app.router.handle(Message(text, user, self.server, user_name=user.title(),
                                                       channel=channel, is_instructor=instructor))
        self.log.append((user, text, replies))
        return replies

    async def one(self, text: str, user: str = "alice", **kw) -> Reply:
        replies = await self.say(text, user, **kw)
        assert len(replies) == 1, replies
        return replies[0]


async def open_chat(db_path, clock: FakeClock | None = None) -> Chat:
    clock = clock or FakeClock()
    app = await open_app(db_path, clock=clock, rate_limit=None, extensions=EXTENSIONS)
    return Chat(app, clock)


def use_bank(chat: Chat, bank) -> None:
    """Swap in a small test bank (loaded by the real loader) for deterministic questions."""
    chat.router.services["quiz"].bank = bank


def right_number(bank, reply: Reply, lang: str = "ko") -> int:
    """The 1-based button that carries the bank's right answer, found from the shown labels."""
    question = next(q for q in bank.questions.values() if q.q(lang) in reply.text)
    if question.kind == "truefalse":
        return 1 if question.answer else 2
    if question.kind == "multi":                 # statements are listed as "  ㄱ. text"; buttons as "ㄱ, ㄷ"
        letters = {line.strip()[3:]: line.strip()[0] for line in reply.text.splitlines() if line.startswith("  ")}
        right = sorted(letters[question.choices[i - 1](lang)] for i in question.answer)
        return reply.choices.index(", ".join(right)) + 1
    return reply.choices.index(question.choices[question.answer - 1](lang)) + 1
