"""`kubectl VERB [SUB] -h` for the verbs whose real help text the sandbox carries (content/kubectl_help.yaml)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_PATH = Path(__file__).resolve().parent.parent.parent / "content" / "kubectl_help.yaml"
ALIASES = {"use": "use-context", "nodes": "node", "no": "node", "pods": "pod", "po": "pod"}


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    with open(_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def lookup(verb: str, rest: list[str]) -> str | None:
    """The help of the longest `verb SUB…` carried; None if not carried."""
    texts = _texts()
    words = [ALIASES.get(a, a) for a in rest if not a.startswith("-")][:2]
    for n in (2, 1, 0):                         # `create service nodeport`, then `create service`, then `create`
        key = " ".join([verb, *words[:n]])
        if len(words) >= n and key in texts:
            return texts[key]
    return None
