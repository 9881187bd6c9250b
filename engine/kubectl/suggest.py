"""cobra's "Did you mean this?" for an unknown kubectl command (spf13/cobra v1.1 command.go).

SuggestionsFor walks the root command's children in the order kubectl 1.20 adds them (its help
groups, then config/plugin/version/api-versions/api-resources/options; `alpha` has no available
subcommands and `help` is not added yet), and suggests a name within Levenshtein distance 2
(case-insensitive, on bytes), one the typed word is a prefix of, or one whose SuggestFor names it.
"""
from __future__ import annotations

COMMANDS = (
    "create", "expose", "run", "set",
    "explain", "get", "edit", "delete",
    "rollout", "scale", "autoscale",
    "certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint",
    "describe", "logs", "attach", "exec", "port-forward", "proxy", "cp", "auth", "debug",
    "diff", "apply", "patch", "replace", "wait", "kustomize",
    "label", "annotate", "completion",
    "config", "plugin", "version", "api-versions", "api-resources", "options",
)
MINIMUM_DISTANCE = 2
# Commands' explicit `SuggestFor` words (kubectl get/wait: "list", "ps"; delete: "rm").
SUGGEST_FOR = {"get": ("list", "ps"), "delete": ("rm",), "wait": ("list", "ps")}


def levenshtein(s: str, t: str) -> int:
    """cobra's ld(s, t, ignoreCase=true): over UTF-8 bytes, as Go's len and indexing are."""
    a, b = s.lower().encode(), t.lower().encode()
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def suggestions_for(typed: str) -> list[str]:
    found = []
    for name in COMMANDS:
        # (the distance is at least the difference in length: a long word costs nothing to refuse)
        near = abs(len(typed.encode()) - len(name)) <= MINIMUM_DISTANCE and levenshtein(typed, name) <= MINIMUM_DISTANCE
        if near or name.lower().startswith(typed.lower()):
            found.append(name)
        found.extend(name for word in SUGGEST_FOR.get(name, ()) if word.lower() == typed.lower())
    return found


def unknown_command(verb: str) -> str:
    """The whole message kubectl prints (to stderr) for `kubectl VERB`, exit code 1."""
    found = suggestions_for(verb)
    hint = ("\n\nDid you mean this?\n" + "".join(f"\t{name}\n" for name in found)) if found else ""
    return f'Error: unknown command "{verb}" for "kubectl"{hint}\nRun \'kubectl --help\' for usage.'
