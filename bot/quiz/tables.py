"""The quiz's tables, registered as a migration when the package is imported."""
from __future__ import annotations

import asyncio
import weakref

from engine.store import Migration, Store

# This feature's tables (bot/wiring.py hands every feature's list to the store).
MIGRATIONS: tuple[Migration, ...] = (
    ("quiz_0001_tables", """
    CREATE TABLE IF NOT EXISTS quiz_cards (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        repetitions INTEGER NOT NULL,
        ease REAL NOT NULL,
        interval_days REAL NOT NULL,
        due REAL NOT NULL,
        lapses INTEGER NOT NULL,
        reviews INTEGER NOT NULL,
        PRIMARY KEY (server, user_id, question_id)
    );
    CREATE TABLE IF NOT EXISTS quiz_open (
        id INTEGER PRIMARY KEY,
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        layout TEXT NOT NULL,
        asked_at REAL NOT NULL,
        scored INTEGER NOT NULL,
        UNIQUE (server, user_id)
    );
    CREATE TABLE IF NOT EXISTS quiz_schedules (
        id INTEGER PRIMARY KEY,
        server TEXT NOT NULL,
        channel TEXT NOT NULL,
        every_seconds REAL,
        daily TEXT,
        topic TEXT,
        timer_seconds REAL NOT NULL,
        next_at REAL NOT NULL,
        created_by TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS quiz_posts (
        id INTEGER PRIMARY KEY,
        server TEXT NOT NULL,
        channel TEXT NOT NULL,
        schedule_id INTEGER,
        question_id TEXT NOT NULL,
        layout TEXT NOT NULL,
        lang TEXT NOT NULL,
        posted_at REAL NOT NULL,
        reveal_at REAL NOT NULL,
        revealed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS quiz_posts_open ON quiz_posts (revealed, reveal_at);
    CREATE TABLE IF NOT EXISTS quiz_post_answers (
        post_id INTEGER NOT NULL REFERENCES quiz_posts(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        correct INTEGER NOT NULL,
        points INTEGER NOT NULL,
        answered_at REAL NOT NULL,
        PRIMARY KEY (post_id, user_id)
    );
"""),
)

_id_locks: "weakref.WeakKeyDictionary[Store, asyncio.Lock]" = weakref.WeakKeyDictionary()


async def insert_with_id(store: Store, table: str, row: dict) -> int:
    """Insert `row` under the next free id and return it (the Store interface has no lastrowid;
    one lock keeps two inserts in this process from taking the same id)."""
    async with _id_locks.setdefault(store, asyncio.Lock()):
        found = await store.fetchone(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        new_id = int(found[0])
        columns = ["id", *row]
        await store.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                            [new_id, *row.values()])
        return new_id
