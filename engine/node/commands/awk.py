"""A small `awk` (gawk 4.0 on CentOS 7): what one-liners in a lab use.

    awk '{print $1}'   awk -F: '{print $1, $NF}'   awk 'NR>1 {print $2}'   awk '/Running/'
    awk '$3 == "Running" {print $1}'   awk 'END {print NR}'   awk '{print NR": "$0}'

Rules are `[pattern] [{ print expr, … ; … }]` with BEGIN/END; expressions are fields ($N, $NF,
$(NF-1)), NR, NF, strings, numbers and concatenation; patterns are /regex/, comparisons,
`~`/`!~` and `!`. Anything else is a syntax error, worded as gawk words it.
"""
from __future__ import annotations

import re

from engine.node.command import Call, Result, fail, read_inputs
from engine.node.commands.grep import to_python

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<re>/(?:[^/\\]|\\.)*/)|(?P<num>\d+(?:\.\d+)?)'
                    r'|(?P<field>\$)|(?P<op>==|!=|<=|>=|!~|&&|\|\||[<>~!(),;{}+\-*])|(?P<name>[A-Za-z_]\w*))')


class AwkError(Exception):
    pass


def _tokens(program: str) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(program):
        if program[i:].strip() == "":
            break
        m = _TOKEN.match(program, i)
        if not m or m.end() == i:
            raise AwkError(i)
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        i = m.end()
    return out


class _Program:
    def __init__(self, program: str):
        self.toks = _tokens(program)
        self.pos = 0
        self.rules = []            # (kind: BEGIN|END|main, pattern | None, actions | None)
        while self.pos < len(self.toks):
            self.rules.append(self.rule())

    def peek(self, k: int = 0):
        return self.toks[self.pos + k] if self.pos + k < len(self.toks) else ("eof", "")

    def take(self, text: str | None = None):
        tok = self.peek()
        if tok[0] == "eof" or (text is not None and tok[1] != text):
            raise AwkError(self.pos)
        self.pos += 1
        return tok

    def rule(self):
        kind, pattern = "main", None
        if self.peek() in (("name", "BEGIN"), ("name", "END")):
            kind = self.take()[1]
        elif self.peek()[1] != "{":
            pattern = self.expr()
        actions = None
        if self.peek()[1] == "{":
            self.take("{")
            actions = []
            while self.peek()[1] != "}":
                if self.peek()[1] in (";",):
                    self.take()
                    continue
                actions.append(self.statement())
            self.take("}")
        elif kind != "main":
            raise AwkError(self.pos)
        while self.peek()[1] == ";":
            self.take()
        return kind, pattern, actions

    def statement(self):
        word = self.take()
        if word != ("name", "print"):
            raise AwkError(self.pos)
        items = []
        if self.peek()[1] not in (";", "}"):
            items.append(self.expr())
            while self.peek()[1] == ",":
                self.take(",")
                items.append(self.expr())
        return items

    def expr(self):
        left = self.comparison()
        while self.peek()[1] in ("&&", "||"):
            op = self.take()[1]
            left = ("bool", op, left, self.comparison())
        return left

    def comparison(self):
        left = self.concat()
        if self.peek()[1] in ("==", "!=", "<", ">", "<=", ">=", "~", "!~"):
            op = self.take()[1]
            return ("cmp", op, left, self.concat())
        return left

    def concat(self):
        parts = [self.arith()]
        while self.peek()[0] in ("str", "num", "field", "name") or self.peek()[1] in ("(",):
            parts.append(self.arith())
        return parts[0] if len(parts) == 1 else ("cat", parts)

    def arith(self):
        left = self.unary()
        while self.peek()[1] in ("+", "-", "*"):
            op = self.take()[1]
            left = ("arith", op, left, self.unary())
        return left

    def unary(self):
        kind, text = self.take()
        if text == "!":
            return ("not", self.unary())
        if text == "-":
            return ("arith", "-", ("num", 0.0), self.unary())
        if text == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "str":
            return ("str", re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1]))
        if kind == "num":
            return ("num", float(text))
        if kind == "re":
            return ("re", re.compile(to_python(text[1:-1], extended=True)))
        if kind == "field":
            return ("field", self.unary())
        if kind == "name":
            return ("var", text)
        raise AwkError(self.pos)


def _num(value) -> float:
    if isinstance(value, float):
        return value
    m = re.match(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)", str(value))
    return float(m.group(0)) if m else 0.0


def _str(value) -> str:
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else f"{value:.6g}"
    return value


def _looks_numeric(value) -> bool:
    return isinstance(value, float) or re.fullmatch(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*", value) is not None


def _eval(node, rec: dict):
    kind = node[0]
    if kind in ("str", "num"):
        return node[1]
    if kind == "re":
        return 1.0 if node[1].search(rec["$0"]) else 0.0
    if kind == "field":
        n = int(_num(_eval(node[1], rec)))
        if n == 0:
            return rec["$0"]
        fields = rec["fields"]
        return fields[n - 1] if 0 < n <= len(fields) else ""
    if kind == "var":
        return {"NR": float(rec["NR"]), "NF": float(len(rec["fields"])), "FS": rec["FS"]}.get(node[1], "")
    if kind == "not":
        return 0.0 if _truth(_eval(node[1], rec)) else 1.0
    if kind == "cat":
        return "".join(_str(_eval(p, rec)) for p in node[1])
    if kind == "arith":
        a, b = _num(_eval(node[2], rec)), _num(_eval(node[3], rec))
        return {"+": a + b, "-": a - b, "*": a * b}[node[1]]
    if kind == "bool":
        a = _truth(_eval(node[2], rec))
        return 1.0 if ((a and _truth(_eval(node[3], rec))) if node[1] == "&&" else
                       (a or _truth(_eval(node[3], rec)))) else 0.0
    op, a_node, b_node = node[1], node[2], node[3]
    a = _eval(a_node, rec)
    if op in ("~", "!~"):
        pattern = b_node[1] if b_node[0] == "re" else re.compile(to_python(_str(_eval(b_node, rec)), True))
        hit = pattern.search(_str(a)) is not None
        return 1.0 if hit == (op == "~") else 0.0
    b = _eval(b_node, rec)
    if _looks_numeric(a) and _looks_numeric(b):
        a, b = _num(a), _num(b)
    else:
        a, b = _str(a), _str(b)
    return 1.0 if {"==": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op] else 0.0


def _truth(value) -> bool:
    return value != 0.0 if isinstance(value, float) else value != ""


def awk(call: Call) -> Result:
    args, fs_sep = list(call.args), " "
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt.startswith("-F"):
            fs_sep = opt[2:] or (args.pop(0) if args else " ")
        elif opt == "-v" and args:
            args.pop(0)
        elif opt == "--":
            break
        else:
            return fail(f"awk: not an option: {opt}", 2)
    if not args:
        return fail("Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\n"
                    "Usage: awk [POSIX or GNU style options] [--] 'program text' file ...", 2)
    text, operands = args[0], args[1:]
    try:
        program = _Program(text)
    except (AwkError, re.error):
        return fail(f"awk: cmd. line:1: {text}\nawk: cmd. line:1: {' ' * len(text)}^ syntax error", 1)
    if fs_sep == "t":
        fs_sep = "\t"
    splitter = (lambda s: s.split()) if fs_sep == " " else (
        (lambda s: s.split(fs_sep)) if len(fs_sep) == 1 else (lambda s: re.split(fs_sep, s)))
    out, err = [], []
    rec = {"$0": "", "fields": [], "NR": 0, "FS": fs_sep}

    def run(actions):
        for items in actions:
            out.append(" ".join(_str(_eval(e, rec)) for e in items) + "\n" if items else rec["$0"] + "\n")

    for kind, _, actions in program.rules:
        if kind == "BEGIN":
            run(actions)
    mains = [r for r in program.rules if r[0] == "main"]
    if mains or any(r[0] == "END" for r in program.rules):
        for name, data, problem in read_inputs(call, operands):
            if data is None:
                err.append(f"awk: cmd. line:1: fatal: cannot open file `{name}' for reading ({problem})\n")
                return Result("".join(out), "".join(err), 2)
            for line in data.splitlines():
                rec.update({"$0": line, "fields": splitter(line), "NR": rec["NR"] + 1})
                for _, pattern, actions in mains:
                    if pattern is None or _truth(_eval(pattern, rec)):
                        run(actions if actions is not None else [[]])
    for kind, _, actions in program.rules:
        if kind == "END":
            run(actions)
    return Result("".join(out), "".join(err))
