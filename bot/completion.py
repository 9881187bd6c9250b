"""Completions for a kubectl command line as it is typed (Discord's `/k` autocomplete).

The first word completes to a verb, the word after a verb that takes a resource to a resource
type, and the next one to the names of the student's own objects of that type — read from
their sandbox with kubectl itself (`api-resources -o name`, `get TYPE -o name`), so the
answers are exactly what kubectl would accept. Discord waits 3 s for an answer: past
`BUDGET` only the static part (verbs, types) is offered.
"""
from __future__ import annotations

import asyncio
import logging

from engine.workers import Budget, Overrun

log = logging.getLogger(__name__)

MAX_CHOICES = 25              # Discord shows at most 25 suggestions
BUDGET = 2.0                  # seconds for the sandbox read, within Discord's 3
# In the order a student of the course meets them.
VERBS = ("get", "describe", "run", "create", "apply", "delete", "scale", "expose", "edit", "logs", "exec",
         "rollout", "set", "label", "annotate", "patch", "replace", "cordon", "uncordon", "drain", "explain",
         "api-resources", "cluster-info", "version", "config", "top", "wait", "auth", "api-versions")
TAKES_RESOURCE = {"get", "describe", "delete", "edit", "label", "annotate", "patch", "scale", "explain"}
TAKES_NAME_OF = {"logs": "pods", "exec": "pods", "cordon": "nodes", "uncordon": "nodes", "drain": "nodes"}
COMMON_TYPES = ("pods", "deployments", "services", "nodes", "replicasets", "endpoints", "events", "namespaces",
                "daemonsets", "configmaps", "persistentvolumes", "persistentvolumeclaims")


class Completer:
    def __init__(self, sandboxes) -> None:
        self.sandboxes = sandboxes
        self._types: tuple[str, ...] | None = None

    async def complete(self, server: str, user: str, text: str) -> list[str]:
        words = text.split(" ")
        done, current = [w for w in words[:-1] if w], words[-1]
        prefix = " ".join(done + [""]) if done else ""
        if not done:
            return _matching(VERBS, current, prefix)
        verb = done[0]
        flags_free = [w for w in done[1:] if not w.startswith("-")]
        try:
            if verb in TAKES_NAME_OF and not flags_free:
                names = await self._names(server, user, TAKES_NAME_OF[verb])
                return _matching(names, current, prefix)
            if verb in TAKES_RESOURCE and not flags_free:
                if "/" in current:             # `get pod/we` -> the names of that type
                    kind, _, _ = current.partition("/")
                    names = await self._names(server, user, kind)
                    return _matching([f"{kind}/{n}" for n in names], current, prefix)
                return _matching(await self._resource_types(server, user), current, prefix)
            if verb in TAKES_RESOURCE and len(flags_free) == 1:
                return _matching(await self._names(server, user, flags_free[0]), current, prefix)
        except asyncio.TimeoutError:
            log.info("completion read took over %.1fs; offering the static list", BUDGET)
            if verb in TAKES_RESOURCE and not flags_free and "/" not in current:
                return _matching(COMMON_TYPES, current, prefix)
        return []

    async def _resource_types(self, server: str, user: str) -> tuple[str, ...]:
        if self._types is None:
            out = await self._kubectl(server, user, "api-resources -o name")
            found = [line.partition(".")[0] for line in out.splitlines() if line]
            self._types = tuple(dict.fromkeys([*COMMON_TYPES, *found]))
        return self._types

    async def _names(self, server: str, user: str, kind: str) -> list[str]:
        if not kind.replace("-", "").replace(".", "").isalnum():
            return []
        out = await self._kubectl(server, user, f"get {kind} -o name")
        return [line.partition("/")[2] for line in out.splitlines() if "/" in line]

    async def _kubectl(self, server: str, user: str, line: str) -> str:
        try:
            return await asyncio.wait_for(self.sandboxes.run(server, user, _read, line, budget=Budget(seconds=BUDGET)),
                                          timeout=BUDGET + 1)
        except Overrun as overrun:
            raise asyncio.TimeoutError from overrun


def _read(sb, line: str) -> str:
    """In the student's engine worker: what kubectl prints, or nothing when it fails."""
    out, rc = sb.kubectl(line)
    return out if rc == 0 else ""


def _matching(options, current: str, prefix: str) -> list[str]:
    wanted = current.lower()
    found = [o for o in options if o.lower().startswith(wanted)]
    return [(prefix + o)[:100] for o in found[:MAX_CHOICES]]
