"""Tolerant matching of typed answers.

Accepted spellings are listed in the bank; code only forgives what a shell or kubectl would also
treat as the same. A kubectl command is compared by its effect, read as kubectl reads it
(bot/quiz/effect.py); other commands by a normal form: `k`/`kubectl`, whitespace and case,
`--flag=value` versus `--flag value`, short versus long flags, and the order of flags (positional
arguments keep their order, since that is where meaning lives); for yum, install/update/upgrade
of one package at one version are the same, with or without `-y` and the package's release.
"""
from __future__ import annotations

import re
import shlex

from bot.quiz.effect import effect

RESOURCES = {
    "pods": ("pod", "po"),
    "deployments": ("deployment", "deploy", "deployment.apps", "deployments.apps"),
    "services": ("service", "svc"),
    "nodes": ("node", "no"),
    "namespaces": ("namespace", "ns"),
    "replicasets": ("replicaset", "rs", "replicaset.apps", "replicasets.apps"),
    "daemonsets": ("daemonset", "ds", "daemonset.apps", "daemonsets.apps"),
    "endpoints": ("endpoint", "ep"),
    "configmaps": ("configmap", "cm"),
    "events": ("event", "ev"),
    "persistentvolumes": ("persistentvolume", "pv"),
    "persistentvolumeclaims": ("persistentvolumeclaim", "pvc"),
    "serviceaccounts": ("serviceaccount", "sa"),
    "ingresses": ("ingress", "ing"),
}
_RESOURCE = {alias: plural for plural, aliases in RESOURCES.items() for alias in (plural, *aliases)}

_SHORT_FLAGS = {"n": "namespace", "o": "output", "l": "selector", "a": "all-namespaces", "f": "filename",
                "w": "watch", "c": "container", "i": "stdin", "t": "tty", "y": "yes", "h": "help"}
_VALUE_FLAGS = {"namespace", "output", "selector", "filename", "container", "image", "replicas", "port",
                "type", "name", "target-port", "to-revision", "grace-period", "kubeconfig", "context"}
_PROGRAMS = {"k": "kubectl"}
_PROMPT = re.compile(r"^\s*(\[[^\]]*\][#$]|[#$])\s*")


def _clean(text: str) -> str:
    text = text.strip().strip("`").strip()
    text = _PROMPT.sub("", text)
    return text.lstrip("!").strip()


def _tokens(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:                      # an unbalanced quote: fall back to plain words
        return text.split()


_YUM_CHANGE = {"install": "install", "update": "install", "upgrade": "install"}
_RELEASE = re.compile(r"^(.+-\d+(?:\.\d+)+)-\d+$")           # kubeadm-1.20.4-0 -> kubeadm-1.20.4


def _yum(words: list[str]) -> tuple:
    verb = next((w for w in words if not w.startswith("-")), "")
    packages = sorted(_RELEASE.sub(r"\1", w) for w in words if not w.startswith("-") and w != verb)
    flags = sorted(w for w in words if w.startswith("-") and w not in ("-y", "--assumeyes"))
    return "yum", _YUM_CHANGE.get(verb, verb), tuple(packages), tuple(flags)


def normalise_command(text: str) -> tuple:
    """A comparable form of a shell command line: (program, positionals, sorted flags)."""
    words = [w.lower() for w in _tokens(_clean(text))]
    if not words:
        return ()
    program = _PROGRAMS.get(words[0], words[0])
    if program == "yum":
        return _yum(words[1:])
    positionals: list[str] = []
    flags: list[tuple[str, str]] = []
    rest = iter(words[1:])
    for word in rest:
        if word == "--":                          # the rest is a command for the container, kept as is
            positionals += ["--", *rest]
            break
        if word.startswith("--") and len(word) > 2:
            name, eq, value = word[2:].partition("=")
            if not eq and name in _VALUE_FLAGS:
                value = next(rest, "")
            flags.append((name, value))
        elif word.startswith("-") and len(word) > 1 and not word[1].isdigit():
            letters = word[1:]
            first = _SHORT_FLAGS.get(letters[0], letters[0])
            if first in _VALUE_FLAGS:              # -n kube-system, -owide
                flags.append((first, letters[1:].lstrip("=") or next(rest, "")))
            else:                                  # -it == -i -t
                flags.extend((_SHORT_FLAGS.get(ch, ch), "") for ch in letters)
        else:
            positionals.extend(_positional(program, word))
    return program, tuple(positionals), tuple(sorted(flags))


def _positional(program: str, word: str) -> list[str]:
    if program == "systemctl" and word.endswith(".service"):
        return [word[: -len(".service")]]
    if program != "kubectl":
        return [word]
    kind, slash, name = word.partition("/")
    if slash and kind in _RESOURCE:               # pod/nginx == pod nginx
        return [_RESOURCE[kind], name]
    if "," in word:                               # po,svc == pods,services
        return [",".join(_RESOURCE.get(part, part) for part in word.split(","))]
    return [_RESOURCE.get(word, word)]


def same_command(answer: str, accepted: str) -> bool:
    wanted = effect(_clean(accepted).lower())          # chat forgives case (`K get po` on a phone)
    if wanted is not None:
        return effect(_clean(answer).lower()) == wanted
    norm = normalise_command(answer)
    return bool(norm) and norm == normalise_command(accepted)


def normalise_name(text: str) -> str:
    """Case, spacing, quotes and a final full stop; other spellings are listed in the bank (a
    question may ask for the short name itself, so `po` and `pods` must stay different here)."""
    text = _clean(text).strip("'\"“”‘’.。 ").lower()
    return re.sub(r"\s+", " ", text)


def same_name(answer: str, accepted: str) -> bool:
    norm = normalise_name(answer)
    return bool(norm) and norm == normalise_name(accepted)


_UNITS = {"": 1, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "초": 1,
          "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "분": 60,
          "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600, "시간": 3600}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z가-힣]*)")


def parse_number(text: str, unit: str | None = None) -> float | None:
    """The number in an answer; with unit "seconds", durations such as `5m`, `5분` or `1m 30s`."""
    found = _NUMBER.findall(_clean(text).lower().replace(",", ""))
    if not found:
        return None
    if unit == "seconds":
        total = 0.0
        for number, word in found:
            if word not in _UNITS:
                return None
            total += float(number) * _UNITS[word]
        return total
    if len(found) != 1:                           # "3 or 4" is not an answer
        return None
    return float(found[0][0])


def same_number(answer: str, accepted: float, unit: str | None = None) -> bool:
    value = parse_number(answer, unit)
    return value is not None and abs(value - float(accepted)) < 1e-9


def matches(kind: str, answer: str, accept, unit: str | None = None) -> bool:
    """Does a typed answer match any accepted spelling of a `number`, `command` or `name` question?"""
    if kind == "number":
        return any(same_number(answer, a, unit) for a in accept)
    if kind == "command":
        return any(same_command(answer, a) for a in accept)
    return any(same_name(answer, a) for a in accept)
