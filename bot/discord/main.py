"""`kubetutor bot`: load the config, open the app, run the bot until a signal, close everything."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

import discord

from bot import ops
from bot.app import open_app
from bot.discord.client import KubetutorBot
from bot.discord.config import Config, ConfigError, load_config
from engine.storage import MissingDriver

log = logging.getLogger(__name__)


def run_bot(config_path: str | None = None, shard_count: int | None = None, shard_ids: str | None = None) -> int:
    """Exit status: 0 after a clean shutdown, 1 when the bot cannot start (reason on stderr)."""
    try:
        config = load_config(config_path, shard_count=shard_count, shard_ids=shard_ids)
    except ConfigError as exc:
        return _fail(str(exc))
    try:
        asyncio.run(serve(config))
    except discord.LoginFailure:
        return _fail("Discord refused the token in DISCORD_TOKEN; copy a fresh one from the developer portal.")
    except discord.PrivilegedIntentsRequired:
        return _fail("The Message Content intent is off for this bot: enable it in the developer portal "
                     "(Bot, Privileged Gateway Intents) or set KUBETUTOR_MESSAGE_CONTENT=0 to use mentions "
                     "and slash commands only.")
    except MissingDriver as exc:
        return _fail(str(exc))
    except OSError as exc:                       # DNS, refused connection, TLS: aiohttp's errors are OSErrors
        return _fail(f"Cannot reach Discord ({exc}); check this machine's network and try again.")
    except KeyboardInterrupt:
        pass
    return 0


def _fail(sentence: str) -> int:
    print(f"kubetutor bot: {sentence}", file=sys.stderr)
    return 1


async def serve(config: Config, *, bot_class: type[KubetutorBot] = KubetutorBot) -> None:
    """Run until the bot closes (SIGTERM/SIGINT close it); the database is closed on every way out."""
    app = await open_app(config.db, prefix=config.prefix, start_workers=True)
    app.router.services.setdefault("default_lang", config.lang)     # for i18n's server default
    if (prefs := app.router.services.get("prefs")) is not None:
        prefs.default = config.lang
    app.router.meters.append(ops.record)
    server = api = None
    try:
        bot = bot_class(app, config)
        if config.api_listen is not None:               # real kubectl's door to the same sandboxes
            from bot.api.server import ApiServer
            api = ApiServer(app.router, app.store)
            await api.start(*config.api_listen)
        if config.health_port is not None:
            pool = app.router.services.get("sandboxes")
            server = ops.OpsServer({"database": ops.store_check(app.store), "discord": discord_check(bot)},
                                   cached=lambda: len(getattr(pool, "_affinity", ())),
                                   restarts=lambda: getattr(pool, "replaced", 0))
            await server.start(config.health_host, config.health_port)
        with _closing_on_signals(bot):
            async with bot:
                await bot.start(config.token)
    finally:
        for running in (server, api):
            if running is not None:
                await running.aclose()
        await app.close()


def discord_check(bot: discord.Client) -> ops.Check:
    """Healthy once the gateway is connected and ready, and while it is not closed."""
    async def check() -> str | None:
        if bot.is_closed():
            return "the gateway connection is closed"
        if not bot.is_ready():
            return "not connected to the gateway yet"
        return None
    return check


@contextlib.contextmanager
def _closing_on_signals(bot: discord.Client):
    """`docker stop` sends SIGTERM: close the gateway cleanly instead of dying mid-write."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):    # not the main thread, or Windows
            pass
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
