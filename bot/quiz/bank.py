"""The question bank: content/quizzes/*.yaml, validated on load.

`sections.yaml` lists the study-note sections (the quiz topics) in course order; every other file
holds `QUESTIONS:`. Problems are collected across all files and raised together as one BankError
whose lines each name the file, the line and the entry, so an author fixes everything in one pass.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from engine import fastyaml

BANK_DIR = Path(__file__).resolve().parents[2] / "content" / "quizzes"
SECTIONS_FILE = "sections.yaml"
LANGS = ("ko", "en")
CHOICE_KINDS = ("single", "multi", "truefalse")
TYPED_KINDS = ("number", "command", "name")
KINDS = CHOICE_KINDS + TYPED_KINDS
UNITS = ("seconds",)
MIN_SETS = 4                    # a multi question offers at least this many same-sized sets
BUTTON_CHARS = 80               # Discord's limit for a button label
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_QUESTION_KEYS = {"id", "section", "kind", "q", "explain", "choices", "answer", "accept", "unit", "shuffle"}
_SECTION_KEYS = {"id", "ko", "en", "notes"}


class BankError(Exception):
    """The bank cannot be used; `problems` holds one sentence per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    ko: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.ko


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    notes: tuple[str, ...]   # the study-note headings and bullet lines this section comes from


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    kind: str
    q: Text
    explain: Text
    choices: tuple[Text, ...] = ()
    answer: Any = None                 # single: int; multi: frozenset[int] (1-based); truefalse: bool
    accept: tuple = ()                 # typed kinds: accepted spellings (numbers for `number`)
    unit: str | None = None
    shuffle: bool = True
    origin: str = ""                   # "file:line", for messages

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS


@dataclass(frozen=True)
class Bank:
    sections: tuple[Section, ...]
    questions: dict[str, Question]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def in_section(self, section_id: str) -> list[Question]:
        return [q for q in self.questions.values() if q.section == section_id]

    def find_topic(self, word: str) -> Section | None:
        """Exact id, else the one section whose id or title starts with / contains the word."""
        word = word.strip().lower()
        if not word:
            return None
        exact = self.section(word)
        if exact:
            return exact
        for test in (str.startswith, str.__contains__):
            hits = [s for s in self.sections
                    if any(test(name.lower(), word) for name in (s.id, s.title.ko, s.title.en))]
            if len(hits) == 1:
                return hits[0]
        return None


# -- YAML with line numbers --------------------------------------------------------------------------

class _LineLoader(fastyaml.SafeLoader):
    pass


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _read(path: Path, problems: list[str]) -> dict | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark else path.name
        problems.append(f"{where}: this is not valid YAML ({getattr(exc, 'problem', None) or exc}).")
        return None
    if not isinstance(data, dict):
        problems.append(f"{path.name}: the file must be a mapping with upper-case meta keys and QUESTIONS.")
        return None
    return data


# -- validation --------------------------------------------------------------------------------------

def _text(value: Any, field: str, say) -> Text | None:
    if isinstance(value, dict):
        missing = [lang for lang in LANGS if not isinstance(value.get(lang), str) or not value[lang].strip()]
        if not missing:
            return Text(value["ko"].strip(), value["en"].strip())
        say(f"{field} needs non-empty text for {' and '.join(missing)}")
        return None
    say(f"{field} must be a mapping with `ko` and `en` text")
    return None


def _choice(value: Any, field: str, say) -> Text | None:
    if isinstance(value, bool) or value is None:
        say(f"{field} loaded as {value!r}: quote it (YAML reads yes/no/on/off/~ as booleans or null)")
        return None
    if isinstance(value, (str, int, float)):
        return Text(str(value), str(value))          # the same in both languages (a command, a number)
    return _text(value, field, say)


def _question(entry: Any, index: int, fname: str, sections: set[str], problems: list[str]) -> Question | None:
    if not isinstance(entry, dict):
        problems.append(f"{fname}: entry {index} of QUESTIONS must be a mapping, not {type(entry).__name__}.")
        return None
    line = entry.get("__line__", "?")
    qid = entry.get("id")
    label = f"question {qid!r}" if isinstance(qid, str) else f"entry {index}"
    before = len(problems)

    def say(msg: str) -> None:
        problems.append(f"{fname}:{line}: {label}: {msg}.")

    for key in sorted(set(entry) - _QUESTION_KEYS - {"__line__"}):
        say(f"{key!r} is not a key a question can have (known: {', '.join(sorted(_QUESTION_KEYS))})")
    if not isinstance(qid, str) or not _ID.match(qid):
        say("id must be lower-case letters, digits and dashes")
    section = entry.get("section")
    if section not in sections:
        say(f"section {section!r} is not defined in {SECTIONS_FILE}")
    kind = entry.get("kind")
    if kind not in KINDS:
        say(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    q = _text(entry.get("q"), "q", say)
    explain = _text(entry.get("explain"), "explain", say)

    choices: tuple[Text, ...] = ()
    answer: Any = None
    accept: tuple = ()
    raw_answer = entry.get("answer")
    if kind in ("single", "multi"):
        raw = entry.get("choices")
        if not isinstance(raw, list) or not 2 <= len(raw) <= 6:
            say("choices must be a list of 2 to 6 items")
        else:
            parsed = [_choice(c, f"choice {i}", say) for i, c in enumerate(raw, 1)]
            choices = tuple(c for c in parsed if c is not None)
            if kind == "single":                 # multi statements go in the text, not on buttons
                for i, c in enumerate(choices, 1):
                    if max(len(c.ko), len(c.en)) > BUTTON_CHARS:
                        say(f"choice {i} is longer than a button allows ({BUTTON_CHARS} characters)")
        n = len(choices)
        if kind == "single":
            if isinstance(raw_answer, bool) or not isinstance(raw_answer, int) or not 1 <= raw_answer <= max(n, 1):
                say(f"answer must be the number of the right choice, 1 to {n}")
            else:
                answer = raw_answer
        else:
            if (not isinstance(raw_answer, list) or not raw_answer
                    or any(isinstance(a, bool) or not isinstance(a, int) or not 1 <= a <= n for a in raw_answer)
                    or len(set(raw_answer)) != len(raw_answer)):
                say(f"answer must be a list of distinct choice numbers, 1 to {n}")
            else:
                answer = frozenset(raw_answer)
                if math.comb(n, len(answer)) < MIN_SETS:
                    say(f"with {n} statements and {len(answer)} right there are fewer than {MIN_SETS} sets of "
                        f"that size to offer as buttons: add statements")
    elif kind == "truefalse":
        if not isinstance(raw_answer, bool):
            say("answer must be true or false")
        answer = raw_answer
    elif kind in TYPED_KINDS:
        raw = entry.get("accept")
        raw = raw if isinstance(raw, list) else [raw]
        if not raw or raw == [None]:
            say("accept must list the accepted answers")
        for i, value in enumerate(raw, 1):
            if isinstance(value, bool) or value is None:
                say(f"accepted answer {i} loaded as {value!r}: quote it (YAML reads yes/no/on/off as booleans)")
            elif kind == "number" and not isinstance(value, (int, float)):
                say(f"accepted answer {i} must be a number, not {value!r}")
            elif kind != "number" and not isinstance(value, str):
                say(f"accepted answer {i} must be quoted text, not {value!r}")
        accept = tuple(raw)
        if entry.get("unit") is not None and (kind != "number" or entry["unit"] not in UNITS):
            say(f"unit is only for number questions and must be one of {', '.join(UNITS)}")
    if kind not in TYPED_KINDS and "accept" in entry:
        say("accept is only for typed questions (number, command, name)")
    if kind not in ("single", "multi") and "choices" in entry:
        say("choices are only for single and multi questions")
    if "shuffle" in entry and not isinstance(entry["shuffle"], bool):
        say("shuffle must be true or false")

    if len(problems) > before:
        return None
    return Question(qid, section, kind, q, explain, choices, answer, accept, entry.get("unit"),
                    entry.get("shuffle", True), f"{fname}:{line}")


def _sections(data: dict | None, fname: str, problems: list[str]) -> list[Section]:
    if data is None:
        return []
    raw = data.get("SECTIONS")
    if not isinstance(raw, list) or not raw:
        problems.append(f"{fname}: SECTIONS must be a non-empty list.")
        return []
    found: list[Section] = []
    for index, entry in enumerate(raw, 1):
        line = entry.get("__line__", "?") if isinstance(entry, dict) else "?"
        sid = entry.get("id") if isinstance(entry, dict) else None
        label = f"section {sid!r}" if isinstance(sid, str) else f"entry {index}"
        before = len(problems)

        def say(msg: str) -> None:
            problems.append(f"{fname}:{line}: {label}: {msg}.")

        if not isinstance(entry, dict):
            say("must be a mapping with id, ko, en and notes")
            continue
        for key in sorted(set(entry) - _SECTION_KEYS - {"__line__"}):
            say(f"{key!r} is not a key a section can have")
        if not isinstance(sid, str) or not _ID.match(sid):
            say("id must be lower-case letters, digits and dashes")
        elif any(s.id == sid for s in found):
            say("this id is defined twice")
        title = _text({"ko": entry.get("ko"), "en": entry.get("en")}, "title", say)
        notes = entry.get("notes")
        notes = [notes] if isinstance(notes, str) else notes
        if not isinstance(notes, list) or not notes or not all(isinstance(n, str) and n.strip() for n in notes):
            say("notes must quote the study-note headings or lines the section comes from")
        if len(problems) == before:
            found.append(Section(sid, title, tuple(n.strip() for n in notes)))
    return found


def load_bank(directory: Path = BANK_DIR) -> Bank:
    """Read and validate every bank file; raise BankError listing every problem found."""
    directory = Path(directory)
    problems: list[str] = []
    sections_path = directory / SECTIONS_FILE
    if not sections_path.exists():
        raise BankError([f"{SECTIONS_FILE}: missing from {directory}."])
    sections = _sections(_read(sections_path, problems), SECTIONS_FILE, problems)
    known = {s.id for s in sections}
    questions: dict[str, Question] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == SECTIONS_FILE:
            continue
        data = _read(path, problems)
        if data is None:
            continue
        for key in sorted(k for k in data if k not in ("QUESTIONS", "DESCRIPTION", "AUTHOR", "__line__")):
            problems.append(f"{path.name}: {key!r} is not a key a quiz file can have (QUESTIONS, DESCRIPTION, AUTHOR).")
        entries = data.get("QUESTIONS")
        if not isinstance(entries, list) or not entries:
            problems.append(f"{path.name}: QUESTIONS must be a non-empty list.")
            continue
        for index, entry in enumerate(entries, 1):
            question = _question(entry, index, path.name, known, problems)
            if question is None:
                continue
            if question.id in questions:
                problems.append(f"{question.origin}: question {question.id!r}: the id is already used at "
                                f"{questions[question.id].origin}.")
                continue
            questions[question.id] = question
    if problems:
        raise BankError(problems)
    order = {s.id: i for i, s in enumerate(sections)}
    ordered = dict(sorted(questions.items(), key=lambda kv: order[kv[1].section]))
    return Bank(tuple(sections), ordered)
