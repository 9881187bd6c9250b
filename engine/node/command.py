"""The one interface every node command implements: a Call in, a Result out.

    def grep(call: Call) -> Result: ...

A command reads call.argv / call.stdin / call.env / call.node, may change the sandbox through
call.sandbox, and may run further commands through call.shell (xargs, ssh, bash -c). It never
touches the host: no files, no processes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from engine.node.shell import Shell
    from engine.sandbox import Sandbox


@dataclass
class Call:
    argv: list[str]                 # argv[0] as typed (after alias expansion)
    stdin: str
    env: dict[str, str]
    node: str
    sandbox: "Sandbox"
    shell: "Shell"
    tty: bool = False               # stdout is the chat terminal (ls prints columns), not a pipe or file

    @property
    def args(self) -> list[str]:
        return self.argv[1:]

    @property
    def name(self) -> str:
        return self.argv[0]

    @property
    def cluster(self):
        return self.sandbox.cluster


@dataclass
class Result:
    out: str = ""                   # stdout, with its newlines as the program writes them
    err: str = ""                   # stderr
    rc: int = 0
    # Both streams interleaved as a terminal shows them, when the order matters (cat a missing b).
    combined: str | None = None


class Refused(Exception):
    """A command's own refusal (bad option, missing operand) raised from a helper; the shell
    answers with `result` as if the command had returned it."""

    def __init__(self, result: Result):
        super().__init__(result.err)
        self.result = result


class Command(Protocol):
    def __call__(self, call: Call) -> Result: ...


def lines(text: str) -> str:
    """Output text as a program writes it: every line ends with a newline."""
    return text if not text or text.endswith("\n") else text + "\n"


def ok(text: str = "") -> Result:
    return Result(lines(text))


def fail(text: str, rc: int = 1) -> Result:
    return Result("", lines(text), rc)


def usage_error(prog: str, message: str, usage: str) -> Result:
    """GNU tools' bad-option answer: the complaint, then `Try 'prog --help'`."""
    return fail(f"{prog}: {message}\n{usage}Try '{prog} --help' for more information.", 2 if prog != "wc" else 1)


def options(call: Call, short: str, long: list[str] = (), usage: str = ""):
    """GNU getopt (permuted, `-ic`, `-n5`, `--lines=5`): (opts, operands); an unknown option or a
    missing value is refused (Refused) with the tool's own complaint."""
    import getopt
    try:
        opts, operands = getopt.gnu_getopt(call.args, short, list(long))
    except getopt.GetoptError as exc:
        prog = call.name.rsplit("/", 1)[-1]
        if "requires argument" in exc.msg:
            problem = f"option requires an argument -- '{exc.opt}'" if len(exc.opt) == 1 else (
                f"option '--{exc.opt}' requires an argument")
        elif len(exc.opt) == 1:
            problem = f"invalid option -- '{exc.opt}'"
        else:
            problem = f"unrecognized option '--{exc.opt}'"
        raise Refused(usage_error(prog, problem, usage)) from None
    return opts, operands


def read_inputs(call: Call, names: list[str]) -> list[tuple[str, str | None, str]]:
    """(name, text or None, complaint) for each FILE operand; none means stdin."""
    from engine.node import fs
    if not names:
        return [("-", call.stdin, "")]
    tree = fs.Tree(call.cluster, call.node)
    out = []
    for name in names:
        if name == "-":
            out.append((name, call.stdin, ""))
            continue
        path = fs.resolve(call.cluster, call.node, name)
        if tree.is_file(path):
            out.append((name, tree.files[path], ""))
        else:
            out.append((name, None, "Is a directory" if tree.is_dir(path) else "No such file or directory"))
    return out
