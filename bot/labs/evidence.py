"""What the student did during a lab, as data a check can judge: the command log and the uids
that existed when the lab and the step began.

A log entry is a plain dict, so it travels with the lab session (and to any worker process):

    {"step": 0, "cmd": "kubectl exec -it dnsutils -- nslookup kubernetes", "ok": true, "out": "Server: …"}

`cmd` is the command as the node would run it: `kubectl …` for `!k`, shortcuts and aliases,
the shell line for `!sh`, `ssh NODE …` for `!ssh`, `wait 5m` for `!wait`. `out` is what the
student saw (cut to OUT_CHARS). Checks read it through `did:` (bot/labs/checks.py), never the
words of the chat message itself, so any spelling that the engine runs the same way counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

OUT_CHARS = 4000        # enough for `get pods -A -o wide` of the lab cluster; the log rides in the session
MAX_ENTRIES = 60        # the newest are kept
DID_KEYS = {"run", "out", "ok"}
_FLAGS = re.I | re.M


@dataclass(frozen=True)
class Evidence:
    before: frozenset = frozenset()          # uids when the current step began
    start: frozenset | None = None           # uids when the lab began (after its setup)
    log: tuple[dict, ...] = ()
    step: int = 0                            # 0-based index of the current step

    @property
    def at_start(self) -> frozenset:
        return self.before if self.start is None else self.start


def entry(step: int, cmd: str, ok: bool, out: str) -> dict:
    return {"step": step, "cmd": cmd.strip()[:500], "ok": bool(ok), "out": out[:OUT_CHARS]}


def append(log: list[dict], item: dict) -> list[dict]:
    log.append(item)
    del log[:-MAX_ENTRIES]
    return log


def validate_did(spec: Any, where: str) -> list[str]:
    if not isinstance(spec, dict) or not spec or not ({"run", "out"} & spec.keys()):
        return [f"{where}: did: takes a mapping with run: and/or out: (regular expressions) and ok:"]
    errors = [f"{where}: unknown did key {k!r} (known: {', '.join(sorted(DID_KEYS))})" for k in spec if k not in DID_KEYS]
    for key in ("run", "out"):
        if key in spec:
            try:
                re.compile(str(spec[key]), _FLAGS)
            except re.error as exc:
                errors.append(f"{where}: did: {key}: not a regular expression ({exc})")
    if "ok" in spec and not isinstance(spec["ok"], bool):
        errors.append(f"{where}: did: ok is true or false")
    return errors


def matches(spec: dict, item: dict) -> bool:
    if "ok" in spec and item.get("ok") != spec["ok"]:
        return False
    if "run" in spec and not re.search(str(spec["run"]), item.get("cmd", ""), _FLAGS):
        return False
    return not ("out" in spec and not re.search(str(spec["out"]), item.get("out", ""), _FLAGS))


def done(spec: dict, evidence: Evidence, since: str = "lab") -> list[dict]:
    """The log entries of this lab (or of the current step) that match `spec`."""
    return [e for e in evidence.log if (since == "lab" or e.get("step") == evidence.step) and matches(spec, e)]

