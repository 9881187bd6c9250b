"""What a kubectl command runs against, and what it hands back."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.cluster import Cluster


@dataclass
class Ctx:
    cluster: Cluster
    stdin: str | None = None
    files: dict[str, str] = field(default_factory=dict)     # path -> text, for `-f`
    wait: float = 0.0           # seconds kubectl blocked (e.g. `delete` waiting for pods to go)
    command_line: str = ""      # for --record
    tty: bool = False           # `kubectl exec -t`: programs inside see a terminal (ls prints columns)

    def namespace(self, parsed) -> str:
        return parsed.get("namespace") or "default"
