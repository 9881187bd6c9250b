"""The app: open the store, build the router, set up the features bot/wiring.py lists.

Front-ends (console, Discord) call `open_app` and then `app.router.handle(message)`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from bot import wiring
from bot.router import Router
from engine.storage import open_store
from engine.store import Store

log = logging.getLogger(__name__)


@dataclass
class App:
    router: Router
    store: Store

    async def close(self) -> None:
        for name, service in list(self.router.services.items()):
            closer = getattr(service, "aclose", None)
            if closer is not None and name != "store":
                await closer()
        await self.store.close()


async def open_app(db_path, *, clock: Callable[[], float] | None = None, prefix: str = "!",
                   rate_limit=..., extensions: tuple[str, ...] = wiring.EXTENSIONS,
                   forgive_unprefixed: bool = True, workers: int | None = None, start_workers: bool = False) -> App:
    """The store (with every table), then the chosen features in order (bot/wiring.py).
    workers: engine worker processes (None: $KUBETUTOR_WORKERS, else the CPU count; 0: in-process);
    start_workers: fork them now (front-ends) rather than at the first command (tests may patch first)."""
    kwargs = {} if rate_limit is ... else {"rate_limit": rate_limit}
    router = Router(prefix=prefix, forgive_unprefixed=forgive_unprefixed, **kwargs)
    chosen = wiring.features(extensions)
    store = await open_store(db_path, migrations=wiring.SCHEMA)
    router.services["store"] = store
    router.services["db"] = db_path              # what the engine workers open for themselves
    router.services["workers"] = workers
    if clock is not None:
        router.services["clock"] = clock
    for feature in chosen:
        result = feature.setup(router)
        if hasattr(result, "__await__"):
            await result
    if start_workers and "sandboxes" in router.services:
        router.services["sandboxes"].start()
    return App(router, store)
