"""bash's word expansions, in bash's order: braces, tilde, parameters / `$(…)` / `$((…))`,
word splitting of unquoted results, pathname globbing, quote removal.

The caller supplies the environment, a command-substitution runner and a glob matcher, so this
module knows nothing of nodes or commands.
"""
from __future__ import annotations

import ast
import math
import operator
import re
from dataclasses import dataclass
from typing import Callable

from engine.node.parser import ParseError, _skip_quoted

MAX_WORDS = 4096          # what one word may expand to ({1..100000} stops here)


class TooMany(Exception):
    """An expansion would produce more than MAX_WORDS words."""


@dataclass
class Env:
    vars: dict[str, str]
    substitute: Callable[[str], str]          # runs `$(…)`, returns its stdout
    glob: Callable[[str], list[str]]          # pattern (quoted chars escaped) -> sorted matches
    home: str = "/root"


# -- braces ------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$|^([A-Za-z])\.\.([A-Za-z])$")


def braces(word: str) -> list[str]:
    out = _braces(word)
    if len(out) > MAX_WORDS:
        raise TooMany(word)
    return out


def _unquoted(word: str, start: int = 0):
    """(index, char) of the characters of `word` outside quotes, escapes and `$(…)`/`${…}`."""
    i = start
    while i < len(word):
        c = word[i]
        if c == "\\":
            i += 2
        elif c in "'\"`" or (c == "$" and word[i + 1:i + 2] in ("(", "{")):
            i = _skip_quoted(word, i)
        else:
            yield i, c
            i += 1


def _braces(word: str) -> list[str]:
    for i, c in _unquoted(word):
        if c == "{" and (found := _brace_at(word, i)):
            end, alternatives = found
            out: list[str] = []
            for alt in alternatives:
                out.extend(_braces(word[:i] + alt + word[end + 1:]))
                if len(out) > MAX_WORDS:
                    raise TooMany(word)
            return out
    return [word]


def _brace_at(word: str, start: int) -> tuple[int, list[str]] | None:
    level, commas = 0, []
    for i, c in _unquoted(word, start):
        if c == "{":
            level += 1
        elif c == "}":
            level -= 1
            if level == 0:
                inner = word[start + 1:i]
                if commas:
                    cuts = [start + 1] + [p + 1 for p in commas] + [i + 1]
                    return i, [word[a:b - 1] for a, b in zip(cuts, cuts[1:])]
                rng = _sequence(inner)
                return (i, rng) if rng is not None else None
        elif c == "," and level == 1:
            commas.append(i)
    return None


def _sequence(inner: str) -> list[str] | None:
    m = _RANGE.match(inner)
    if not m:
        return None
    if m.group(4):
        a, b = ord(m.group(4)), ord(m.group(5))
        step = 1 if b >= a else -1
        return [chr(x) for x in range(a, b + step, step)]
    a, b = int(m.group(1)), int(m.group(2))
    step = abs(int(m.group(3) or 1)) or 1
    if abs(b - a) // step + 1 > MAX_WORDS:
        raise TooMany(inner)
    width = max(len(m.group(1)), len(m.group(2))) if (m.group(1).lstrip("-").startswith("0")
                                                     or m.group(2).lstrip("-").startswith("0")) else 0
    values = range(a, b + 1, step) if b >= a else range(a, b - 1, -step)
    return [str(v).zfill(width) if width else str(v) for v in values]


# -- parameters, substitutions, arithmetic --------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!-]")


def _param(name: str, env: Env) -> str:
    if name in ("@", "*", "#") or name.isdigit() and name != "0":
        return "0" if name == "#" else ""
    if name == "0":
        return "-bash"
    return env.vars.get(name, "")


def _braced(inner: str, env: Env) -> str:
    if inner.startswith("#") and len(inner) > 1:
        return str(len(_param(inner[1:], env)))
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!-])(?::?([-=+?])(.*))?$", inner, re.S)
    if not m:
        raise ParseError(f"${{{inner}}}: bad substitution")
    value = _param(m.group(1), env)
    op, word = m.group(2), m.group(3)
    if op is None:
        return value
    word = "".join(text for text, _ in _segments(word, env, quoted=True))
    if op in "-=":
        if not value:
            if op == "=":
                env.vars[m.group(1)] = word
            return word
        return value
    if op == "+":
        return word if value else ""
    if not value:
        raise ParseError(f"{m.group(1)}: {word or 'parameter null or not set'}")
    return value


_ARITH_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Mod: operator.mod,
              ast.FloorDiv: None, ast.Div: None, ast.Lt: operator.lt, ast.Gt: operator.gt, ast.LtE: operator.le,
              ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne}


def arithmetic(text: str, env: Env) -> int:
    expr = re.sub(r"\$?([A-Za-z_][A-Za-z0-9_]*)", lambda m: str(_int(env.vars.get(m.group(1), "0"))), text)
    expr = expr.replace("&&", " and ").replace("||", " or ").replace("/", "//").replace("////", "//")
    try:
        tree = ast.parse(expr.strip() or "0", mode="eval")
        return int(_eval(tree.body))
    except ZeroDivisionError:
        token = re.split(r"[/%]", text.strip())[-1].strip()
        raise ParseError(f'{text.strip()}: division by 0 (error token is "{token}")') from None
    except (SyntaxError, ValueError, TypeError, RecursionError, OverflowError):
        raise ParseError(f"{text.strip()}: syntax error: invalid arithmetic operator") from None


def _int(value: str) -> int:
    try:
        return int(value.strip() or 0)
    except ValueError:
        return 0


def _eval(node) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
        v = _eval(node.operand)
        return -v if isinstance(node.op, ast.USub) else (int(not v) if isinstance(node.op, ast.Not) else v)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH_OPS:
        a, b = _eval(node.left), _eval(node.right)
        if abs(a) > 2 ** 63 or abs(b) > 2 ** 63:
            raise OverflowError
        if isinstance(node.op, (ast.FloorDiv, ast.Div, ast.Mod)) and not b:
            raise ZeroDivisionError
        if isinstance(node.op, (ast.FloorDiv, ast.Div)):
            return int(a / b)                         # C division: truncated toward zero
        if isinstance(node.op, ast.Mod):
            return int(math.fmod(a, b))
        return _ARITH_OPS[type(node.op)](a, b)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _ARITH_OPS:
        return int(_ARITH_OPS[type(node.ops[0])](_eval(node.left), _eval(node.comparators[0])))
    if isinstance(node, ast.BoolOp):
        values = [_eval(v) for v in node.values]
        return int(all(values) if isinstance(node.op, ast.And) else any(values))
    raise ValueError(node)


def _segments(word: str, env: Env, quoted: bool = False) -> list[tuple[str, str]]:
    """(text, kind): kind is lit (unquoted, may glob), q (quoted), exp (unquoted expansion: split + glob)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(word)
    lit = "q" if quoted else "lit"
    exp = "q" if quoted else "exp"
    while i < n:
        c = word[i]
        if c == "\\":
            nxt = word[i + 1:i + 2]
            if quoted and nxt not in ('"', "\\", "$", "`"):
                out.append(("\\" + nxt, "q"))
            else:
                out.append((nxt, "q"))
            i += 2
        elif c == "'" and not quoted:
            end = word.index("'", i + 1)
            out.append((word[i + 1:end], "q"))
            i = end + 1
        elif c == '"' and not quoted:
            end = _skip_quoted(word, i)
            inner = _segments(word[i + 1:end - 1], env, quoted=True)
            out.extend(inner or [("", "q")])
            i = end
        elif c == "`":
            end = _skip_quoted(word, i)
            body = re.sub(r"\\([\\`$])", r"\1", word[i + 1:end - 1])
            out.append((env.substitute(body).rstrip("\n"), exp))
            i = end
        elif word.startswith("$((", i):
            end = _skip_quoted(word, i)
            out.append((str(arithmetic(word[i + 3:end - 2], env)), exp))
            i = end
        elif word.startswith("$(", i):
            end = _skip_quoted(word, i)
            out.append((env.substitute(word[i + 2:end - 1]).rstrip("\n"), exp))
            i = end
        elif word.startswith("${", i):
            end = _skip_quoted(word, i)
            out.append((_braced(word[i + 2:end - 1], env), exp))
            i = end
        elif c == "$" and (m := _NAME.match(word, i + 1)):
            name = m.group(0) if not m.group(0)[0].isdigit() else m.group(0)[0]
            out.append((_param(name, env), exp))
            i = i + 1 + len(name)
        elif c == "~" and i == 0 and not quoted and (n == 1 or word[1] == "/"):
            out.append((env.home, "q"))
            i += 1
        else:
            out.append((c, lit))
            i += 1
    return out


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def expand_word(word: str, env: Env) -> list[str]:
    """One raw word -> the fields bash passes to the command."""
    fields: list[str] = []
    for braced in braces(word):
        fields.extend(_fields(_segments(braced, env), env))
        if len(fields) > MAX_WORDS:
            raise TooMany(word)
    return fields


def _fields(segments: list[tuple[str, str]], env: Env) -> list[str]:
    out: list[tuple[str, str, bool]] = []       # (text, glob pattern, globbable)
    text, pattern, globbable, started = "", "", False, False

    def finish():
        nonlocal text, pattern, globbable, started
        if started:
            out.append((text, pattern, globbable))
        text, pattern, globbable, started = "", "", False, False

    for seg, kind in segments:
        if kind == "q":
            text += seg
            pattern += _glob_escape(seg)
            started = True
            continue
        if kind == "lit":
            text += seg
            pattern += seg
            globbable = globbable or seg in "*?["
            started = True
            continue
        pieces = re.split(r"[ \t\n]+", seg)
        for k, piece in enumerate(pieces):
            if k > 0:
                finish()
            if piece:
                text += piece
                pattern += piece
                globbable = globbable or any(ch in piece for ch in "*?[")
                started = True
    finish()
    fields: list[str] = []
    for text, pattern, globbable in out:
        hits = env.glob(pattern) if globbable else []
        fields.extend(hits or [text])
    return fields


def expand_words(words: list[str], env: Env) -> list[str]:
    out: list[str] = []
    for word in words:
        out.extend(expand_word(word, env))
        if len(out) > MAX_WORDS:
            raise TooMany(word)
    return out


def expand_string(word: str, env: Env) -> str:
    """An assignment's value or a redirection target: no splitting, no globbing."""
    return "".join(text for braced in [word] for text, _ in _segments(braced, env))
