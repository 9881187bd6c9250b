"""`kubetutor` entry point: console, bot, run (bot if a token is set, else console), bench."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from engine.store import default_db_path


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "student"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kubetutor", description="Kubernetes teaching assistant")
    sub = parser.add_subparsers(dest="cmd", required=True)

    console = sub.add_parser("console", help="chat with the bot in this terminal (lines in, replies out)")
    console.add_argument("--db", default=None, help="database path (default $KUBETUTOR_DB or the user data dir)")
    console.add_argument("--user", default=None, help="chat user name (default: login name)")
    console.add_argument("--server", default="local", help="chat server name (default: local)")

    botp = sub.add_parser("bot", help="run the Discord bot (needs DISCORD_TOKEN)")
    botp.add_argument("--config", default=None, help="optional YAML config file")
    botp.add_argument("--shard-count", type=int, default=None)
    botp.add_argument("--shard-ids", default=None)

    sub.add_parser("run", help="the Discord bot when DISCORD_TOKEN is set, otherwise the console")

    api = sub.add_parser("api", help="serve every student's sandbox as a Kubernetes API for real kubectl")
    api.add_argument("--listen", default="127.0.0.1:6443", help="HOST:PORT to listen on (default 127.0.0.1:6443)")
    api.add_argument("--db", default=None, help="database path (default $KUBETUTOR_DB or the user data dir)")

    bench = sub.add_parser("bench", help="measure the engine")
    bench.add_argument("--quick", action="store_true")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--db", default=None, help="measure this database (e.g. postgresql://…) instead of a temp SQLite file")

    from bot import admin_cli
    admin_cli.add_parsers(sub)

    args = parser.parse_args(argv)
    from bot.logs import configure_logging
    # The console is the student's terminal: operators' warnings (a command stopped at its budget)
    # would only interleave with the replies, which already say it. Servers log from WARNING.
    chat_in_terminal = args.cmd == "console" or (args.cmd == "run" and not os.environ.get("DISCORD_TOKEN"))
    configure_logging(os.environ.get("KUBETUTOR_LOG", "ERROR" if chat_in_terminal else "WARNING"),
                      os.environ.get("KUBETUTOR_LOG_FORMAT"))

    if args.cmd == "run":
        if os.environ.get("DISCORD_TOKEN"):
            return _run_bot(None, None, None)
        print("DISCORD_TOKEN is not set: starting the local console (type !help; Ctrl-D to quit).",
              file=sys.stderr)
        return _run_console(None, None, "local")
    if args.cmd == "console":
        return _run_console(args.db, args.user, args.server)
    if args.cmd == "bot":
        return _run_bot(args.config, args.shard_count, args.shard_ids)
    if args.cmd == "api":
        return _run_api(args.db, args.listen)
    if args.cmd == "bench":
        from engine.bench import main as bench_main
        return bench_main(quick=args.quick, as_json=args.json, db_url=args.db)
    if args.cmd in admin_cli.COMMANDS:
        return admin_cli.run(args)
    return 2


def _run_console(db: str | None, user: str | None, server: str) -> int:
    from bot.console import main_console
    return main_console(str(db or default_db_path()), user or _login_name(), server)


def _run_api(db: str | None, listen: str) -> int:
    import asyncio
    host, _, port = listen.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        print(f"kubetutor api: --listen takes HOST:PORT, not {listen!r}", file=sys.stderr)
        return 2
    from bot.api.server import serve
    try:
        asyncio.run(serve(str(db or default_db_path()), host.strip("[]") or "127.0.0.1", int(port)))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"kubetutor api: cannot listen on {listen}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def _run_bot(config: str | None, shard_count: int | None, shard_ids: str | None) -> int:
    try:
        from bot.discord.main import run_bot
    except ImportError as exc:
        print(f"The Discord front-end is not available: {exc}", file=sys.stderr)
        return 1
    return run_bot(config_path=config, shard_count=shard_count, shard_ids=shard_ids)


if __name__ == "__main__":
    raise SystemExit(main())
