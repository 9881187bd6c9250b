"""Operations: `/healthz` and `/metrics` on a local port (JSON logs: bot/logs.py).

    GET /healthz  -> 200 "ok" when the database answers and the front-end is up; else 503 + why
    GET /metrics  -> Prometheus text: commands, latency, worker restarts, budget overruns,
                     sandboxes cached, database errors

The server is aiohttp's (already installed with discord.py); the figures are prometheus-client
objects in a registry of our own, so tests can read them and nothing global leaks in.
`KUBETUTOR_HEALTH_PORT` (or `health_port` in the bot's config) turns it on; it listens on
127.0.0.1 unless `KUBETUTOR_HEALTH_HOST` says otherwise (the Docker image uses 0.0.0.0 inside
its own network namespace for the HEALTHCHECK).
"""
from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)
COMMANDS = Counter("kubetutor_commands", "Chat commands handled, by command word and outcome",
                   ["command", "outcome"], registry=REGISTRY)
LATENCY = Histogram("kubetutor_command_seconds", "Time to answer one chat message", ["command"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0), registry=REGISTRY)
WORKER_RESTARTS = Counter("kubetutor_worker_restarts", "Engine worker processes replaced", registry=REGISTRY)
BUDGET_OVERRUNS = Counter("kubetutor_budget_overruns", "Commands stopped at their budget, by kind",
                          ["kind"], registry=REGISTRY)
SANDBOXES_CACHED = Gauge("kubetutor_sandboxes_cached", "Sandboxes the engine workers serve (a home worker each)",
                         registry=REGISTRY)
DB_ERRORS = Counter("kubetutor_db_errors", "Database operations that failed (busy, unavailable)",
                    registry=REGISTRY)

Check = Callable[[], Awaitable[str | None]]     # None when healthy, else a short reason


def record(command: str, seconds: float, outcome: str) -> None:
    """The router's meter: one observation per handled message (outcome ok/error/busy/failed)."""
    word = command if command and len(command) <= 24 and command.isascii() else "other"
    COMMANDS.labels(word, outcome).inc()
    LATENCY.labels(word).observe(seconds)
    if outcome == "busy":
        DB_ERRORS.inc()


class OpsServer:
    """`/healthz` runs every check (a failing or slow check makes it 503); `/metrics` exports."""

    def __init__(self, checks: dict[str, Check], *, cached: Callable[[], int] | None = None,
                 restarts: Callable[[], int] | None = None) -> None:
        self.checks = checks
        self.cached = cached
        self.restarts = restarts              # the worker pool's count of replaced workers
        self._restarts_seen = 0
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def healthz(self, request: web.Request) -> web.Response:
        problems = []
        for name, check in self.checks.items():
            try:
                reason = await check()
            except Exception as exc:          # a check that raises is a failing check, said briefly
                reason = f"{type(exc).__name__}: {exc}"[:200]
            if reason:
                problems.append(f"{name}: {reason}")
        if problems:
            return web.Response(status=503, text="\n".join(problems) + "\n")
        return web.Response(text="ok\n")

    async def metrics(self, request: web.Request) -> web.Response:
        if self.cached is not None:
            SANDBOXES_CACHED.set(self.cached())
        if self.restarts is not None and (now := self.restarts()) > self._restarts_seen:
            WORKER_RESTARTS.inc(now - self._restarts_seen)
            self._restarts_seen = now
        return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self, host: str, port: int) -> int:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1] if self._runner.addresses else port
        log.info("health and metrics on http://%s:%s/healthz and /metrics", host, self.port)
        return self.port

    async def aclose(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def store_check(store) -> Check:
    async def check() -> str | None:
        row = await store.fetchone("SELECT 1")
        return None if row and row[0] == 1 else "the database did not answer"
    return check
