"""What a student meant: chat text in, the commands to run (and a tutor line for each) out.

Students paste from terminals and from the study notes, type with the Korean input on, and bring
full-width characters from their IME. This module reads a message as a terminal would read a
paste, without touching the engine:

- each line that is a command runs in order; a ``` block belongs to the line before it;
- full-width forms are folded (NFKC, Hangul left alone), `! k` is `!k`;
- a pasted prompt (`[root@m-k8s ~]# `, `$ `) is removed; `!k kubectl …` and `!k k …` are `!k …`;
- Hangul typed with the Korean input on (`!ㅏ`, `ㅔㅐㅇㄴ`) is read back as QWERTY and explained,
  never run;
- unknown `!words` get the closest command names (`suggest`).
Every change is reported as a catalogue key, so the reply says what was understood.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Collection

MAX_COMMANDS = 10                     # command lines run from one message; the rest are skipped
NODES = ("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\t\r]")       # zero-width characters, tabs, CR
KUBECTL_NAMES = ("k", "kubectl")
SHELL_NAMES = ("sh", "ssh")
# What students run on the nodes: a Hangul word that reads as one of these is a keyboard slip.
SHELL_WORDS = frozenset(("systemctl", "kubectl", "kubeadm", "kubelet", "journalctl", "docker", "ls", "cat", "cd",
                         "curl", "echo", "hostname", "ssh", "yum", "grep", "ping", "ip", "ps", "vi", "nslookup"))
# `[root@m-k8s ~]# `, `[vagrant@w1-k8s 4.1]$ `; at the start of a line also `$ ` (`# ` is a comment)
_PROMPT = re.compile(r"^\[(?:(?P<user>[\w.-]+)@(?P<host>[\w.-]+))?[^\]\n]+\]\s*[#$]\s*")
_DOLLAR = re.compile(r"^\$\s+")
_FENCE = "```"

# 2-beolsik: the QWERTY key under each jamo (conjoining forms: what NFD gives for a syllable).
_LEADS = "r R s e E f a q Q t T d w W c z x v g".split()                       # U+1100..U+1112
_VOWELS = "k o i O j p u P h hk ho hl y n nj np nl b m ml l".split()           # U+1161..U+1175
_TAILS = "r R rt s sw sg e f fr fa fq ft fx fv fg a q qt t T d w c z x v g".split()   # U+11A8..U+11C2
_KEYS = {**{chr(0x1100 + i): k for i, k in enumerate(_LEADS)},
         **{chr(0x1161 + i): k for i, k in enumerate(_VOWELS)},
         **{chr(0x11A8 + i): k for i, k in enumerate(_TAILS)}}


_NOT_HANGUL = re.compile("[^\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]+")


def is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0x1100 <= o <= 0x11FF or 0x3131 <= o <= 0x318E or 0xAC00 <= o <= 0xD7A3


def qwerty(text: str) -> str:
    """`ㅔㅐㅇㄴ` -> `pods`, `햣` -> `git`: the keys pressed, read with the English layout."""
    out = []
    for ch in text:
        if is_hangul(ch):
            out.append("".join(_KEYS.get(j, j) for j in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch))))
        else:
            out.append(ch)
    return "".join(out)


def fold(text: str) -> str:
    """NFKC for everything but Hangul (NFKC would turn `ㅇㅇ` into conjoining jamo)."""
    if text.isascii():
        return text                       # the common case, at no cost
    return _NOT_HANGUL.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def osa_distance(a: str, b: str) -> int:
    """Edit distance where swapping two neighbours (`qiuz`) is one edit."""
    d = [[i + j if not i * j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def suggest(word: str, names: Collection[str], limit: int = 3) -> list[str]:
    """The closest names: one edit for short words, two from five letters, or a prefix of a name."""
    word = word.lower()
    if not word:
        return []
    allowed = 1 if len(word) <= 4 else 2
    scored = []
    for name in set(names):
        if abs(len(word) - len(name)) > allowed and not name.startswith(word):
            continue                      # the distance is at least the difference in length
        dist = osa_distance(word, name)
        if dist <= allowed or (len(word) >= 3 and name.startswith(word)):
            scored.append((dist, name))
    return [name for _, name in sorted(scored)[:limit]]


@lru_cache(maxsize=4096)
def kubectl_word(word: str) -> bool:
    """A kubectl verb or a resource name kubectl resolves (`get`, `pods`, `po`, `deploy`)."""
    from engine.kubectl.errors import KubectlError
    from engine.kubectl.resources import resolve
    from engine.kubectl.suggest import COMMANDS
    if word in COMMANDS:
        return True
    try:
        resolve(word)
    except KubectlError:
        return False
    return True


@dataclass(frozen=True)
class Note:
    """A tutor line: a catalogue key and its placeholders."""
    key: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Understood:
    """One command to run (content, as if typed exactly) and/or a tutor line to show before it."""
    content: str = ""
    note: Note | None = None
    echo: str = ""                    # the command as understood: shown above its output in a paste


def _group(content: str) -> list[list[str]]:
    """Lines, with a fenced block (and the lines inside it) kept with the line before it."""
    groups: list[list[str]] = []
    in_fence = False
    for line in content.split("\n"):
        if groups and (in_fence or line.lstrip().startswith(_FENCE)):
            groups[-1].append(line)
        else:
            groups.append([line])
        if line.count(_FENCE) % 2:
            in_fence = not in_fence
    return groups


@dataclass
class _Line:
    """The first line of a group, read: prefix, command name, arguments, what was forgiven."""
    name: str = ""
    args: str = ""
    reasons: list[str] = field(default_factory=list)
    prompt_host: str | None = None    # a pasted prompt with no `!`: a terminal line on that host
    bare: bool = False                # `kubectl get pods` with no prefix
    slip: str | None = None           # the QWERTY reading of a line typed with the Korean input on
    prefixed: bool = False            # `!` before a pasted prompt: spoken to the bot wherever it is
    retyped: bool = False             # invisible characters or tabs were cleaned (no tutor line needed)


def _strip_prompt(text: str, dollar: bool = False) -> tuple[str, str | None]:
    m = _PROMPT.match(text) or (_DOLLAR.match(text) if dollar else None)
    if m is None:
        return text, None
    host = m.groupdict().get("host")
    return text[m.end():], (host if host in NODES else "m-k8s")


def _read(line: str, prefix: str, names: Collection[str], is_kubectl_word: Callable[[str], bool]) -> _Line | None:
    """One command line as meant, or None when it is not one."""
    r = _Line()
    clean = _INVISIBLE.sub(lambda m: " " if m.group() == "\t" else "", line)
    r.retyped = clean != line
    text = fold(clean)
    if text != clean:
        r.reasons.append("fullwidth")
    text, host = _strip_prompt(text.strip(), dollar=True)
    if text.startswith(prefix) and host is None:      # `![root@m-k8s ~]# kubectl get nodes` (or a mention)
        inner, host = _strip_prompt(text[len(prefix):].lstrip())
        if host:
            text, r.prefixed = inner, True
    if host and text.startswith(prefix):
        r.reasons.append("prompt")
        host = None
    if text.startswith(prefix):
        return _read_command(r, text[len(prefix):], prefix, names, is_kubectl_word)
    if host is not None:
        return _read_terminal_line(r, text, host)
    return _read_bare(r, text, prefix, is_kubectl_word)


def _read_terminal_line(r: _Line, text: str, host: str) -> _Line | None:
    """After a pasted prompt: kubectl, or a shell command on that prompt's node."""
    if not text.strip():
        return None                       # a prompt with nothing after it
    r.reasons.append("prompt")
    r.prompt_host = host
    first, _, rest = text.partition(" ")
    if first in KUBECTL_NAMES:
        r.name, r.args = "k", rest.strip()
    elif host == "m-k8s":
        r.name, r.args = "sh", text
    else:
        r.name, r.args = "ssh", f"{host} {text}"
    return r


def _read_bare(r: _Line, text: str, prefix: str, is_kubectl_word: Callable[[str], bool]) -> _Line | None:
    """No prefix, no prompt: `kubectl get pods` (a hint), `ㅏㅕㅠㄷㅊ시 get pods` (a slip), else chatter."""
    first = text.split(" ", 1)[0].lower()
    if first == "kubectl" or (first == "k" and is_kubectl_word(text[2:].split(" ", 1)[0])):
        r.bare, r.name, r.args = True, "k", text.split(" ", 1)[1].strip() if " " in text else ""
        return r
    if not any(is_hangul(ch) for ch in first):
        return None
    keyed = qwerty(text)
    words = keyed.split()
    if len(words) > 1 and words[0].lower() in KUBECTL_NAMES and is_kubectl_word(words[1].lower()):
        r.slip = prefix + keyed
        return r
    return None


def _read_command(r: _Line, body: str, prefix: str, names: Collection[str],
                  is_kubectl_word: Callable[[str], bool]) -> _Line | None:
    """After the prefix: `! k`, `!ㅏ`, a prompt or a second kubectl inside `!k`/`!sh`, Hangul arguments."""
    if body[:1].isspace():
        body = body.lstrip()
        if not body or body.split(None, 1)[0].lower() not in names:
            return None                   # `! 안녕`: not a command
        r.reasons.append("space")
    name, _, args = body.partition(" ")
    if not name:
        return None                       # `!` alone
    r.name, r.args = name.lower(), args.strip(" ")
    if any(is_hangul(ch) for ch in name) and qwerty(name).lower() in names:
        r.slip = prefix + qwerty(body)
        return r
    if r.name in KUBECTL_NAMES + SHELL_NAMES:
        inner, inner_host = _strip_prompt(r.args)
        if inner_host:
            r.args = inner
            r.reasons.append("prompt")
    if r.name in KUBECTL_NAMES:
        first, _, rest = r.args.partition(" ")
        if first in KUBECTL_NAMES:
            r.args = rest.strip()
            r.reasons.append("doubled")
        if any(all(is_hangul(ch) for ch in tok) and is_kubectl_word(qwerty(tok).lower())
               for tok in r.args.split()):
            r.slip = prefix + r.name + " " + qwerty(r.args)
    elif r.name in SHELL_NAMES:
        words = r.args.split()[1:] if r.name == "ssh" else r.args.split()
        if words and all(is_hangul(ch) for ch in words[0]) and qwerty(words[0]).lower() in SHELL_WORDS:
            r.slip = prefix + r.name + " " + qwerty(r.args)
    return r


def _guess(line: str, prefix: str) -> str | None:
    """`!k git pods` -> `!k get pods`: the one kubectl verb a keyboard slip's verb is a letter away from."""
    from engine.kubectl.suggest import COMMANDS, levenshtein
    words = line[len(prefix):].split()
    if len(words) < 2 or words[0] not in KUBECTL_NAMES or words[1] in COMMANDS:
        return None
    near = [c for c in COMMANDS if abs(len(words[1]) - len(c)) <= 1 and levenshtein(words[1], c) == 1]
    return " ".join([prefix + words[0], near[0], *words[2:]]) if len(near) == 1 else None


def understand(content: str, prefix: str, names: Collection[str], is_kubectl_word: Callable[[str], bool] | None = None,
               addressed: bool = False) -> list[Understood]:
    """The commands in a message, in order. [] means the message is not for the bot.

    `names` are the bot's command names (for `! k` and `!ㅏ`); `is_kubectl_word` knows kubectl's verbs
    and resource names (for `ㅔㅐㅇㄴ` and `k get`). Lines without a prefix (a pasted prompt, a bare
    `kubectl …`) count only where the bot is `addressed` (a DM, the console).
    """
    is_kubectl_word = is_kubectl_word or kubectl_word
    units: list[Understood] = []
    pasted = False                        # the last command came after a pasted prompt
    for lines in _group(content):
        if fold(lines[0]).strip() in ("", prefix) and len(lines) == 1:
            continue                      # blank lines (or a lone `!`) between or before commands
        read = _read(lines[0], prefix, names, is_kubectl_word)
        unprefixed = read is not None and not read.prefixed and (read.prompt_host or read.bare
                                                                 or (read.slip and not read.name))
        if read is None or (unprefixed and not addressed):
            if not units:
                return []                 # chatter first: the message is not for us
            last = units[-1]
            if last.content and not pasted:   # text under a `!` line belongs to it, as before;
                units[-1] = Understood(last.content + "\n" + "\n".join(lines), last.note, last.echo)
            continue                      # under a pasted prompt it is the pasted output
        if read.slip:
            guess = _guess(read.slip, prefix)
            units.append(Understood(note=Note("forgive_keyboard_guess" if guess else "forgive_keyboard",
                                              {"typed": lines[0].strip(), "meant": read.slip,
                                               **({"guess": guess} if guess else {})})))
            continue
        command = f"{prefix}{read.name} {read.args}".rstrip()
        if read.bare:
            units.append(Understood(note=Note("forgive_bare", {"command": command})))
            continue
        pasted = read.prompt_host is not None
        text = "\n".join([command, *lines[1:]]) if read.reasons or read.retyped else "\n".join(lines)
        reasons = tuple(dict.fromkeys(read.reasons))
        units.append(Understood(text, Note("forgive_ran", {"command": command, "reasons": reasons})
                                if reasons else None, command))
    if len(units) > MAX_COMMANDS:
        units = units[:MAX_COMMANDS] + [Understood(note=Note("forgive_too_many", {"limit": MAX_COMMANDS}))]
    runnable = [u for u in units if u.content]
    if len(runnable) < 2:
        return units
    # A paste: one line up front says so (and what was fixed on the way); each command is echoed.
    reasons = tuple(dict.fromkeys(r for u in runnable if u.note for r in u.note.values["reasons"]))
    header = Note("forgive_lines_fixed", {"count": len(runnable), "reasons": reasons}) if reasons \
        else Note("forgive_lines", {"count": len(runnable)})
    return [Understood(note=header)] + [Understood(u.content, None, u.echo) if u.content else u for u in units]
