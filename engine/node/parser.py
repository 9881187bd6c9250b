"""The bash grammar students type on a node, parsed into a small tree (no execution here).

Our own recursive-descent parser rather than bashlex: bashlex is GPLv3 (it would bind the whole
project), parses far more than a lab needs, and its tree would still have to be walked by our own
interpreter. The subset here is ~300 lines: lists (`;` `&&` `||` newline), pipelines (`|`, `!`),
simple commands with assignments and redirections (`>` `>>` `<` `2>` `2>&1` `&>`), `for`, `while`,
`until`, `if`, `{ …; }` and `( … )`. Words keep their quotes: expansion (engine/node/expand.py)
needs them. Nesting is bounded (MAX_DEPTH) so a hostile line cannot exhaust the Python stack.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MAX_DEPTH = 40
OPERATORS = ("&&", "||", ";;", ">>", "&>", ">&", "<<<", "<<", "|", "&", ";", "(", ")", "<", ">", "\n")
RESERVED = {"for", "in", "do", "done", "while", "until", "if", "then", "elif", "else", "fi", "{", "}", "!"}
CLOSERS = {"do", "done", "then", "elif", "else", "fi", "}", ")"}


class ParseError(Exception):
    """bash's own complaint, worded as bash words it (without the `-bash: ` prefix)."""


class TooDeep(ParseError):
    """Constructs nested deeper than MAX_DEPTH: the shell stops with its depth note."""


class Unsupported(ParseError):
    """Grammar chat cannot give (here-documents): a tutor note (content/messages: `key`) says what to do."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass
class Redir:
    op: str                 # one of > >> < >& (dup) &>
    fd: int
    target: str             # a raw word, or the fd number for >&


@dataclass
class Simple:
    words: list[str]
    assigns: list[tuple[str, str]] = field(default_factory=list)
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class Pipeline:
    commands: list            # Simple | compound nodes
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]]      # ("&&" | "||", pipeline)


@dataclass
class Seq:
    items: list[AndOr]


@dataclass
class For:
    var: str
    words: list[str] | None       # None: "$@" (empty in chat)
    body: Seq
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class While:
    cond: Seq
    body: Seq
    until: bool = False
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class If:
    branches: list[tuple[Seq, Seq]]
    otherwise: Seq | None
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class Group:
    body: Seq
    subshell: bool
    redirs: list[Redir] = field(default_factory=list)


# -- the lexer ------------------------------------------------------------------------------------

@dataclass
class Tok:
    kind: str        # "word" | "op" | "eof"
    text: str
    fd: int | None = None     # `2>`: the io number before a redirection


def _unclosed(quote: str) -> str:
    return f"unexpected EOF while looking for matching `{quote}'\n-bash: syntax error: unexpected end of file"


def _skip_quoted(line: str, i: int, depth: int = 0) -> int:
    """Index just past the construct opening at line[i] ('…', "…", $(…), ${…}, `…`)."""
    if depth > MAX_DEPTH:
        raise TooDeep("nesting")
    ch = line[i]
    if ch == "'":
        end = line.find("'", i + 1)
        if end < 0:
            raise ParseError(_unclosed("'"))
        return end + 1
    if ch == "`":
        j = i + 1
        while j < len(line) and line[j] != "`":
            j += 2 if line[j] == "\\" else 1
        if j >= len(line):
            raise ParseError(_unclosed("`"))
        return j + 1
    if ch == '"':
        j = i + 1
        while j < len(line) and line[j] != '"':
            if line[j] == "\\":
                j += 2
            elif line[j] == "`" or line.startswith(("$(", "${"), j):
                j = _skip_quoted(line, j, depth + 1)
            else:
                j += 1
        if j >= len(line):
            raise ParseError(_unclosed('"'))
        return j + 1
    # $( … ) or ${ … }
    close = ")" if line[i + 1] == "(" else "}"
    j, level = i + 2, 1
    while j < len(line):
        c = line[j]
        if c in "'\"`" or line.startswith(("$(", "${"), j):
            j = _skip_quoted(line, j, depth + 1)
            continue
        if c == "\\":
            j += 2
            continue
        if c == line[i + 1]:
            level += 1
        elif c == close:
            level -= 1
            if level == 0:
                return j + 1
        j += 1
    raise ParseError(_unclosed(close))


def tokenize(line: str) -> list[Tok]:
    toks: list[Tok] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "\\" and line[i + 1:i + 2] == "\n":       # a continued line
            i += 2
            continue
        if ch == "#":
            while i < n and line[i] != "\n":
                i += 1
            continue
        op = next((o for o in OPERATORS if line.startswith(o, i)), None)
        if op:
            toks.append(Tok("op", op))
            i += len(op)
            continue
        start = i
        while i < n:
            c = line[i]
            if c in " \t\r\n|&;()<>":
                break
            if c == "\\":
                i += 2
            elif c in "'\"`" or (c == "$" and line[i + 1:i + 2] in ("(", "{")):
                i = _skip_quoted(line, i)
            else:
                i += 1
        word = line[start:min(i, n)]
        if word.isdigit() and i < n and line[i] in "<>":
            op = next(o for o in OPERATORS if line.startswith(o, i))
            toks.append(Tok("op", op, fd=int(word)))
            i += len(op)
            continue
        toks.append(Tok("word", word))
    toks.append(Tok("eof", ""))
    return toks


# -- the grammar ----------------------------------------------------------------------------------

class _Parser:
    def __init__(self, line: str):
        self.toks = tokenize(line)
        self.pos = 0
        self.depth = 0

    def peek(self) -> Tok:
        return self.toks[self.pos]

    def next(self) -> Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def unexpected(self, tok: Tok):
        if tok.kind == "eof":
            raise ParseError("syntax error: unexpected end of file")
        text = "newline" if tok.text == "\n" else tok.text
        raise ParseError(f"syntax error near unexpected token `{text}'")

    def is_word(self, text: str) -> bool:
        tok = self.peek()
        return tok.kind == "word" and tok.text == text

    def expect_word(self, text: str) -> None:
        self.skip_newlines()
        if not self.is_word(text):
            self.unexpected(self.peek())
        self.next()

    def skip_newlines(self) -> None:
        while self.peek().kind == "op" and self.peek().text == "\n":
            self.next()

    def seq(self, closers: set[str]) -> Seq:
        """A list up to one of `closers` (reserved words or `)`), or to the end of input."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep("nesting")
        items: list[AndOr] = []
        while True:
            self.skip_newlines()
            tok = self.peek()
            if tok.kind == "eof" or (tok.text in closers and (tok.kind == "word" or tok.text == ")")):
                break
            items.append(self.and_or())
            tok = self.peek()
            if tok.kind == "op" and tok.text in (";", "&", "\n"):
                self.next()
                continue
            if tok.kind == "eof" or tok.text in closers:
                continue
            self.unexpected(tok)
        self.depth -= 1
        return Seq(items)

    def and_or(self) -> AndOr:
        first = self.pipeline()
        rest = []
        while self.peek().kind == "op" and self.peek().text in ("&&", "||"):
            op = self.next().text
            self.skip_newlines()
            rest.append((op, self.pipeline()))
        return AndOr(first, rest)

    def pipeline(self) -> Pipeline:
        negate = False
        if self.is_word("!"):
            self.next()
            negate = True
        commands = [self.command()]
        while self.peek().kind == "op" and self.peek().text == "|":
            self.next()
            self.skip_newlines()
            commands.append(self.command())
        return Pipeline(commands, negate)

    def command(self):
        tok = self.peek()
        if tok.kind == "word" and tok.text in ("for", "while", "until", "if", "{"):
            node = getattr(self, "compound_" + {"{": "group"}.get(tok.text, tok.text))()
            node.redirs = self.redirections()
            return node
        if tok.kind == "op" and tok.text == "(":
            self.next()
            body = self.seq({")"})
            if self.peek().text != ")":
                self.unexpected(self.peek())
            self.next()
            return Group(body, True, self.redirections())
        return self.simple()

    def redirections(self) -> list[Redir]:
        out = []
        while self.peek().kind == "op" and self.peek().text in (">", ">>", "<", ">&", "&>", "<<", "<<<"):
            out.append(self.redirection())
        return out

    def redirection(self) -> Redir:
        op = self.next()
        if op.text in ("<<", "<<<"):
            raise Unsupported("shell_heredoc")
        target = self.next()
        if target.kind == "eof":
            raise ParseError("syntax error near unexpected token `newline'")
        if target.kind != "word":
            self.unexpected(target)
        fd = op.fd if op.fd is not None else (0 if op.text == "<" else 1)
        return Redir(op.text, fd, target.text)

    def simple(self) -> Simple:
        cmd = Simple([])
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in (">", ">>", "<", ">&", "&>", "<<", "<<<"):
                cmd.redirs.append(self.redirection())
                continue
            if tok.kind != "word":
                break
            if not cmd.words and tok.text in CLOSERS | {"in"} and not cmd.assigns:
                break
            name, eq, value = tok.text.partition("=")
            if not cmd.words and eq and name.isidentifier():
                cmd.assigns.append((name, value))
            else:
                cmd.words.append(tok.text)
            self.next()
        if not cmd.words and not cmd.assigns and not cmd.redirs:
            self.unexpected(self.peek())
        return cmd

    def compound_for(self) -> For:
        self.next()
        var = self.next()
        if var.kind != "word" or not var.text.isidentifier():
            raise ParseError(f"`{var.text}': not a valid identifier")
        words = None
        self.skip_newlines()
        if self.is_word("in"):
            self.next()
            words = []
            while self.peek().kind == "word":
                words.append(self.next().text)
            if self.peek().text not in (";", "\n"):
                self.unexpected(self.peek())
            self.next()
        elif self.peek().text == ";":
            self.next()
        self.expect_word("do")
        body = self.seq({"done"})
        self.expect_word("done")
        return For(var.text, words, body)

    def compound_while(self, until: bool = False) -> While:
        self.next()
        cond = self.seq({"do"})
        self.expect_word("do")
        body = self.seq({"done"})
        self.expect_word("done")
        return While(cond, body, until)

    def compound_until(self) -> While:
        return self.compound_while(until=True)

    def compound_if(self) -> If:
        self.next()
        branches, otherwise = [], None
        while True:
            cond = self.seq({"then"})
            self.expect_word("then")
            branches.append((cond, self.seq({"elif", "else", "fi"})))
            tok = self.next()
            if tok.kind != "word":
                self.unexpected(tok)
            if tok.text == "elif":
                continue
            if tok.text == "else":
                otherwise = self.seq({"fi"})
                self.expect_word("fi")
            return If(branches, otherwise)

    def compound_group(self) -> Group:
        self.next()
        body = self.seq({"}"})
        self.expect_word("}")
        return Group(body, False)


def parse(line: str) -> Seq:
    p = _Parser(line)
    tree = p.seq(set())
    if p.peek().kind != "eof":
        p.unexpected(p.peek())
    return tree


def has_operators(line: str) -> bool:
    """Whether a `!k` line needs m-k8s's shell: an unquoted `|`, `;`, `&&`, `||`, `>` or `<`.
    Expansions alone (`$(…)`, backticks, `$VAR`) stay literal there, as kubectl's own words; `!sh` has them."""
    try:
        return any(t.kind == "op" for t in tokenize(line))
    except ParseError:
        return False                    # kubectl's own splitter words the unclosed quote


def split_commands(line: str) -> list[tuple[str, str]] | None:
    """`a; b && c` -> [("", "a"), (";", "b"), ("&&", "c")], quotes respected; None if a quote is open.
    The simple lists a container's `sh -c` runs (kubectl exec); the node shell parses the full grammar."""
    parts: list[tuple[str, str]] = []
    joiner, start, quote, i = "", 0, None, 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"':
                i += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "\\":
            i += 1
        elif ch == ";" or line.startswith(("&&", "||"), i):
            op = ch if ch == ";" else line[i:i + 2]
            parts.append((joiner, line[start:i].strip()))
            joiner, start = op, i + len(op)
            i += len(op) - 1
        i += 1
    if quote:
        return None
    parts.append((joiner, line[start:].strip()))
    return parts
