r"""Golden transcripts: chat lines in, the bot's exact replies out.

A transcript (tests/golden/*.txt) is replayed through the real chat router in-process, with a
frozen wall clock: time moves only through `!wait`. The format:

    # comment lines at the top of the file (before the first `>`) describe the transcript
    > !k run nginx --image=nginx          one chat message
    pod/nginx created                     the expected reply, every line of it
    > !k apply -f -                       a message that goes on over more lines:
    >> ```yaml                            `>> ` lines are appended to it (one message)
    >> ```
    ## a comment line anywhere (never part of an expected reply)

Expected lines are compared exactly (trailing blank lines of a reply and of a block are
ignored), except:

    {{ip}} {{clusterip}} {{nodeport}} {{node}} {{suffix}} {{hash}} {{age}} {{any}}
        placeholders for what is genuinely random (see PLACEHOLDERS below)
    {{ip:a}}    the same, and binds the variable `a` to the matched text; a later `{{a}}`, in an
                expected line or in a `>` message, stands for that text
    ~LINE       column spacing is free: a run of 2+ spaces matches any run of 2+ spaces
                (for tables whose widths depend on random values)
    %LINE       consecutive `%` lines may come in any order (rows sorted by a random name);
                `%~LINE` combines both
    \LINE       LINE literally (for output that itself starts with `~`, `%`, `\` or `[rc=`)
    [rc=1]      as the last line of a block: the reply must be an error (ok=False); [rc=0]: not
"""
from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.app import open_app
from bot.console import render
from bot.i18n import text_for
from bot.reply import Message

FROZEN_NOW = 1795000000.0
USER, SERVER = "golden", "golden"

_SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]"
PLACEHOLDERS = {
    "ip": r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",           # a pod or node address
    "clusterip": r"10\.(?:9[6-9]|1[01]\d)\.\d{1,3}\.\d{1,3}",  # from the 10.96.0.0/12 service range
    "nodeport": r"3[0-2]\d{3}",                           # 30000-32767
    "node": r"(?:m|w[123])-k8s",
    "suffix": _SUFFIX + "{5}",                            # generateName's random tail
    "hash": _SUFFIX + "{6,10}",                           # a pod-template-hash
    "age": r"(?:<invalid>|\d+[smhdy](?:\d+[smh])?)",     # kubectl's human durations
    "any": r".*?",
}
_TOKEN = re.compile(r"\{\{(\w+)(?::(\w+))?\}\}")
_RC = re.compile(r"^\[rc=(\d+)\]$")


@dataclass
class Step:
    lineno: int                    # where the `>` line is in the file
    message: str
    expected: list[tuple[int, str]] = field(default_factory=list)   # (file line number, template)
    rc: int | None = None


def parse(path: Path) -> list[Step]:
    steps: list[Step] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith("##") or (not steps and (line.startswith("#") or not line.strip())):
            continue
        if line.startswith(">> ") or line == ">>":
            if not steps or steps[-1].expected:
                raise ValueError(f"{path}:{lineno}: a `>>` line must follow a `>` line")
            steps[-1].message += "\n" + line[3:]
        elif line.startswith("> "):
            steps.append(Step(lineno, line[2:]))
        elif not steps:
            raise ValueError(f"{path}:{lineno}: expected text before the first `>` line")
        else:
            steps[-1].expected.append((lineno, line))
    for step in steps:
        _strip_blank_tail(step.expected)
        if step.expected and (m := _RC.match(step.expected[-1][1])):
            step.rc = int(m.group(1))
            step.expected.pop()
            _strip_blank_tail(step.expected)
    return steps


def _strip_blank_tail(expected: list[tuple[int, str]]) -> None:
    while expected and not expected[-1][1].strip():
        expected.pop()


def substitute(message: str, bound: dict[str, str]) -> str:
    def one(m: re.Match) -> str:
        if m.group(2) or m.group(1) not in bound:
            raise ValueError(f"unbound variable {m.group(0)} in a message")
        return bound[m.group(1)]
    return _TOKEN.sub(one, message)


def line_matches(template: str, actual: str, bound: dict[str, str]) -> dict[str, str] | None:
    """New bindings if `actual` matches the template line, else None."""
    if template.startswith("\\"):
        return {} if template[1:] == actual else None
    flexible = template.startswith("~")
    body = template[1:] if flexible else template
    parts, names, pos = [], [], 0
    for m in _TOKEN.finditer(body):
        parts.append(_literal(body[pos:m.start()], flexible))
        kind, var = m.group(1), m.group(2)
        if kind in PLACEHOLDERS:
            if var and var in bound:
                parts.append(re.escape(bound[var]))
            else:
                parts.append(f"({PLACEHOLDERS[kind]})")
                names.append(var)
        elif kind in bound and not var:
            parts.append(re.escape(bound[kind]))
        else:
            raise ValueError(f"unknown placeholder or unbound variable {m.group(0)!r}")
        pos = m.end()
    parts.append(_literal(body[pos:], flexible))
    match = re.fullmatch("".join(parts), actual)
    if match is None:
        return None
    return {name: value for name, value in zip(names, match.groups()) if name}


def _literal(text: str, flexible: bool) -> str:
    if not flexible:
        return re.escape(text)
    return " {2,}".join(re.escape(chunk) for chunk in re.split(r" {2,}", text))


def match_block(templates: list[str], actual: list[str], bound: dict[str, str]) -> int | None:
    """Index of the first line that does not match (None: all match); binds variables on success."""
    new: dict[str, str] = {}
    i = 0
    while i < max(len(templates), len(actual)):
        if i >= len(templates) or i >= len(actual):
            return i
        if templates[i].startswith("%"):
            j = i
            while j < len(templates) and templates[j].startswith("%"):
                j += 1
            group = [t[1:] for t in templates[i:j]]
            got = _match_unordered(group, actual[i:j], {**bound, **new})
            if got is None:
                return i
            new.update(got)
            i = j
            continue
        got = line_matches(templates[i], actual[i], {**bound, **new})
        if got is None:
            return i
        new.update(got)
        i += 1
    bound.update(new)
    return None


def _match_unordered(templates: list[str], actual: list[str], bound: dict[str, str]) -> dict[str, str] | None:
    if len(actual) < len(templates) or len(templates) > 8:
        return None
    for order in itertools.permutations(actual):
        new: dict[str, str] = {}
        for template, line in zip(templates, order):
            got = line_matches(template, line, {**bound, **new})
            if got is None:
                break
            new.update(got)
        else:
            return new
    return None


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def explain(path: Path, step: Step, message: str, actual: list[str], bad: int) -> str:
    templates = [t for _, t in step.expected]
    where = step.expected[bad][0] if bad < len(step.expected) else (step.expected[-1][0] + 1 if step.expected
                                                                      else step.lineno + 1)
    out = [f"{path.name}:{step.lineno}: reply to `{message}` differs from the transcript",
           f"  first difference at reply line {bad + 1} (transcript line {where}):",
           f"    expected: {templates[bad] if bad < len(templates) else '(end of reply)'}",
           f"    got:      {actual[bad] if bad < len(actual) else '(end of reply)'}",
           "  whole reply (- transcript, + got):"]
    out += ["    " + d for d in difflib.unified_diff(templates, actual, "transcript", "got", lineterm="", n=99)][2:]
    return "\n".join(out)


async def replay(path: Path, db_path: Path) -> str | None:
    """Play a transcript; None when every reply matches, else a readable account of the first miss."""
    steps = parse(path)
    app = await open_app(db_path, clock=lambda: FROZEN_NOW, rate_limit=None)
    bound: dict[str, str] = {}
    try:
        for step in steps:
            message = substitute(step.message, bound)
            msg = Message(content=message, user=USER, server=SERVER, user_name=USER, addressed=True)  # as the console
            replies = await app.router.handle(msg)
            actual = _lines("\n".join(render(r, text_for(app.router, msg)) for r in replies))
            text = "\n".join(actual)
            if "Traceback" in text:
                return f"{path.name}:{step.lineno}: a traceback in the reply to `{message}`:\n{text}"
            bad = match_block([t for _, t in step.expected], actual, bound)
            if bad is not None:
                return explain(path, step, message, actual, bad)
            if step.rc is not None and all(r.ok for r in replies) != (step.rc == 0):
                return f"{path.name}:{step.lineno}: `{message}` should {'fail' if step.rc else 'succeed'} (rc={step.rc})"
    finally:
        await app.close()
    return None
