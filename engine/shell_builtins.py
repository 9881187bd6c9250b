"""bash builtins and output redirection the course types on m-k8s (chapter 6.1's tips):

    kubectl completion bash >/etc/bash_completion.d/kubectl
    echo 'alias k=kubectl' >> ~/.bashrc
    echo 'complete -F __start_kubectl k' >> ~/.bashrc

Redirected output lands in a small per-node store of written files (bounded), which `cat`
reads back; nothing touches the host's disk.
"""
from __future__ import annotations

from engine import shell

MAX_FILES = 50
MAX_BYTES = 64 * 1024


def split_redirect(line: str) -> tuple[str, str | None, str | None]:
    """`cmd args >> file` -> ("cmd args", ">>", "file"); `cmd < file` -> ("cmd", "<", "file").
    Quotes are respected; the first redirection decides (bash stops at the first that fails)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "<":
            target = line[i + 1:].strip().split(">", 1)[0].split()
            return line[:i].rstrip(), "<", target[0] if target else ""
        elif ch == ">":
            mode = ">>" if line[i + 1:i + 2] == ">" else ">"
            target = line[i + len(mode):].strip()
            return line[:i].rstrip(), mode, target
    return line, None, None


def written(cluster, node: str) -> dict[str, str]:
    return cluster.meta.setdefault("written", {}).setdefault(node, {})


def write(cluster, node: str, path: str, text: str, append: bool) -> str | None:
    """Store `text` at `path`; returns bash's error, or None."""
    from engine import kitfs
    full = kitfs.resolve(cluster, node, path)
    files = written(cluster, node)
    if full not in files and len(files) >= MAX_FILES:
        return f"bash: {path}: No space left on device"
    body = (files.get(full, "") if append else "") + (text + "\n" if text else "")
    files[full] = body[-MAX_BYTES:]
    return None


def _echo(sandbox, node, args, line, stdin):
    if args[:1] == ["-n"]:           # chat replies end their lines anyway
        args = args[1:]
    return " ".join(args), 0


def _noop(sandbox, node, args, line, stdin):
    """alias/complete/source/export: they shape the interactive shell, which chat already is."""
    return "", 0


for _name in ("alias", "complete", "source", ".", "export", "unalias", "clear"):
    shell.register(_name, _noop)
shell.register("echo", _echo)
