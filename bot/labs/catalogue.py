"""The labs in content/labs/*.yaml, loaded and validated; course order is file order, then list order.

A file holds `chapter:` and `labs:`; each lab has an id, a title and a goal in every language, optional
`setup:` lines that establish its preconditions in the sandbox before it starts (`kubectl …`, or a
shell line such as `ssh w1-k8s systemctl stop kubelet`, or `wait 10s`; they must be safe to run twice), optional
`needs:` — preconditions setup cannot establish, each a check and what to do first (`say:`), shown
at the start when unmet — and steps. A step says what to do, up to three hints (concept → direction
→ the command), what the student learned, a check over the sandbox and the lab's command log
(bot/labs/checks.py), and `map: true` to show the cluster's picture when the step is done.
Any problem is an error naming the file, the lab and the step.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.i18n import LANGS
from bot.labs import checks
from engine import fastyaml

LABS_DIR = Path(__file__).resolve().parent.parent.parent / "content" / "labs"
MAX_HINTS = 3
LAB_KEYS = {"id", "title", "goal", "setup", "needs", "steps"}
STEP_KEYS = {"do", "hints", "check", "learned", "map"}


class LabError(ValueError):
    """A lab file is malformed; the message names the file, lab and step."""


Text = dict[str, str]        # {"ko": …, "en": …}


@dataclass(frozen=True)
class Step:
    do: Text
    hints: tuple[Text, ...]
    check: Any
    learned: Text
    map: bool = False


@dataclass(frozen=True)
class Need:
    check: Any
    say: Text


@dataclass(frozen=True)
class Lab:
    number: int              # 1-based position in the course
    id: str
    chapter: str
    title: Text
    goal: Text
    setup: tuple[str, ...]
    steps: tuple[Step, ...]
    needs: tuple[Need, ...] = ()


def text(value: Text, lang: str) -> str:
    return value.get(lang) or value["en"]


def _text(value: Any, where: str, errors: list[str]) -> Text:
    if not isinstance(value, dict) or any(not isinstance(value.get(l), str) or not value[l].strip() for l in LANGS):
        errors.append(f"{where}: needs non-empty text in {' and '.join(LANGS)}")
        return {}
    extra = set(value) - set(LANGS)
    if extra:
        errors.append(f"{where}: unknown language(s) {', '.join(sorted(map(str, extra)))}")
    return {l: value[l].strip() for l in LANGS}


def _step(raw: Any, where: str, errors: list[str]) -> Step | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: a step is a mapping")
        return None
    errors += [f"{where}: unknown key {k!r}" for k in raw if k not in STEP_KEYS]
    errors += [f"{where}: missing {k}" for k in ("do", "check", "learned") if k not in raw]
    hints = raw.get("hints") or []
    if not isinstance(hints, list) or len(hints) > MAX_HINTS:
        errors.append(f"{where}: hints is a list of at most {MAX_HINTS}")
        hints = []
    errors += checks.validate(raw.get("check", {}), f"{where}: check")
    if not isinstance(raw.get("map", False), bool):
        errors.append(f"{where}: map is true or false")
    return Step(_text(raw.get("do"), f"{where}: do", errors),
                tuple(_text(h, f"{where}: hint {i}", errors) for i, h in enumerate(hints, 1)),
                raw.get("check"), _text(raw.get("learned"), f"{where}: learned", errors), raw.get("map") is True)


def _needs(raw: Any, where: str, errors: list[str]) -> tuple[Need, ...]:
    if not isinstance(raw, list) or not all(isinstance(n, dict) and set(n) == {"check", "say"} for n in raw):
        errors.append(f"{where}: needs is a list of {{check, say}}")
        return ()
    for i, n in enumerate(raw, 1):
        errors.extend(checks.validate(n["check"], f"{where}: need {i}"))
    return tuple(Need(n["check"], _text(n["say"], f"{where}: need {i}", errors)) for i, n in enumerate(raw, 1))


def parse_file(path: Path, first_number: int, seen: set[str]) -> list[Lab]:
    errors: list[str] = []
    try:
        data = fastyaml.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LabError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("labs"), list) or "chapter" not in data:
        raise LabError(f"{path.name}: expected `chapter:` and a list under `labs:`")
    labs = []
    for i, raw in enumerate(data["labs"], 1):
        lab_id = raw.get("id") if isinstance(raw, dict) else None
        where = f"{path.name}: lab {lab_id or '#' + str(i)}"
        if not isinstance(raw, dict) or not isinstance(lab_id, str) or not lab_id:
            errors.append(f"{where}: a lab is a mapping with an id")
            continue
        if lab_id in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(lab_id)
        errors += [f"{where}: unknown key {k!r}" for k in raw if k not in LAB_KEYS]
        setup = raw.get("setup") or []
        if not isinstance(setup, list) or not all(isinstance(s, str) and s.strip() for s in setup):
            errors.append(f"{where}: setup is a list of command lines")
            setup = []
        raw_steps = raw.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            errors.append(f"{where}: needs at least one step")
            raw_steps = []
        steps = [_step(s, f"{where} step {n}", errors) for n, s in enumerate(raw_steps, 1)]
        labs.append(Lab(first_number + len(labs), lab_id, str(data["chapter"]),
                        _text(raw.get("title"), f"{where}: title", errors),
                        _text(raw.get("goal"), f"{where}: goal", errors),
                        tuple(s.strip() for s in setup), tuple(s for s in steps if s is not None),
                        _needs(raw.get("needs") or [], where, errors)))
    if errors:
        raise LabError("\n".join(errors))
    return labs


def load(directory: Path = LABS_DIR) -> tuple[Lab, ...]:
    labs: list[Lab] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.yaml")):
        labs += parse_file(path, len(labs) + 1, seen)
    return tuple(labs)


@lru_cache(maxsize=1)
def course() -> tuple[Lab, ...]:
    return load()


def find(labs: tuple[Lab, ...], ref: str) -> Lab | None:
    """A lab by its number (`3`) or its id (`first-pod`)."""
    ref = ref.strip().lower()
    for lab in labs:
        if ref == str(lab.number) or ref == lab.id:
            return lab
    return None
