"""`kubetutor migrate | export | import`: the schema, and moving classes between SQLite and PostgreSQL.

    kubetutor migrate --db postgresql://bot@db/kubetutor
    kubetutor export --db ~/.local/share/kubetutor/kubetutor.db [--server GUILD] > class.jsonl
    kubetutor import --db postgresql://bot@db/kubetutor < class.jsonl

The export is JSON lines: a header line, then one {"table": …, "row": {column: value}} per row,
parents before children. Import creates the schema first, then inserts the rows table by table;
integer ids are shifted past the target's largest id (and the references to them with them), so a
class can join a database that already serves other classes.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from bot import wiring
from engine.storage import MissingDriver, is_postgres, open_store
from engine.store import _ident, default_db_path

COMMANDS = ("migrate", "export", "import")
FORMAT = "kubetutor-export/1"

# Rows that belong to a class through a parent row rather than a `server` column, and the other
# integer references to `id` columns: (table, column) -> parent table.
REFERENCES: dict[tuple[str, str], str] = {
    ("objects", "sandbox_id"): "sandboxes",
    ("quiz_post_answers", "post_id"): "quiz_posts",
    ("quiz_posts", "schedule_id"): "quiz_schedules",
}
SKIP_TABLES = {"schema_migrations"}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    db_help = "database: a path, sqlite:///path or postgresql://… (default $KUBETUTOR_DB or the user data dir)"
    migrate = sub.add_parser("migrate", help="create or upgrade the database schema")
    migrate.add_argument("--db", default=None, help=db_help)
    export = sub.add_parser("export", help="write every table (or one class's rows) as JSON lines")
    export.add_argument("--db", default=None, help=db_help)
    export.add_argument("--server", default=None, help="only this chat server's (class's) data")
    export.add_argument("--out", default="-", help="file to write (default: standard output)")
    imp = sub.add_parser("import", help="load JSON lines written by `kubetutor export`")
    imp.add_argument("--db", default=None, help=db_help)
    imp.add_argument("--in", dest="input", default="-", help="file to read (default: standard input)")


def run(args: argparse.Namespace) -> int:
    db = str(args.db or default_db_path())
    try:
        if args.cmd == "migrate":
            names = asyncio.run(migrate(db))
            print(f"schema up to date: {len(names)} migrations")
            return 0
        if args.cmd == "export":
            with _open(args.out, "w") as out:
                counts = asyncio.run(export(db, out, server=args.server))
        else:
            with _open(args.input, "r") as inp:
                counts = asyncio.run(import_(db, inp))
    except (ValueError, OSError, MissingDriver) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    verb = "exported" if args.cmd == "export" else "imported"
    print(f"{verb} {sum(counts.values())} rows from {len(counts)} tables", file=sys.stderr)
    return 0


async def _store(db: str):
    """The database with every table of every feature (bot/wiring.py)."""
    return await open_store(db, migrations=wiring.SCHEMA)


async def migrate(db: str) -> list[str]:
    store = await _store(db)
    try:
        return [r[0] for r in await store.fetchall("SELECT name FROM schema_migrations ORDER BY name")]
    finally:
        await store.close()


async def export(db: str, out: IO[str], *, server: str | None = None) -> dict[str, int]:
    """Every row as JSON lines. A SQLite database is first copied with SQLite's online backup
    (a consistent snapshot even while the bot writes), so an export of a live class is whole."""
    if is_postgres(db):
        return await _export(db, out, server)
    with tempfile.TemporaryDirectory(prefix="kubetutor-export-") as tmp:
        snapshot = str(Path(tmp) / "snapshot.db")
        _sqlite_snapshot(db, snapshot)
        return await _export(snapshot, out, server)


def _sqlite_snapshot(db: str, target: str) -> None:
    path = db.removeprefix("sqlite:///")          # the same spelling engine/store.py accepts
    if not Path(path).exists():
        raise ValueError(f"no database at {path}")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


async def _export(db: str, out: IO[str], server: str | None) -> dict[str, int]:
    store = await _store(db)
    counts: dict[str, int] = {}
    try:
        tables = _parents_first([t for t in await store.tables() if t not in SKIP_TABLES])
        out.write(json.dumps({"format": FORMAT, "server": server, "tables": tables}) + "\n")
        for table in tables:
            columns = await store.columns(table)
            where, params = _class_filter(table, columns, server)
            if where is None:
                continue
            sql = (f"SELECT {', '.join(map(_ident, columns))} FROM {_ident(table)}{where} "
                   f"ORDER BY {', '.join(str(i + 1) for i in range(len(columns)))}")
            counts[table] = 0
            for row in await store.fetchall(sql, params):
                out.write(json.dumps({"table": table, "row": dict(zip(columns, row))}, ensure_ascii=False) + "\n")
                counts[table] += 1
    finally:
        await store.close()
    return counts


async def import_(db: str, inp: IO[str]) -> dict[str, int]:
    header = json.loads(inp.readline() or "{}")
    if header.get("format") != FORMAT:
        raise ValueError("not a kubetutor export (the first line names the format)")
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in header["tables"]}
    for number, line in enumerate(inp, start=2):
        if line.strip():
            item = json.loads(line)
            if item.get("table") not in rows:
                raise ValueError(f"line {number}: table {item.get('table')!r} is not in the header")
            rows[item["table"]].append(item["row"])
    store = await _store(db)
    counts: dict[str, int] = {}
    try:
        present = set(await store.tables())
        if missing := [t for t in rows if rows[t] and t not in present]:
            raise ValueError(f"the target database has no table {', '.join(missing)}: "
                             "is this export from a newer kubetutor?")
        shift = {t: await _largest_id(store, t) for t in rows if rows[t] and "id" in rows[t][0]}
        for table in _parents_first(list(rows)):
            if not rows[table]:
                continue
            columns = list(rows[table][0])
            if unknown := set(columns) - set(await store.columns(table)):
                raise ValueError(f"table {table} has no column {', '.join(sorted(unknown))} here")
            moved = [[_shifted(table, col, row[col], shift) for col in columns] for row in rows[table]]
            await store.executemany(f"INSERT INTO {_ident(table)} ({', '.join(map(_ident, columns))}) "
                                    f"VALUES ({', '.join('?' * len(columns))})", moved)
            counts[table] = len(moved)
        if hasattr(store, "reset_identities"):
            await store.reset_identities()
    finally:
        await store.close()
    return counts


def _class_filter(table: str, columns: list[str], server: str | None) -> tuple[str | None, tuple]:
    """The WHERE clause selecting one class's rows; None when the table cannot be tied to a class."""
    if server is None:
        return "", ()
    if "server" in columns:
        return " WHERE server = ?", (server,)
    for (child, column), parent in REFERENCES.items():
        if child == table:
            return f" WHERE {_ident(column)} IN (SELECT id FROM {_ident(parent)} WHERE server = ?)", (server,)
    print(f"warning: {table} has no server column; not exported with --server", file=sys.stderr)
    return None, ()


def _parents_first(tables: list[str]) -> list[str]:
    children = {child for child, _ in REFERENCES}
    parents = {parent for parent in REFERENCES.values()}
    return sorted(tables, key=lambda t: (t in children and t not in parents, t in children, t))


async def _largest_id(store, table: str) -> int:
    row = await store.fetchone(f"SELECT COALESCE(MAX(id), 0) FROM {_ident(table)}")
    return int(row[0]) if row else 0


def _shifted(table: str, column: str, value: Any, shift: dict[str, int]) -> Any:
    if value is None:
        return None
    if column == "id" and table in shift and isinstance(value, int):
        return value + shift[table]
    parent = REFERENCES.get((table, column))
    return value + shift.get(parent, 0) if parent else value


class _open:
    """`-` for standard input/output, else a UTF-8 file."""

    def __init__(self, name: str, mode: str):
        self.name, self.mode, self.file = name, mode, None

    def __enter__(self) -> IO[str]:
        if self.name == "-":
            return sys.stdout if self.mode == "w" else sys.stdin
        self.file = open(self.name, self.mode, encoding="utf-8")
        return self.file

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            self.file.close()
