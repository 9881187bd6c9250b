"""Persistence: one SQLite file (aiosqlite) behind a small interface.

A sandbox is one `sandboxes` row (clock, RNG, timers, node facts as JSON) plus one
`objects` row per API object, so a command writes only the objects it changed.
Teaching features keep their own tables in the same file and register their
schema as named migrations. SQL here stays portable (no SQLite-only upserts
beyond ON CONFLICT, which PostgreSQL shares) so a second backend can follow.
"""
from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import aiosqlite

ObjectKey = tuple[str, str, str]          # (kind, namespace, name); namespace "" when cluster-scoped

_MIGRATIONS: list[tuple[str, str]] = [
    ("engine_0001_sandboxes", """
        CREATE TABLE IF NOT EXISTS sandboxes (
            id INTEGER PRIMARY KEY,
            server TEXT NOT NULL,
            user_id TEXT NOT NULL,
            meta TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (server, user_id)
        );
        CREATE TABLE IF NOT EXISTS objects (
            sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (sandbox_id, kind, namespace, name)
        );
    """),
]


def register_migration(name: str, sql: str) -> None:
    """Teaching features add their tables here at import time; applied once, in order."""
    if all(existing != name for existing, _ in _MIGRATIONS):
        _MIGRATIONS.append((name, sql))


def default_db_path() -> Path:
    if env := os.environ.get("KUBETUTOR_DB"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "kubetutor" / "kubetutor.db"


@dataclass
class SandboxRow:
    id: int
    meta: dict[str, Any]
    objects: dict[ObjectKey, dict[str, Any]]


class Store:
    """The one writer path to the database: a single connection, serialised by a lock."""

    def __init__(self, conn: aiosqlite.Connection):
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | os.PathLike[str]) -> "Store":
        path = str(path)
        if path.startswith("sqlite:///"):
            path = path[len("sqlite:///"):]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path)
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA busy_timeout=10000")
        await conn.execute("PRAGMA foreign_keys=ON")
        store = cls(conn)
        await store.migrate()
        return store

    async def close(self) -> None:
        await self._conn.close()

    async def migrate(self) -> None:
        async with self._lock:
            await self._conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)")
            async with self._conn.execute("SELECT name FROM schema_migrations") as cur:
                done = {row[0] for row in await cur.fetchall()}
            for name, sql in list(_MIGRATIONS):
                if name in done:
                    continue
                await self._conn.executescript(f"BEGIN;\n{sql}\nINSERT INTO schema_migrations(name) VALUES ('{name}');\nCOMMIT;")

    # -- sandboxes -------------------------------------------------------------------------------

    async def load_sandbox(self, server: str, user: str) -> SandboxRow | None:
        async with self._lock:
            async with self._conn.execute(
                    "SELECT id, meta FROM sandboxes WHERE server = ? AND user_id = ?", (server, user)) as cur:
                row = await cur.fetchone()
            if row is None:
                return None
            sandbox_id, meta = row
            async with self._conn.execute(
                    "SELECT kind, namespace, name, body FROM objects WHERE sandbox_id = ?", (sandbox_id,)) as cur:
                objects = {(k, ns, n): json.loads(body) for k, ns, n, body in await cur.fetchall()}
        return SandboxRow(sandbox_id, json.loads(meta), objects)

    async def create_sandbox(self, server: str, user: str, meta: dict, objects: dict[ObjectKey, dict],
                             now: float) -> int:
        async with self._lock:
            try:
                cur = await self._conn.execute(
                    "INSERT INTO sandboxes(server, user_id, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    (server, user, _dumps(meta), now, now))
                sandbox_id = cur.lastrowid
                await self._conn.executemany(
                    "INSERT INTO objects(sandbox_id, kind, namespace, name, body) VALUES (?, ?, ?, ?, ?)",
                    [(sandbox_id, k, ns, n, _dumps(body)) for (k, ns, n), body in objects.items()])
                await self._conn.commit()
            except BaseException:
                await self._conn.rollback()
                raise
        return sandbox_id

    async def save_sandbox(self, sandbox_id: int, meta: dict, changed: dict[ObjectKey, dict | None],
                           now: float) -> None:
        """One transaction: the meta row plus the changed objects (None = deleted)."""
        upserts = [(sandbox_id, k, ns, n, _dumps(body)) for (k, ns, n), body in changed.items() if body is not None]
        deletes = [(sandbox_id, k, ns, n) for (k, ns, n), body in changed.items() if body is None]
        async with self._lock:
            try:
                await self._conn.execute("UPDATE sandboxes SET meta = ?, updated_at = ? WHERE id = ?",
                                         (_dumps(meta), now, sandbox_id))
                if deletes:
                    await self._conn.executemany(
                        "DELETE FROM objects WHERE sandbox_id = ? AND kind = ? AND namespace = ? AND name = ?",
                        deletes)
                if upserts:
                    await self._conn.executemany(
                        "INSERT INTO objects(sandbox_id, kind, namespace, name, body) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (sandbox_id, kind, namespace, name) DO UPDATE SET body = excluded.body",
                        upserts)
                await self._conn.commit()
            except BaseException:
                await self._conn.rollback()
                raise

    async def delete_sandbox(self, server: str, user: str) -> bool:
        async with self._lock:
            cur = await self._conn.execute("DELETE FROM sandboxes WHERE server = ? AND user_id = ?", (server, user))
            await self._conn.commit()
            return cur.rowcount > 0

    async def list_sandboxes(self, server: str | None = None) -> list[tuple[str, str, float]]:
        sql = "SELECT server, user_id, updated_at FROM sandboxes"
        params: tuple = ()
        if server is not None:
            sql += " WHERE server = ?"
            params = (server,)
        return [tuple(r) for r in await self.fetchall(sql + " ORDER BY server, user_id", params)]

    # -- generic access for the teaching features' own tables -------------------------------------

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        async with self._lock:
            try:
                cur = await self._conn.execute(sql, tuple(params))
                await self._conn.commit()
            except BaseException:
                await self._conn.rollback()
                raise
            return cur.rowcount

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        async with self._lock:
            try:
                await self._conn.executemany(sql, [tuple(r) for r in rows])
                await self._conn.commit()
            except BaseException:
                await self._conn.rollback()
                raise

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        async with self._lock:
            async with self._conn.execute(sql, tuple(params)) as cur:
                return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> tuple | None:
        async with self._lock:
            async with self._conn.execute(sql, tuple(params)) as cur:
                return await cur.fetchone()


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
