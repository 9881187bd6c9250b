"""Persistence behind a small interface; this module is the SQLite backend (aiosqlite).

A sandbox is one `sandboxes` row (clock, RNG, timers, node facts as JSON) plus one
`objects` row per API object, so a command writes only the objects it changed.
Teaching features keep their own tables in the same database, declared as named
migrations in SQLite's dialect and handed to `open` (see bot/wiring.py); engine/store_pg.py runs the
same interface on PostgreSQL and translates that DDL. Choose a backend with
engine.storage.open_store(url_or_path).

Each sandbox row carries a version. A store remembers the version it last read or wrote
for each sandbox; saving over a version changed by another process raises SandboxConflict
(nothing is written), so a stale cached copy can never overwrite a newer sandbox.
"""
from __future__ import annotations

import asyncio
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import aiosqlite

ObjectKey = tuple[str, str, str]          # (kind, namespace, name); namespace "" when cluster-scoped

Migration = tuple[str, str]               # (unique name, SQL in SQLite's dialect)

# The engine's own tables. Teaching features list theirs beside their code; bot/wiring.py
# gathers them all and opens the store with the whole list. Applied once each, in order.
SCHEMA: tuple[Migration, ...] = (
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
    ("engine_0003_sandbox_version", """
        ALTER TABLE sandboxes ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    """),
    ("engine_0002_resets", """
        CREATE TABLE IF NOT EXISTS sandbox_resets (server TEXT NOT NULL, user_id TEXT NOT NULL, at REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS sandbox_resets_key ON sandbox_resets(server, user_id);
    """),
)


def default_db_path() -> Path | str:
    """$KUBETUTOR_DB (a path, sqlite:///path or postgresql://… URL, kept as text), else the user data dir."""
    if env := os.environ.get("KUBETUTOR_DB"):
        return env if "://" in env else Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "kubetutor" / "kubetutor.db"


class StoreBusy(Exception):
    """The database cannot take this command right now (restarting, unreachable, a conflicting
    writer); nothing of the command was written and sending it again is safe."""

    text = "The database is busy or restarting; nothing was changed. Please try again in a moment."

    def __str__(self) -> str:
        return self.text + (f" ({self.args[0]})" if self.args else "")


class SandboxConflict(StoreBusy):
    """Another process changed this sandbox since this process read it."""


def first_version() -> int:
    """A new sandbox row starts at a random version: SQLite may give a reset sandbox the id of the
    deleted one, and (id, version) must still tell the two apart for a cache elsewhere."""
    return secrets.randbits(40)


@dataclass
class SandboxRow:
    id: int
    meta: dict[str, Any]
    objects: dict[ObjectKey, dict[str, Any]]


class StoreBase:
    """What both backends share: the sandbox version bookkeeping and the SQL-only helpers."""

    def __init__(self) -> None:
        self._versions: dict[int, int] = {}

    def _expected_version(self, sandbox_id: int, found: int | None) -> int:
        """Check the row's current version against the one this store last saw; raise if changed."""
        if found is None:
            raise SandboxConflict(f"sandbox {sandbox_id} was deleted elsewhere")
        expected = self._versions.get(sandbox_id, found)
        if found != expected:
            self._versions.pop(sandbox_id, None)
            raise SandboxConflict(f"sandbox {sandbox_id} changed elsewhere")
        return found

    def known_version(self, sandbox_id: int) -> int | None:
        """The version this store last read or wrote for the sandbox (None: never seen)."""
        return self._versions.get(sandbox_id)

    async def list_sandboxes(self, server: str | None = None) -> list[tuple[str, str, float]]:
        sql = "SELECT server, user_id, updated_at FROM sandboxes"
        params: tuple = ()
        if server is not None:
            sql += " WHERE server = ?"
            params = (server,)
        return [tuple(r) for r in await self.fetchall(sql + " ORDER BY server, user_id", params)]

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:   # pragma: no cover
        raise NotImplementedError


class Store(StoreBase):
    """The SQLite backend: a single connection, serialised by a lock."""

    backend = "sqlite"

    def __init__(self, conn: aiosqlite.Connection):
        super().__init__()
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | os.PathLike[str], migrations: Sequence[Migration] = SCHEMA, *,
                   inline: bool = False) -> "Store":
        """inline: statements run on the caller's thread (engine/sqlite_inline.py), for a process
        with nothing else to do meanwhile (an engine worker)."""
        path = str(path)
        if path.startswith("sqlite:///"):
            path = path[len("sqlite:///"):]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if inline:
            from engine import sqlite_inline
            conn = sqlite_inline.connect(path)
        else:
            pending = aiosqlite.connect(path)
            # A connection someone forgot to close must not keep the process alive at exit
            # (aiosqlite's worker thread is not a daemon); committed data is safe either way.
            worker = getattr(pending, "_thread", None)
            if worker is not None:
                worker.daemon = True
            conn = await pending
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA busy_timeout=10000")
        await conn.execute("PRAGMA foreign_keys=ON")
        store = cls(conn)
        await store.migrate(migrations)
        return store

    async def close(self) -> None:
        await self._conn.close()

    async def migrate(self, migrations: Sequence[Migration] = SCHEMA) -> None:
        async with self._lock:
            await self._conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)")
            async with self._conn.execute("SELECT name FROM schema_migrations") as cur:
                done = {row[0] for row in await cur.fetchall()}
            for name, sql in migrations:
                if name in done:
                    continue
                # The migration's row first, under the write lock: a process starting at the same
                # moment waits, then finds the row taken and skips what this one applied.
                try:
                    await self._conn.executescript(
                        f"BEGIN IMMEDIATE;\nINSERT INTO schema_migrations(name) VALUES ('{name}');\n{sql}\nCOMMIT;")
                except aiosqlite.IntegrityError:
                    await self._conn.rollback()
                except BaseException:
                    await self._conn.rollback()
                    raise

    # -- sandboxes -------------------------------------------------------------------------------

    async def load_sandbox(self, server: str, user: str) -> SandboxRow | None:
        async with self._lock:
            async with self._conn.execute(
                    "SELECT id, meta, version FROM sandboxes WHERE server = ? AND user_id = ?", (server, user)) as cur:
                row = await cur.fetchone()
            if row is None:
                return None
            sandbox_id, meta, version = row
            async with self._conn.execute(
                    "SELECT kind, namespace, name, body FROM objects WHERE sandbox_id = ?", (sandbox_id,)) as cur:
                objects = {(k, ns, n): json.loads(body) for k, ns, n, body in await cur.fetchall()}
        self._versions[sandbox_id] = version
        return SandboxRow(sandbox_id, json.loads(meta), objects)

    async def sandbox_version(self, server: str, user: str) -> tuple[int, int] | None:
        """(id, version) of the stored sandbox: one read on the (server, user_id) unique index."""
        return await self.fetchone("SELECT id, version FROM sandboxes WHERE server = ? AND user_id = ?",
                                   (server, user))

    async def create_sandbox(self, server: str, user: str, meta: dict, objects: dict[ObjectKey, dict],
                             now: float) -> int:
        version = first_version()
        async with self._lock:
            try:
                cur = await self._conn.execute(
                    "INSERT INTO sandboxes(server, user_id, meta, created_at, updated_at, version) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (server, user, _dumps(meta), now, now, version))
                sandbox_id = cur.lastrowid
                await self._conn.executemany(
                    "INSERT INTO objects(sandbox_id, kind, namespace, name, body) VALUES (?, ?, ?, ?, ?)",
                    [(sandbox_id, k, ns, n, _dumps(body)) for (k, ns, n), body in objects.items()])
                await self._conn.commit()
            except aiosqlite.IntegrityError as exc:    # another process created it first: load theirs
                await self._conn.rollback()
                raise SandboxConflict(f"sandbox {server}/{user} was created elsewhere") from exc
            except BaseException:
                await self._conn.rollback()
                raise
        self._versions[sandbox_id] = version
        return sandbox_id

    async def save_sandbox(self, sandbox_id: int, meta: dict, changed: dict[ObjectKey, dict | None],
                           now: float) -> None:
        """One transaction: the meta row plus the changed objects (None = deleted)."""
        upserts = [(sandbox_id, k, ns, n, _dumps(body)) for (k, ns, n), body in changed.items() if body is not None]
        deletes = [(sandbox_id, k, ns, n) for (k, ns, n), body in changed.items() if body is None]
        async with self._lock:
            try:
                if self._conn.in_transaction:        # a statement outside these methods left one open
                    await self._conn.commit()
                # BEGIN IMMEDIATE takes SQLite's write lock before the version is read (its row lock).
                await self._conn.execute("BEGIN IMMEDIATE")
                async with self._conn.execute("SELECT version FROM sandboxes WHERE id = ?", (sandbox_id,)) as cur:
                    found = await cur.fetchone()
                version = self._expected_version(sandbox_id, found[0] if found else None)
                await self._conn.execute("UPDATE sandboxes SET meta = ?, updated_at = ?, version = ? WHERE id = ?",
                                         (_dumps(meta), now, version + 1, sandbox_id))
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
        self._versions[sandbox_id] = version + 1

    async def delete_sandbox(self, server: str, user: str) -> bool:
        async with self._lock:
            cur = await self._conn.execute("DELETE FROM sandboxes WHERE server = ? AND user_id = ?", (server, user))
            await self._conn.commit()
            return cur.rowcount > 0

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

    # -- schema introspection (export/import) ------------------------------------------------------

    async def tables(self) -> list[str]:
        rows = await self.fetchall("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite_%' ORDER BY name")
        return [r[0] for r in rows]

    async def columns(self, table: str) -> list[str]:
        return [r[1] for r in await self.fetchall(f"PRAGMA table_info({_ident(table)})")]


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _ident(name: str) -> str:
    """A table or column name from the schema itself, quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'
