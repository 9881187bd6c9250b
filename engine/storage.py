"""Choose the storage backend from configuration: SQLite for a path, PostgreSQL for a URL.

    store = await open_store("kubetutor.db")                      # SQLite file
    store = await open_store("sqlite:///var/lib/kubetutor.db")     # the same, as a URL
    store = await open_store("postgresql://bot@db/kubetutor")      # PostgreSQL (asyncpg)
"""
from __future__ import annotations

import os
from typing import Sequence

from engine.store import SCHEMA, Migration, Store, StoreBase

PG_SCHEMES = ("postgresql://", "postgres://")


class MissingDriver(RuntimeError):
    """The configured database needs a driver that is not installed; str() says what to install."""


def is_postgres(url_or_path: str | os.PathLike[str]) -> bool:
    return str(url_or_path).startswith(PG_SCHEMES)


async def open_store(url_or_path: str | os.PathLike[str], *, migrate: bool = True,
                     migrations: Sequence[Migration] = SCHEMA, inline: bool = False) -> StoreBase:
    """`migrations`: the whole schema to bring the database up to (bot/wiring.py's for the bot);
    inline: SQLite statements on the caller's thread (an engine worker, see Store.open)."""
    if is_postgres(url_or_path):
        try:
            from engine.store_pg import PgStore      # asyncpg is only needed when PostgreSQL is configured
        except ImportError as exc:
            raise MissingDriver("PostgreSQL needs the asyncpg driver: pip install 'kubetutor[postgres]' "
                                f"({exc}).") from exc
        return await PgStore.open(str(url_or_path), migrate=migrate, migrations=migrations)
    return await Store.open(url_or_path, migrations, inline=inline)
