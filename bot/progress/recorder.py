"""What a student did: quiz answers, lab steps, commands. router.services["progress"].

Other features report here; the reports read back from here (and ask the quiz for mastery).
Who did it is a Context or a (server, user) pair, so the lab engine can report from a
command handler or from a background check alike.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from bot.quiz.timing import day_of
from bot.router import Context, Router
from engine.store import Migration, Store

LAB_STEP_POINTS = 5
# Looking at one's standing is not practice: these commands do not extend a streak.
NOT_PRACTICE = frozenset({"progress", "leaderboard", "class", "lang", "help"})

# This feature's tables (bot/wiring.py hands every feature's list to the store).
MIGRATIONS: tuple[Migration, ...] = (
    ("progress_0001_tables", """
    CREATE TABLE IF NOT EXISTS progress_users (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        commands INTEGER NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        PRIMARY KEY (server, user_id)
    );
    CREATE TABLE IF NOT EXISTS progress_commands (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        command TEXT NOT NULL,
        count INTEGER NOT NULL,
        last_at REAL NOT NULL,
        PRIMARY KEY (server, user_id, command)
    );
    CREATE TABLE IF NOT EXISTS progress_days (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        day TEXT NOT NULL,
        PRIMARY KEY (server, user_id, day)
    );
    CREATE TABLE IF NOT EXISTS progress_answers (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        section TEXT NOT NULL,
        correct INTEGER NOT NULL,
        points INTEGER NOT NULL,
        source TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS progress_answers_user ON progress_answers (server, user_id, at);
    CREATE TABLE IF NOT EXISTS progress_labs (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        lab_id TEXT NOT NULL,
        step TEXT NOT NULL,
        completed INTEGER NOT NULL,
        points INTEGER NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (server, user_id, lab_id, step)
    );
"""),
)

Who = Context | tuple[str, str]


def _key(who: Who) -> tuple[str, str]:
    return who.key if isinstance(who, Context) else (str(who[0]), str(who[1]))


@dataclass(frozen=True)
class Activity:
    """One student's recorded history, as the reports need it."""
    server: str
    user: str
    name: str
    answers: int
    correct: int
    points: int
    points_week: int
    labs_done: tuple[str, ...]
    lab_steps: int
    commands: int
    last_seen: float | None
    days: frozenset[date]

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None


FLUSH_SECONDS = 5.0         # command counts are written in batches: one transaction, not three a command
FLUSH_SIZE = 500


class Progress:
    def __init__(self, router: Router, store: Store):
        self.router = router
        self.store = store
        self._users: dict[tuple[str, str], list] = {}           # (server, user) -> [name, count, first, last]
        self._commands: dict[tuple[str, str, str], list] = {}   # (server, user, command) -> [count, last]
        self._days: set[tuple[str, str, str]] = set()
        self._written_days: set[tuple[str, str, str]] = set()
        self._oldest: float | None = None                        # monotonic time of the oldest unwritten count

    def now(self) -> float:
        return (self.router.services.get("clock") or time.time)()

    # -- recording ---------------------------------------------------------------------------------

    async def record_command(self, ctx: Context, at: float | None = None) -> None:
        """Count a command in memory; the counts reach the database in batches (every few seconds,
        before any report reads them, and at shutdown)."""
        at = self.now() if at is None else at
        server, user = ctx.key
        entry = self._users.setdefault((server, user), [ctx.msg.display, 0, at, at])
        entry[0], entry[1], entry[3] = ctx.msg.display, entry[1] + 1, at
        command = self._commands.setdefault((server, user, ctx.command), [0, at])
        command[0], command[1] = command[0] + 1, at
        if ctx.command not in NOT_PRACTICE:
            day = (server, user, day_of(at).isoformat())
            if day not in self._written_days:
                self._days.add(day)
        if self._oldest is None:
            self._oldest = time.monotonic()
        if len(self._commands) >= FLUSH_SIZE or time.monotonic() - self._oldest >= FLUSH_SECONDS:
            await self.flush()

    async def flush(self) -> None:
        """Write the buffered command counts (three statements, each one transaction)."""
        users, commands, days = self._users, self._commands, self._days
        if not (users or commands or days):
            return
        self._users, self._commands, self._days, self._oldest = {}, {}, set(), None
        await self.store.executemany(
            "INSERT INTO progress_users (server, user_id, user_name, commands, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (server, user_id) DO UPDATE SET "
            "user_name = excluded.user_name, commands = progress_users.commands + excluded.commands, "
            "last_seen = excluded.last_seen",
            [(s, u, name, n, first, last) for (s, u), (name, n, first, last) in users.items()])
        await self.store.executemany(
            "INSERT INTO progress_commands (server, user_id, command, count, last_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (server, user_id, command) DO UPDATE SET count = progress_commands.count + excluded.count, "
            "last_at = excluded.last_at", [(s, u, c, n, last) for (s, u, c), (n, last) in commands.items()])
        if days:
            await self.store.executemany(
                "INSERT INTO progress_days (server, user_id, day) VALUES (?, ?, ?) "
                "ON CONFLICT (server, user_id, day) DO NOTHING", sorted(days))
            self._written_days |= days

    async def aclose(self) -> None:
        await self.flush()

    async def record_quiz(self, who: Who, question_id: str, section: str, correct: bool, *, points: int = 0,
                          source: str = "personal", at: float | None = None) -> None:
        at = self.now() if at is None else at
        server, user = _key(who)
        await self.store.execute(
            "INSERT INTO progress_answers (server, user_id, question_id, section, correct, points, source, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (server, user, question_id, section, int(correct), points, source, at))
        await self._practised(server, user, at)

    async def record_lab(self, who: Who, lab_id: str, step: str | int, *, completed: bool = False,
                         points: int = LAB_STEP_POINTS, at: float | None = None) -> bool:
        """A lab step was checked off; `completed=True` on the step that finishes the lab.
        Idempotent per (lab, step): returns False, and awards nothing, when already recorded."""
        at = self.now() if at is None else at
        server, user = _key(who)
        if await self.store.fetchone(
                "SELECT 1 FROM progress_labs WHERE server = ? AND user_id = ? AND lab_id = ? AND step = ?",
                (server, user, lab_id, str(step))):
            return False
        await self.store.execute(
            "INSERT INTO progress_labs (server, user_id, lab_id, step, completed, points, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (server, user, lab_id, str(step), int(completed), points, at))
        await self._practised(server, user, at)
        return True

    async def _practised(self, server: str, user: str, at: float) -> None:
        await self.store.execute(
            "INSERT INTO progress_days (server, user_id, day) VALUES (?, ?, ?) "
            "ON CONFLICT (server, user_id, day) DO NOTHING", (server, user, day_of(at).isoformat()))

    async def observe(self, ctx: Context, replies) -> None:
        """router.observers: every handled command counts, with its time."""
        await self.record_command(ctx)

    # -- reading -----------------------------------------------------------------------------------

    async def labs_done(self, who: Who) -> list[str]:
        await self.flush()
        server, user = _key(who)
        rows = await self.store.fetchall(
            "SELECT lab_id FROM progress_labs WHERE server = ? AND user_id = ? AND completed = 1 ORDER BY at",
            (server, user))
        return [r[0] for r in rows]

    async def students(self, server: str) -> list[str]:
        await self.flush()
        """Everyone with any recorded activity on the server, in order of first appearance."""
        rows = await self.store.fetchall(
            "SELECT user_id FROM progress_users WHERE server = ? UNION "
            "SELECT user_id FROM progress_answers WHERE server = ? UNION "
            "SELECT user_id FROM progress_labs WHERE server = ?", (server, server, server))
        first = dict(await self.store.fetchall(
            "SELECT user_id, first_seen FROM progress_users WHERE server = ?", (server,)))
        return sorted((r[0] for r in rows), key=lambda u: (first.get(u, float("inf")), u))

    async def activity(self, server: str, user: str, week_from: float) -> Activity:
        await self.flush()
        person = await self.store.fetchone(
            "SELECT user_name, commands, last_seen FROM progress_users WHERE server = ? AND user_id = ?",
            (server, user))
        quiz = await self.store.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(correct), 0), COALESCE(SUM(points), 0), "
            "COALESCE(SUM(CASE WHEN at >= ? THEN points ELSE 0 END), 0) "
            "FROM progress_answers WHERE server = ? AND user_id = ?", (week_from, server, user))
        labs = await self.store.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(points), 0), COALESCE(SUM(CASE WHEN at >= ? THEN points ELSE 0 END), 0) "
            "FROM progress_labs WHERE server = ? AND user_id = ?", (week_from, server, user))
        days = await self.store.fetchall(
            "SELECT day FROM progress_days WHERE server = ? AND user_id = ?", (server, user))
        name, commands, last_seen = person if person else (user, 0, None)
        return Activity(server, user, name, quiz[0], quiz[1], quiz[2] + labs[1], quiz[3] + labs[2],
                        tuple(await self.labs_done((server, user))), labs[0], commands, last_seen,
                        frozenset(date.fromisoformat(d[0]) for d in days))
