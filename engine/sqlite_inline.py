"""aiosqlite's interface over a plain sqlite3 connection, run inline on the caller's thread.

aiosqlite hands every statement to a thread of its own, which keeps a shared event loop free.
An engine worker runs one command at a time and has nothing else to keep free, so there the
hand-offs (two thread wake-ups per statement) are pure cost; Store.open(inline=True) uses this.
"""
from __future__ import annotations

import sqlite3
from typing import Any, Callable, Iterable


class _Cursor:
    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor
        self.lastrowid = cursor.lastrowid
        self.rowcount = cursor.rowcount

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class _Result:
    """Awaitable (the cursor) and an async context manager (closing it), as aiosqlite's is."""

    def __init__(self, run: Callable[[], sqlite3.Cursor]):
        self._run = run
        self._cursor: _Cursor | None = None

    def __await__(self):
        return self._start().__await__()

    async def _start(self) -> _Cursor:
        self._cursor = _Cursor(self._run())
        return self._cursor

    async def __aenter__(self) -> _Cursor:
        return await self._start()

    async def __aexit__(self, *exc) -> None:
        await self._cursor.close()


class InlineConnection:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _Result:
        return _Result(lambda: self._conn.execute(sql, tuple(params)))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> _Result:
        return _Result(lambda: self._conn.executemany(sql, rows))

    def executescript(self, sql: str) -> _Result:
        return _Result(lambda: self._conn.executescript(sql))

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self._conn.close()


def connect(path: str) -> InlineConnection:
    return InlineConnection(sqlite3.connect(path))
