"""Command-line flags the way kubectl (cobra + pflag) reads them.

`--name=value`, `--name value`, `-n value`, `-nvalue`, bool flags with optional `=false`,
flags anywhere among the arguments, and `--` ending them. Errors use pflag's words.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.kubectl.errors import KubectlError, flag_error


@dataclass(frozen=True)
class Flag:
    name: str
    kind: str = "str"            # str | bool | int | list
    short: str | None = None
    default: Any = None


@dataclass
class Parsed:
    args: list[str]
    values: dict[str, Any]
    seen: set[str] = field(default_factory=set)
    dash_args: list[str] | None = None      # what followed `--`

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


GLOBAL = (
    Flag("namespace", short="n"),
    Flag("help", "bool", short="h", default=False),
    Flag("kubeconfig"), Flag("context"), Flag("cluster"), Flag("user"),
    Flag("server", short="s"), Flag("request-timeout", default="0"),
    Flag("v", "int", short="v", default=0), Flag("insecure-skip-tls-verify", "bool", default=False),
)


def parse(command: str, argv: list[str], flags: tuple[Flag, ...]) -> Parsed:
    specs = {f.name: f for f in GLOBAL + flags}
    shorts = {f.short: f for f in GLOBAL + flags if f.short}
    values: dict[str, Any] = {f.name: (list(f.default) if f.kind == "list" and f.default else
                                       [] if f.kind == "list" else f.default) for f in specs.values()}
    seen: set[str] = set()
    args: list[str] = []
    dash_args = None
    i = 0
    while i < len(argv):
        tok = argv[i]
        i += 1
        if tok == "--":
            dash_args = argv[i:]
            break
        if tok.startswith("--") and len(tok) > 2:
            name, eq, val = tok[2:].partition("=")
            spec = specs.get(name)
            if spec is None:
                raise flag_error(command, f"unknown flag: --{name}")
            if spec.kind == "bool":
                values[name] = _bool(command, name, val) if eq else True
            else:
                if not eq:
                    if i >= len(argv):
                        raise flag_error(command, f"flag needs an argument: --{name}")
                    val = argv[i]
                    i += 1
                _set(command, spec, values, val, f"--{name}")
            seen.add(name)
        elif tok.startswith("-") and len(tok) > 1 and tok != "-":
            j = 1
            while j < len(tok):
                ch = tok[j]
                spec = shorts.get(ch)
                if spec is None:
                    raise flag_error(command, f"unknown shorthand flag: '{ch}' in {tok}")
                seen.add(spec.name)
                if spec.kind == "bool":
                    if tok[j + 1:j + 2] == "=":
                        values[spec.name] = _bool(command, spec.name, tok[j + 2:])
                        break
                    values[spec.name] = True
                    j += 1
                    continue
                rest = tok[j + 1:]
                if rest.startswith("="):
                    rest = rest[1:]
                if not rest:
                    if i >= len(argv):
                        raise flag_error(command, f"flag needs an argument: '{ch}' in -{ch}")
                    rest = argv[i]
                    i += 1
                _set(command, spec, values, rest, f"-{ch}, --{spec.name}")
                break
        else:
            args.append(tok)
    return Parsed(args, values, seen, dash_args)


def _bool(command: str, name: str, text: str) -> bool:
    low = text.lower()
    if low in ("1", "t", "true"):
        return True
    if low in ("0", "f", "false"):
        return False
    raise flag_error(command, f'invalid argument "{text}" for "--{name}" flag: strconv.ParseBool: parsing "{text}": invalid syntax')


def _set(command: str, spec: Flag, values: dict, text: str, shown: str) -> None:
    if spec.kind == "int":
        try:
            number = int(text, 10)
        except ValueError:
            raise flag_error(command, f'invalid argument "{text}" for "{shown}" flag: strconv.ParseInt: parsing "{text}": invalid syntax')
        if not -2**31 <= number < 2**31:
            raise flag_error(command, f'invalid argument "{text}" for "{shown}" flag: strconv.ParseInt: parsing "{text}": value out of range')
        values[spec.name] = number
    elif spec.kind == "list":
        values[spec.name].extend(x for x in text.split(",") if x != "" or not text)
    else:
        values[spec.name] = text


def require(command: str, parsed: Parsed, *names: str) -> None:
    missing = [n for n in names if n not in parsed.seen]
    if missing:
        quoted = '", "'.join(missing)
        raise KubectlError(f'Error: required flag(s) "{quoted}" not set')


__all__ = ["Flag", "Parsed", "parse", "require", "KubectlError"]
