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
    """The help of `verb SUB` when its first word names a known subcommand, else of `verb`; None if not carried."""
    texts = _texts()
    sub = next((a for a in rest if not a.startswith("-")), None)
    if sub is not None:
        key = f"{verb} {ALIASES.get(sub, sub)}"
        if key in texts:
            return texts[key]
    return texts.get(verb)
