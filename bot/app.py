"""Wiring: open the store, build the router, load every feature's commands.

Front-ends (console, Discord) call `open_app` and then `app.router.handle(message)`.
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Callable

from bot.router import Router
from engine.storage import open_store
from engine.store import Store

log = logging.getLogger(__name__)

# Each extension module has `def setup(router: Router) -> None` (and may register migrations at import).
EXTENSIONS: tuple[str, ...] = (
    "bot.choices",
    "bot.prefs",
    "bot.settings",
    "bot.progress",
    "bot.quiz",
    "bot.commands.sandbox",
    "bot.commands.peek",
    "bot.commands.thread",
    "bot.commands.help",
    "bot.labs",
)


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
                   rate_limit=..., extensions: tuple[str, ...] = EXTENSIONS) -> App:
    kwargs = {} if rate_limit is ... else {"rate_limit": rate_limit}
    router = Router(prefix=prefix, **kwargs)
    modules = [importlib.import_module(name) for name in extensions]   # imports register migrations
    store = await open_store(db_path)
    router.services["store"] = store
    if clock is not None:
        router.services["clock"] = clock
    for module in modules:
        setup = getattr(module, "setup")
        result = setup(router)
        if hasattr(result, "__await__"):
            await result
    return App(router, store)
