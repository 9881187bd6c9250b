"""Explicit wiring: every timer the engine books and every feature's tables are listed in one place."""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import bot
import engine
from bot import wiring as bot_wiring
from bot.app import open_app
from engine import store, wiring

ROOT = Path(__file__).resolve().parent.parent


def _modules(package):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        yield info.name, Path(importlib.util.find_spec(info.name).origin)


def _scheduled_events() -> dict[str, str]:
    """event name -> module, for every `…schedule(delay, EVENT, …)` call in the engine's source."""
    found = {}
    for name, path in _modules(engine):
        if name in ("engine.clock", "engine.cluster"):        # the clock itself passes events through
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = None
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "schedule" and len(node.args) >= 2):
                module = module or importlib.import_module(name)
                event = eval(compile(ast.Expression(node.args[1]), str(path), "eval"), vars(module))
                found[event] = name
    return found


def test_every_timer_the_engine_books_is_wired():
    events = _scheduled_events()
    assert "namespace.finalize" in events and "kubelet.sync" in events      # the scan sees them
    missing = {e: m for e, m in events.items() if e not in wiring.build().timers}
    assert not missing, f"booked but not wired in engine/wiring.py: {missing}"


def test_every_feature_table_is_in_the_schema():
    """A module that declares MIGRATIONS is listed in bot/wiring.py (or it is the engine's store)."""
    declared = {}
    for package in (engine, bot):
        for name, _ in _modules(package):
            module = importlib.import_module(name)
            for migration in getattr(module, "MIGRATIONS", ()) if name != "bot.wiring" else ():
                declared[migration[0]] = name
    names = [n for n, _ in bot_wiring.SCHEMA]
    assert len(names) == len(set(names))
    assert set(declared) <= set(names), {n: m for n, m in declared.items() if n not in names}
    assert names[:len(store.SCHEMA)] == [n for n, _ in store.SCHEMA]        # engine tables first


def test_nothing_registers_itself_on_import():
    """The old import-time hooks are gone from the source."""
    offenders = [str(p.relative_to(ROOT)) for pkg in ("engine", "bot") for p in (ROOT / pkg).rglob("*.py")
                 if any(hook in p.read_text(encoding="utf-8")
                        for hook in ("register_migration(", "register_timer(", "VERBS.update("))]
    assert offenders == []


async def test_an_unknown_feature_is_named(tmp_path):
    with pytest.raises(LookupError, match="bot.nope"):
        await open_app(tmp_path / "t.db", extensions=("bot.choices", "bot.nope"))


async def test_every_table_exists_whatever_features_run(tmp_path):
    app = await open_app(tmp_path / "t.db", rate_limit=None, extensions=("bot.commands.help",))
    try:
        done = {r[0] for r in await app.store.fetchall("SELECT name FROM schema_migrations")}
        assert done == {n for n, _ in bot_wiring.SCHEMA}
    finally:
        await app.close()
