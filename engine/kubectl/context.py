"""What a kubectl command runs against, and what it hands back."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine import kubeconfig
from engine.cluster import Cluster


@dataclass
class Ctx:
    cluster: Cluster
    stdin: str | None = None
    files: dict[str, str] = field(default_factory=dict)     # path -> text, for `-f`
    wait: float = 0.0           # seconds kubectl blocked (e.g. `delete` waiting for pods to go)
    command_line: str = ""      # for --record
    tty: bool = False           # `kubectl exec -t`: programs inside see a terminal (ls prints columns)
    # Tutor notes for the reply, after kubectl's own output: (catalogue key, its fields).
    notes: list[tuple[str, dict]] = field(default_factory=list)
    blocked: float = 0.0        # sandbox seconds this command line spent waiting (rollout status, wait, get -w)
    # Moves the sandbox clock on (the sandbox's own advance): how blocking commands wait.
    advance: Callable[[float], None] | None = None
    kube_context: str | None = None     # the global --context, when given

    def namespace(self, parsed) -> str:
        """-n, else the current kubeconfig context's namespace (`config set-context --current -n`)."""
        return parsed.get("namespace") or kubeconfig.namespace(self.cluster, self.kube_context)
