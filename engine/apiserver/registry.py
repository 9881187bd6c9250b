"""The registry of kinds: every module in engine/apiserver/kinds/ declares one `KIND`.

Adding a kind is adding one module there (and regenerating the trimmed schema if it is validated,
see scripts/gen_openapi_schema.py). Nothing else in the engine lists kinds or their scope.
"""
from __future__ import annotations

import importlib
import pkgutil

from engine.apiserver import kinds as _package
from engine.apiserver.kind import Kind

KINDS: dict[str, Kind] = {}
BY_API: dict[tuple[str, str], tuple[Kind, str | None]] = {}     # (apiVersion, kind) -> (Kind, warning)


def _load() -> None:
    for info in sorted(pkgutil.iter_modules(_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{_package.__name__}.{info.name}")
        kind: Kind = module.KIND
        if kind.kind in KINDS:
            raise ValueError(f"kind {kind.kind} declared twice ({info.name})")
        KINDS[kind.kind] = kind
        BY_API[(kind.api_version, kind.kind)] = (kind, None)
        for version, warning in kind.also_served:
            api = f"{kind.group}/{version}" if kind.group else version
            BY_API[(api, kind.kind)] = (kind, warning)


_load()


def get(kind: str) -> Kind | None:
    return KINDS.get(kind)


def lookup(api_version: str, kind: str) -> tuple[Kind, str | None] | None:
    """(Kind, deprecation warning) for a manifest's apiVersion and kind, or None (no match)."""
    return BY_API.get((api_version, kind))


def resolve(ref: str):
    """A kind's "module:attribute" reference (describer, columns), imported when first used."""
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def namespaced(kind: str) -> bool:
    k = KINDS.get(kind)
    return True if k is None else k.namespaced
