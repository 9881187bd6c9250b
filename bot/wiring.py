"""Every bot feature and every table, wired in one visible step.

`open_app` opens the store with `SCHEMA` (the engine's tables, then each feature's) and sets up
the chosen features on the router in the order listed here. Importing a feature registers
nothing: a feature is its `setup(router)` plus the migrations it declares beside its code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from bot import choices, labs, map as cluster_map, prefs, progress, quiz, settings, study_notes
from bot.api import kubeconfig, pki as api_pki, tokens as api_tokens
from bot.commands import help as help_command, peek, sandbox, thread
from bot.labs import sessions as lab_sessions
from bot.progress import recorder
from bot.quiz import tables as quiz_tables
from engine import store


@dataclass(frozen=True)
class Feature:
    name: str
    setup: Callable[[Any], Any]           # (router) -> anything, possibly awaitable
    migrations: tuple[store.Migration, ...] = ()


FEATURES: tuple[Feature, ...] = (
    Feature("bot.choices", choices.setup),
    Feature("bot.prefs", prefs.setup, prefs.MIGRATIONS),
    Feature("bot.settings", settings.setup, settings.MIGRATIONS),
    Feature("bot.progress", progress.setup, recorder.MIGRATIONS),
    Feature("bot.quiz", quiz.setup, quiz_tables.MIGRATIONS),
    Feature("bot.commands.sandbox", sandbox.setup),
    Feature("bot.commands.peek", peek.setup),
    Feature("bot.commands.thread", thread.setup),
    Feature("bot.commands.help", help_command.setup),
    Feature("bot.study_notes", study_notes.setup, study_notes.MIGRATIONS),
    Feature("bot.labs", labs.setup, lab_sessions.MIGRATIONS),
    Feature("bot.api.kubeconfig", kubeconfig.setup, api_pki.MIGRATIONS + api_tokens.MIGRATIONS),
    Feature("bot.map", cluster_map.setup),
)
EXTENSIONS: tuple[str, ...] = tuple(f.name for f in FEATURES)
# The whole schema, whichever features run: a database has every table from its first start.
SCHEMA: tuple[store.Migration, ...] = store.SCHEMA + tuple(m for f in FEATURES for m in f.migrations)


def features(names: tuple[str, ...] = EXTENSIONS) -> list[Feature]:
    """The named features, in the order asked for."""
    by_name = {f.name: f for f in FEATURES}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise LookupError(f"no such feature: {', '.join(unknown)} (bot/wiring.py lists them)")
    return [by_name[n] for n in names]
