"""What a typed kubectl command would do, for grading typed answers by meaning.

The answer is read with the engine's own argv parsing (engine/kubectl/flags.py with each verb's
flag table, engine/kubectl/resources.py for resource names), so every spelling kubectl accepts
is accepted: `k`, short names and `type/name`, flags before or after the arguments, `=` or a
space, `-it` for `-i -t`, and flags left out that would take their default anyway
(`--target-port` defaults to `--port` in expose). The effect is (verb, subcommand, resources
and names, every flag's value after defaults); a command kubectl would refuse has no effect.
"""
from __future__ import annotations

import posixpath
import shlex

from engine import kubectl
from engine.kubectl import apply, create, delete, describe, edit, exec as exec_cmd, expose, get, labels, logs
from engine.kubectl import nodes, rollout, run_cmd, scale, setimage
from engine.kubectl.errors import KubectlError
from engine.kubectl.flags import parse
from engine.kubectl.resources import resolve

# verb -> flag table; verbs with a subcommand map it to its table.
_FLAGS = {
    "get": get.FLAGS, "describe": describe.FLAGS, "delete": delete.FLAGS, "expose": expose.FLAGS,
    "run": run_cmd.FLAGS, "scale": scale.FLAGS, "apply": apply.APPLY_FLAGS, "replace": apply.REPLACE_FLAGS,
    "edit": edit.FLAGS, "patch": edit.PATCH_FLAGS, "exec": exec_cmd.FLAGS, "logs": logs.FLAGS,
    "label": labels.FLAGS, "annotate": labels.FLAGS, "cordon": nodes.FLAGS, "uncordon": nodes.FLAGS,
    "drain": nodes.DRAIN_FLAGS,
}
_SUB_FLAGS = {
    "rollout": {sub: rollout.FLAGS for sub in rollout.SUBCOMMANDS},
    "set": {"image": setimage.FLAGS},
    "create": {"deployment": create.DEPLOYMENT_FLAGS, "deploy": create.DEPLOYMENT_FLAGS,
               "namespace": create.COMMON, "ns": create.COMMON},
}
# Verbs whose first argument names a resource type (`get pods`, `delete deploy/x`).
_TYPED = {"get", "describe", "delete", "expose", "scale", "edit", "patch", "label", "annotate", "rollout", "set"}
_PROGRAMS = {"k", "kubectl"}
_IGNORED = {"help", "v", "request-timeout", "kubeconfig", "context", "cluster", "user", "server",
            "insecure-skip-tls-verify"}      # where kubectl talks, not what it does


def _path(value: str) -> str:
    """A manifest named by its file: `~/x/a.yaml`, `/root/x/a.yaml` and `./a.yaml` are one file
    when the names match (the question fixes the directory; the student's shell may differ)."""
    return posixpath.basename(value.rstrip("/")) if "://" not in value else value


def _resources(words: list[str]) -> tuple:
    """`deploy/x pod/y`, `deployment x y`, `po,svc` -> canonical (plural, name) pairs."""
    if not words:
        return ()
    out = []
    if "/" in words[0]:
        for word in words:
            kind, _, name = word.partition("/")
            out.append((resolve(kind).plural, name))
        return tuple(sorted(out))
    kinds = ",".join(sorted(resolve(kind).plural for kind in words[0].split(",")))
    return tuple((kinds, name) for name in sorted(words[1:])) or ((kinds, ""),)


def effect(line: str) -> tuple | None:
    """The effect of one `kubectl …` line, or None when it is not a kubectl command kubectl
    would accept."""
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    if not words or words[0] not in _PROGRAMS:
        return None
    verb, rest = kubectl.split_verb(words[1:])
    sub = ""
    table = _FLAGS.get(verb)
    if verb in _SUB_FLAGS:
        sub = next((w for w in rest if not w.startswith("-")), "")
        table = _SUB_FLAGS[verb].get(sub)
        if table is not None:
            rest = list(rest)
            rest.remove(sub)
            sub = "deployment" if sub == "deploy" else "namespace" if sub == "ns" else sub
    if table is None:
        return None
    try:
        p = parse(f"{verb} {sub}".strip(), rest, table)
        values = {k: v for k, v in p.values.items() if k not in _IGNORED}
        args = list(p.args)
        if verb in _TYPED and args and not (verb == "set" and "=" in args[0]):
            head = [a for a in args if "=" not in a] if verb == "set" else args
            targets = _resources(head)
            args = [a for a in args if a not in head]
        else:
            targets = ()
    except KubectlError:
        return None
    values["namespace"] = values.get("namespace") or "default"
    if values.get("filename"):
        values["filename"] = sorted(_path(f) for f in values["filename"])
    if verb == "expose" and not values.get("target-port"):
        values["target-port"] = values.get("port", "")      # kubectl's default: the service port
    flags = tuple(sorted((k, repr(v)) for k, v in values.items()))
    return verb, sub, targets, tuple(args), p.dash_args and tuple(p.dash_args), flags
