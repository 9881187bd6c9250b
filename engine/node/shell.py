"""A root login shell on a lab node: runs the tree engine/node/parser.py builds.

Streams are strings: a pipeline hands each stage's stdout to the next as its stdin; stderr goes
straight to the terminal (or where `2>` sends it). Commands are looked up in the one table of
engine/node/commands/. Every run is bounded by a Budget shared with nested shells (`$(…)`,
`ssh node …`, `bash -c`, xargs): commands run, loop iterations, output bytes, nesting depth and
the sandbox time `sleep` may spend. A bound that is hit stops the line and leaves a tutor note
(sandbox.notes); the sandbox keeps what already ran, as a terminal would after Ctrl-C.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from engine.node import expand, fs, parser
from engine.node.command import Call, Refused, Result
from engine.node.commands import lookup
from engine.node.commands.builtins import aliases
from engine.node.parser import AndOr, For, Group, If, Pipeline, Seq, Simple, While
from engine.node.streams import Budget, Discard, Exit, Limit, Sink

MAX_ITERATIONS = 1000       # per loop
MAX_DEPTH = 24              # $(…) / ssh / bash -c nesting
MAX_LINE = 16 * 1024
MAX_VARS = 50               # variables kept between chat lines, per node
MAX_VAR = 1024
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/root/bin"
# The login environment, set afresh for every line (not the student's own variables).
SESSION = {"HOSTNAME", "HOME", "PATH", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "HISTSIZE", "MAIL", "PWD",
           "OLDPWD"}
# root's colour aliases only add --color; expanding them changes nothing a chat reply shows.
COLOR_ALIASES = {"ls", "grep", "egrep", "fgrep", "cp", "mv", "rm", "which", "l.", "ll"}


@dataclass
class Shell:
    sandbox: object
    node: str
    budget: Budget = field(default_factory=Budget)
    vars: dict[str, str] = field(default_factory=dict)
    last_rc: int = 0

    def __post_init__(self):
        defaults = {"HOSTNAME": self.node, "HOME": fs.HOME, "PATH": PATH, "USER": "root", "LOGNAME": "root",
                    "SHELL": "/bin/bash", "TERM": "xterm-256color", "LANG": "en_US.UTF-8",
                    "HISTSIZE": "1000", "MAIL": "/var/spool/mail/root"}
        self.vars = {**defaults, **self.saved_vars(), **self.vars}


    @property
    def cluster(self):
        return self.sandbox.cluster

    def saved_vars(self) -> dict[str, str]:
        return dict(self.cluster.meta.get("shell_vars", {}).get(self.node, {}))

    # -- entry points --------------------------------------------------------------------------------

    def run_line(self, line: str, stdin: str = "") -> tuple[str, int]:
        """A chat line at the prompt: what the terminal shows, and `$?`."""
        terminal = Sink(tty=True)
        try:
            rc = self.run_text(line, stdin, terminal, terminal)
        except Limit as limit:
            self.sandbox.notes.append(("shell_limit_" + limit.key, limit.params))
            rc = 1
        if rc == 0:                 # a failed line changes nothing a later line can see
            self.remember_vars()
        return terminal.text().rstrip("\n"), rc

    def run_text(self, text: str, stdin: str, out: Sink, err: Sink) -> int:
        if len(text) > MAX_LINE:
            raise Limit("line", limit=MAX_LINE)
        try:
            tree = parser.parse(text)
        except (parser.TooDeep, RecursionError):
            raise Limit("depth", limit=parser.MAX_DEPTH) from None
        except parser.Unsupported as exc:
            self.sandbox.notes.append((exc.key, {}))
            self.last_rc = 2
            return 2
        except parser.ParseError as exc:
            err.write(f"-bash: {exc}\n")
            self.last_rc = 2
            return 2
        try:
            return self.seq(tree, stdin, out, err)
        except Exit as done:
            err.write(done.text)
            self.last_rc = done.rc
            return done.rc

    def nested(self, node: str | None = None) -> "Shell":
        """A shell for `ssh`/`bash -c`/`$(…)`: the same budget, one level deeper."""
        if self.budget.depth >= MAX_DEPTH:
            raise Limit("depth", limit=MAX_DEPTH)
        self.budget.depth += 1
        if node is None or node == self.node:
            return Shell(self.sandbox, self.node, self.budget, dict(self.vars), self.last_rc)
        return Shell(self.sandbox, node, self.budget)

    def leave(self) -> None:
        self.budget.depth -= 1

    def capture(self, text: str, stdin: str = "", err: Sink | None = None) -> str:
        """`$(…)`: the stdout of `text` run in a subshell."""
        sub = self.nested()
        try:
            out = Sink()
            sub.run_text(text, stdin, out, err if err is not None else Sink())
            self.last_rc = sub.last_rc
            return out.text()
        finally:
            self.leave()

    def remember_vars(self) -> None:
        """Variables set at the prompt stay for the next chat line, as in one terminal session (bounded)."""
        mine = {k: v[:MAX_VAR] for k, v in self.vars.items() if k.isidentifier() and k not in SESSION}
        if mine != self.saved_vars() and len(mine) <= MAX_VARS:
            self.cluster.meta.setdefault("shell_vars", {})[self.node] = mine

    # -- the tree ------------------------------------------------------------------------------------

    def seq(self, seq: Seq, stdin: str, out: Sink, err: Sink) -> int:
        rc = self.last_rc
        for item in seq.items:
            rc = self.and_or(item, stdin, out, err)
        return rc

    def and_or(self, node: AndOr, stdin: str, out: Sink, err: Sink) -> int:
        rc = self.pipeline(node.first, stdin, out, err)
        for op, pipe in node.rest:
            if (op == "&&") == (rc == 0):
                rc = self.pipeline(pipe, stdin, out, err)
        return rc

    def pipeline(self, pipe: Pipeline, stdin: str, out: Sink, err: Sink) -> int:
        data = stdin
        rc = 0
        for i, cmd in enumerate(pipe.commands):
            last = i == len(pipe.commands) - 1
            sink = out if last else Sink()
            rc = self.command(cmd, data, sink, err)
            if not last:
                data = sink.text()
        if pipe.negate:
            rc = 0 if rc else 1
        self.last_rc = rc
        return rc

    def command(self, cmd, stdin: str, out: Sink, err: Sink) -> int:
        self.budget.step()
        try:
            redirected = self.redirect(cmd.redirs, stdin, out, err)
        except _RedirectError as exc:
            err.write(f"-bash: {exc}\n")
            self.last_rc = 1
            return 1
        stdin, rout, rerr, finish = redirected
        try:
            if isinstance(cmd, Simple):
                rc = self.simple(cmd, stdin, rout, rerr)
            elif isinstance(cmd, For):
                rc = self.for_loop(cmd, stdin, rout, rerr)
            elif isinstance(cmd, While):
                rc = self.while_loop(cmd, stdin, rout, rerr)
            elif isinstance(cmd, If):
                rc = self.if_(cmd, stdin, rout, rerr)
            else:
                rc = self.group(cmd, stdin, rout, rerr)
        except expand.TooMany:
            raise Limit("words", limit=expand.MAX_WORDS) from None
        except (parser.TooDeep, RecursionError):
            raise Limit("depth", limit=parser.MAX_DEPTH) from None
        except parser.ParseError as exc:
            rerr.write(f"-bash: {exc}\n")
            rc = 1
        finish(rc)
        self.last_rc = rc
        return rc

    def for_loop(self, node: For, stdin: str, out: Sink, err: Sink) -> int:
        words = self.expand(node.words or [])
        rc = 0
        for i, word in enumerate(words):
            if i >= MAX_ITERATIONS:
                raise Limit("iterations", limit=MAX_ITERATIONS)
            self.vars[node.var] = word
            rc = self.seq(node.body, stdin, out, err)
        return rc

    def while_loop(self, node: While, stdin: str, out: Sink, err: Sink) -> int:
        rc, n = 0, 0
        while True:
            cond = self.seq(node.cond, stdin, out, err)
            if (cond == 0) == node.until:
                return rc
            n += 1
            if n > MAX_ITERATIONS:
                raise Limit("iterations", limit=MAX_ITERATIONS)
            rc = self.seq(node.body, stdin, out, err)

    def if_(self, node: If, stdin: str, out: Sink, err: Sink) -> int:
        for cond, body in node.branches:
            if self.seq(cond, stdin, out, err) == 0:
                return self.seq(body, stdin, out, err)
        return self.seq(node.otherwise, stdin, out, err) if node.otherwise else 0

    def group(self, node: Group, stdin: str, out: Sink, err: Sink) -> int:
        if not node.subshell:
            return self.seq(node.body, stdin, out, err)
        sub = self.nested(self.node)
        try:
            return sub.seq(node.body, stdin, out, err)
        finally:
            self.leave()

    def simple(self, cmd: Simple, stdin: str, out: Sink, err: Sink) -> int:
        env = self.env(err)
        assigned = {name: expand.expand_string(value, env) for name, value in cmd.assigns}
        words = self.alias(cmd.words)
        argv = expand.expand_words(words, env)
        if not argv:
            self.vars.update(assigned)
            return self.last_rc if cmd.assigns and any("$(" in v or "`" in v for _, v in cmd.assigns) else 0
        saved = {k: self.vars.get(k) for k in assigned}
        self.vars.update(assigned)
        try:
            result = self.invoke(argv, stdin, tty=out.tty)
        finally:
            for k, v in saved.items():
                if v is None:
                    self.vars.pop(k, None)
                else:
                    self.vars[k] = v
        self._emit(result, out, err)
        return result.rc

    def invoke(self, argv: list[str], stdin: str, tty: bool = False) -> Result:
        fn = lookup(argv[0])
        if fn is None:
            return Result("", f"-bash: {argv[0]}: command not found\n", 127)
        call = Call(argv, stdin, self.vars, self.node, self.sandbox, self, tty)
        try:
            return fn(call)
        except Refused as refused:
            return refused.result

    @staticmethod
    def _emit(result: Result, out: Sink, err: Sink) -> None:
        if out is err and result.combined is not None:
            out.write(result.combined if result.combined.endswith("\n") or not result.combined
                      else result.combined + "\n")
            return
        out.write(result.out)
        err.write(result.err)

    # -- words ---------------------------------------------------------------------------------------

    def env(self, err: Sink) -> expand.Env:
        self.vars["PWD"] = fs.cwd(self.cluster, self.node)
        self.vars["?"] = str(self.last_rc)

        def glob(pattern: str) -> list[str]:
            full = fs.resolve(self.cluster, self.node, pattern)
            hits = fs.Tree(self.cluster, self.node).glob(full)
            if pattern.startswith("/"):
                return hits
            base = fs.cwd(self.cluster, self.node)
            return [posixpath.relpath(h, base) for h in hits]

        return expand.Env(self.vars, lambda text: self.capture(text, "", err), glob)

    def expand(self, words: list[str]) -> list[str]:
        return expand.expand_words(words, self.env(Sink()))

    def alias(self, words: list[str]) -> list[str]:
        if not words:
            return words
        value = aliases(self.cluster, self.node).get(words[0])
        if value is None or words[0] in COLOR_ALIASES or value.split()[:1] == [words[0]]:
            return words
        try:
            head = [t.text for t in parser.tokenize(value) if t.kind == "word"]
        except parser.ParseError:
            return words
        return head + words[1:]

    # -- redirections ----------------------------------------------------------------------------------

    def redirect(self, redirs, stdin: str, out: Sink, err: Sink):
        writes: list[tuple[str, Sink, bool]] = []
        for r in redirs:
            if r.op == ">&":
                if r.target not in ("1", "2"):
                    raise _RedirectError(f"{r.target}: ambiguous redirect")
                target = out if r.target == "1" else err
                if r.fd == 2:
                    err = target
                else:
                    out = target
                continue
            env = self.env(err)
            path = expand.expand_string(r.target, env)
            if r.op == "<":
                full = fs.resolve(self.cluster, self.node, path)
                tree = fs.Tree(self.cluster, self.node)
                if tree.is_dir(full):
                    raise _RedirectError(f"{path}: Is a directory")
                if not tree.is_file(full):
                    raise _RedirectError(f"{path}: No such file or directory")
                stdin = tree.files[full]
                continue
            sink = Discard() if fs.resolve(self.cluster, self.node, path) == "/dev/null" else Sink()
            writes.append((path, sink, r.op == ">>"))
            if r.op == "&>":
                out = err = sink
            elif r.fd == 2:
                err = sink
            else:
                out = sink
        for path, sink, _append in writes:
            problem = None if isinstance(sink, Discard) else fs.check_write(self.cluster, self.node, path)
            if problem:
                raise _RedirectError(problem)

        def finish(rc: int) -> None:
            # bash creates the file before the command runs; here a failed command that wrote nothing
            # leaves no file, so a rejected line changes nothing in the sandbox.
            for path, sink, append in writes:
                if not isinstance(sink, Discard) and (rc == 0 or sink.text()):
                    fs.write(self.cluster, self.node, path, sink.text(), append=append)
        return stdin, out, err, finish


class _RedirectError(Exception):
    pass


def run(sandbox, node: str, line: str, stdin: str | None = None) -> tuple[str, int]:
    """A chat line typed at `[root@node ~]#`: what the terminal shows, and the exit status."""
    return Shell(sandbox, node).run_line(line, stdin or "")
