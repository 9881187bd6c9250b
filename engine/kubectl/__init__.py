"""kubectl 1.20 against a sandbox: argv in, (output, exit code) out."""
from __future__ import annotations

import shlex

from engine.kubectl import create, delete, describe, expose, get, info, run_cmd, scale
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError
from engine.kubectl import flags
from engine.kubectl.flags import GLOBAL
from engine.kubectl.help import HELP, verb_help

VERBS = {
    "get": get.run, "run": run_cmd.run, "create": create.run, "scale": scale.run, "expose": expose.run,
    "delete": delete.run, "version": info.version, "cluster-info": info.cluster_info,
    "api-resources": info.api_resources, "completion": info.completion, "describe": describe.run,
}


def _declarative_verbs() -> dict:
    """apply/edit/rollout/label/annotate/set (issue 6), imported here so their timers register at load."""
    from engine.kubectl import apply, edit, labels, rollout, setimage
    return {"apply": apply.run_apply, "edit": edit.run, "rollout": rollout.run, "label": labels.run_label,
            "annotate": labels.run_annotate, "set": setimage.run, "replace": apply.run_replace,
            "patch": edit.run_patch}


VERBS.update(_declarative_verbs())


def _traffic_verbs() -> dict:
    """exec/logs (issue 5): commands inside pods and what the containers printed."""
    from engine.kubectl import exec as exec_cmd, logs
    return {"exec": exec_cmd.run, "logs": logs.run}


VERBS.update(_traffic_verbs())


def _node_verbs() -> dict:
    """cordon/uncordon/drain (issue 4): taking a node out of scheduling."""
    from engine.kubectl import nodes
    return {"cordon": nodes.cordon, "uncordon": nodes.uncordon, "drain": nodes.drain}


VERBS.update(_node_verbs())


def _schema_verbs() -> dict:
    """explain (issue 6): the API's field documentation."""
    from engine.kubectl import explain
    return {"explain": explain.run}


VERBS.update(_schema_verbs())


def register(verb: str, fn) -> None:
    """Later rooms (describe, apply, rollout, …) add their verbs here."""
    VERBS[verb] = fn


def split_verb(argv: list[str]) -> tuple[str | None, list[str]]:
    """Global flags may come before the verb: `kubectl -n kube-system get po`."""
    takes_value = {f"--{f.name}" for f in GLOBAL if f.kind != "bool"} | {f"-{f.short}" for f in GLOBAL
                                                                          if f.short and f.kind != "bool"}
    i = 0
    while i < len(argv):
        tok = argv[i]
        if not tok.startswith("-") or tok == "-":
            return tok, argv[:i] + argv[i + 1:]
        i += 2 if tok in takes_value else 1
    return None, argv


def execute(ctx: Ctx, argv: list[str]) -> tuple[str, int]:
    verb, rest = split_verb(argv)
    if verb is None:
        if any(a in ("-h", "--help") for a in argv) or not argv:
            return HELP, 0
        try:                                   # only global flags: pflag's own error, else kubectl's help
            flags.parse("", argv, ())
        except KubectlError as err:
            return err.text.replace("kubectl  --help", "kubectl --help"), err.rc
        return HELP, 0
    fn = VERBS.get(verb)
    if fn is None:
        if verb == "help":
            return (verb_help(rest[0]) if rest else HELP), 0
        return (f'Error: unknown command "{verb}" for "kubectl"\nRun \'kubectl --help\' for usage.', 1)
    if any(a in ("-h", "--help") for a in rest):
        return verb_help(verb), 0
    try:
        return fn(ctx, rest), 0
    except KubectlError as err:
        return err.text, err.rc


def split_line(line: str) -> list[str]:
    """shlex with bash's error for an unclosed quote."""
    try:
        return shlex.split(line)
    except ValueError as exc:
        quote = "'" if "quotation" in str(exc) and line.count("'") % 2 else '"'
        raise KubectlError(f"bash: unexpected EOF while looking for matching `{quote}'\n"
                           "bash: syntax error: unexpected end of file", rc=2)
