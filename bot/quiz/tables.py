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
    # SM-2 cards become FSRS cards (bot/quiz/srs.py). SM-2's interval was chosen so the card would
    # still be recalled when due, which is what FSRS calls stability (the days until recall falls to
    # 90%), so the interval carries over, capped at the default course length (early practice may
    # have inflated it); the ease maps linearly onto FSRS difficulty (2.5 -> 5, 1.3 -> 9, clamped to
    # 1..10); a card SM-2 had reset after a lapse is relearning. Every answer is logged from now on,
    # with the choice made, for FSRS's early-practice rule and the per-question statistics.
    ("quiz_0002_fsrs", """
    CREATE TABLE IF NOT EXISTS quiz_srs (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due REAL NOT NULL,
        last_review REAL,
        reviews INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        PRIMARY KEY (server, user_id, question_id)
    );
    INSERT INTO quiz_srs (server, user_id, question_id, state, step, stability, difficulty, due, last_review,
                          reviews, lapses)
    SELECT server, user_id, question_id,
           CASE WHEN repetitions = 0 THEN 3 ELSE 2 END,
           CASE WHEN repetitions = 0 THEN 0 ELSE NULL END,
           CASE WHEN interval_days < 1 THEN 1.0 WHEN interval_days > 90 THEN 90.0 ELSE interval_days END,
           CASE WHEN ease >= 3.7 THEN 1.0 WHEN ease <= 1.0 THEN 10.0
                ELSE 5.0 + (2.5 - ease) * 10.0 / 3.0 END,
           due,
           CASE WHEN repetitions = 0 THEN due - 600 ELSE due - interval_days * 86400 END,
           reviews, lapses
    FROM quiz_cards;
    DROP TABLE quiz_cards;
    CREATE TABLE IF NOT EXISTS quiz_answer_log (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        at REAL NOT NULL,
        correct INTEGER NOT NULL,
        choice TEXT NOT NULL,
        seconds REAL,
        rating INTEGER NOT NULL,
        early INTEGER NOT NULL,
        source TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS quiz_answer_log_question ON quiz_answer_log (server, question_id);
    ALTER TABLE quiz_post_answers ADD COLUMN choice TEXT NOT NULL DEFAULT '';
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
