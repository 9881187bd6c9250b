"""Who is in which lab, at which step: one row per (server, user), plus the labs each one finished.

Progress points live in bot/progress; this table only keeps what the lab engine needs to go on
(the current step, hints shown, the step's and the lab's baselines, the lab's command log, the
skipped steps) and the ✅/⏭️ marks of `!lab list`. `labs_events` records every start, hint, skip,
passed step and end, for the class's lab funnel (bot/labs/funnel.py).
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from engine.store import Migration, Store

# This feature's tables (bot/wiring.py hands every feature's list to the store).
MIGRATIONS: tuple[Migration, ...] = (
    ("labs_0001_sessions", """
    CREATE TABLE IF NOT EXISTS labs_sessions (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        lab_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        hints INTEGER NOT NULL,
        baseline TEXT NOT NULL,
        started_at REAL NOT NULL,
        PRIMARY KEY (server, user_id)
    );
    CREATE TABLE IF NOT EXISTS labs_finished (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        lab_id TEXT NOT NULL,
        finished_at REAL NOT NULL,
        PRIMARY KEY (server, user_id, lab_id)
    );
"""),
    ("labs_0002_evidence", """
    ALTER TABLE labs_sessions ADD COLUMN state TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE labs_finished ADD COLUMN status TEXT NOT NULL DEFAULT 'completed';
    CREATE TABLE IF NOT EXISTS labs_events (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        lab_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        event TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS labs_events_server ON labs_events (server, lab_id);
"""),
)

Key = tuple[str, str]
EVENTS = ("start", "hint", "skip", "pass", "completed", "skipped", "stop")


@dataclass
class Session:
    key: Key
    lab_id: str
    step: int = 0                      # 0-based index of the current step
    hints: int = 0                     # hints shown for the current step
    baseline: list[str] = field(default_factory=list)
    started_at: float = 0.0
    start: list[str] = field(default_factory=list)      # uids when the lab began, for `fresh`
    log: list[dict] = field(default_factory=list)       # bot/labs/evidence.py
    skipped: list[int] = field(default_factory=list)    # 1-based numbers of skipped steps

    def state(self) -> str:
        return json.dumps({"start": self.start, "log": self.log, "skipped": self.skipped})

    def load_state(self, text: str) -> None:
        data = json.loads(text or "{}")
        self.start, self.log, self.skipped = data.get("start", []), data.get("log", []), data.get("skipped", [])


class Sessions:
    """Lab sessions in their table, with a read-through cache: the observer asks after every
    command whether the student is in a lab, and the answer is almost always the same."""

    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[Key, Session | None] = {}

    async def get(self, key: Key) -> Session | None:
        if key in self._cache:
            cached = self._cache[key]
            return None if cached is None else copy.deepcopy(cached)
        row = await self.store.fetchone(
            "SELECT lab_id, step, hints, baseline, started_at, state FROM labs_sessions "
            "WHERE server = ? AND user_id = ?", key)
        session = None if row is None else Session(key, row[0], row[1], row[2], json.loads(row[3]), row[4])
        if session is not None:
            session.load_state(row[5])
        self._cache[key] = session
        return None if session is None else copy.deepcopy(session)

    async def save(self, s: Session) -> None:
        await self.store.execute(
            "INSERT INTO labs_sessions (server, user_id, lab_id, step, hints, baseline, started_at, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (server, user_id) DO UPDATE SET lab_id = excluded.lab_id, "
            "step = excluded.step, hints = excluded.hints, baseline = excluded.baseline, "
            "started_at = excluded.started_at, state = excluded.state",
            (*s.key, s.lab_id, s.step, s.hints, json.dumps(s.baseline), s.started_at, s.state()))
        self._cache[s.key] = copy.deepcopy(s)

    async def clear(self, key: Key) -> None:
        await self.store.execute("DELETE FROM labs_sessions WHERE server = ? AND user_id = ?", key)
        self._cache[key] = None

    async def finish(self, key: Key, lab_id: str, at: float, status: str = "completed") -> None:
        """The lab ended: `completed`, or `skipped` when a step was skipped (a later completion wins)."""
        await self.store.execute(
            "INSERT INTO labs_finished (server, user_id, lab_id, finished_at, status) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (server, user_id, lab_id) DO UPDATE SET finished_at = excluded.finished_at, "
            "status = CASE WHEN labs_finished.status = 'completed' THEN 'completed' ELSE excluded.status END",
            (*key, lab_id, at, status))
        await self.clear(key)

    async def finished(self, key: Key, status: str = "completed") -> set[str]:
        rows = await self.store.fetchall(
            "SELECT lab_id FROM labs_finished WHERE server = ? AND user_id = ? AND status = ?", (*key, status))
        return {r[0] for r in rows}

    async def event(self, key: Key, lab_id: str, step: int, event: str, at: float) -> None:
        assert event in EVENTS, event
        await self.store.execute(
            "INSERT INTO labs_events (server, user_id, lab_id, step, event, at) VALUES (?, ?, ?, ?, ?, ?)",
            (*key, lab_id, step, event, at))

    async def events(self, server: str) -> list[tuple[str, str, int, str]]:
        """(user, lab, step, event) of a server, oldest first."""
        rows = await self.store.fetchall(
            "SELECT user_id, lab_id, step, event FROM labs_events WHERE server = ? ORDER BY at", (server,))
        return [(r[0], r[1], int(r[2]), r[3]) for r in rows]
