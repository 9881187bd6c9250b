"""kubectl 1.20 against a sandbox: argv in, (output, exit code) out."""
from __future__ import annotations

import shlex
from typing import Callable, Mapping

from engine.kubectl import config_cmd, real_help
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError
from engine.kubectl import flags, suggest
from engine.kubectl.flags import GLOBAL
from engine.kubectl.help import HELP, verb_help


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


def execute(ctx: Ctx, argv: list[str], verbs: Mapping[str, Callable[[Ctx, list[str]], str]]) -> tuple[str, int]:
    """Run one kubectl command line; `verbs` is the table engine/wiring.py builds."""
    verb, rest = split_verb(argv)
    if verb is None:
        if any(a in ("-h", "--help") for a in argv) or not argv:
            return HELP, 0
        try:                                   # only global flags: pflag's own error, else kubectl's help
            flags.parse("", argv, ())
        except KubectlError as err:
            return err.text.replace("kubectl  --help", "kubectl --help"), err.rc
        return HELP, 0
    fn = verbs.get(verb)
    if fn is None:
        if verb == "help":
            return ((real_help.lookup(rest[0], rest[1:]) or verb_help(rest[0])) if rest else HELP), 0
        return suggest.unknown_command(verb), 1
    if any(a in ("-h", "--help") for a in rest):
        return real_help.lookup(verb, rest) or verb_help(verb), 0
    try:
        config_cmd.check_reachable(ctx, verb, argv)    # the kubeconfig must lead to the lab's API server
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
