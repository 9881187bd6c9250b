"""Shared fixtures: a fresh lab sandbox on a frozen clock (time moves only with sb.wait)."""
from __future__ import annotations

import pytest

from engine.sandbox import SandboxManager
from engine.store import Store

NOW = 1795000000.0


@pytest.fixture
async def sb(tmp_path):
    """One student's sandbox, open for the whole test."""
    store = await Store.open(tmp_path / "t.db")
    manager = SandboxManager(store, wall=lambda: NOW)
    async with manager.open("s", "u") as sandbox:
        yield sandbox
    await store.close()


@pytest.fixture(autouse=True)
def _attachments_in_tmp(tmp_path, monkeypatch):
    """The console writes attachments to files: keep them out of the home directory."""
    monkeypatch.setenv("KUBETUTOR_ATTACHMENTS", str(tmp_path / "attachments"))
