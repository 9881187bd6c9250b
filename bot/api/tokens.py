"""Bearer tokens: one per (server, student). Only a hash is stored; `!kubeconfig` shows the token
once (a new one each time, which revokes the old), `!kubeconfig revoke` leaves none."""
from __future__ import annotations

import hashlib
import secrets

from engine.store import Migration

MIGRATIONS: tuple[Migration, ...] = (
    ("api_0002_tokens", """
        CREATE TABLE IF NOT EXISTS api_tokens (
            token_hash TEXT PRIMARY KEY,
            server TEXT NOT NULL,
            user_id TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS api_tokens_owner ON api_tokens(server, user_id);
    """),
)

PREFIX = "kt1_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(store, server: str, user: str, now: float) -> str:
    """A fresh token for this student; every older one stops working."""
    await revoke(store, server, user)
    token = PREFIX + secrets.token_urlsafe(32)
    await store.execute("INSERT INTO api_tokens (token_hash, server, user_id, created_at) VALUES (?, ?, ?, ?)",
                        (_hash(token), server, user, now))
    return token


async def revoke(store, server: str, user: str) -> int:
    return await store.execute("DELETE FROM api_tokens WHERE server = ? AND user_id = ?", (server, user))


async def owner(store, token: str) -> tuple[str, str] | None:
    """(server, user) the token belongs to, or None."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = await store.fetchone("SELECT server, user_id FROM api_tokens WHERE token_hash = ?", (_hash(token),))
    return (row[0], row[1]) if row else None
