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


# root's aliases on the lab's CentOS 7 nodes; m-k8s also has `k` from the kit's setup script.
CENTOS_ALIASES = {"cp": "cp -i", "egrep": "egrep --color=auto", "fgrep": "fgrep --color=auto",
                  "grep": "grep --color=auto", "l.": "ls -d .* --color=auto", "ll": "ls -l --color=auto",
                  "ls": "ls --color=auto", "mv": "mv -i", "rm": "rm -i",
                  "which": "alias | /usr/bin/which --tty-only --read-alias --show-dot --show-tilde"}
# ch6/6.1/k8s_rc.sh (its functions kee/keq/kgpww/... are not modelled).
K8S_RC_ALIASES = {"k": "kubectl", "kg": "kubectl get", "kgp": "kubectl get pods", "ka": "kubectl apply -f",
                  "kc": "kubectl create", "ks": "kubectl scale", "ke": "kubectl export", "kgw": "kubectl get -o wide"}


def aliases(cluster, node: str) -> dict[str, str]:
    found = dict(CENTOS_ALIASES)
    if node == "m-k8s":
        found["k"] = "kubectl"
        if cluster.meta.get("k8s_rc"):
            found.update(K8S_RC_ALIASES)
    found.update(cluster.meta.get("shell_aliases", {}).get(node, {}))
    return found


def expand_alias(cluster, node: str, line: str) -> str:
    """bash alias expansion of the first word (once, as bash does for a non-recursive alias)."""
    word, _, rest = line.strip().partition(" ")
    value = aliases(cluster, node).get(word)
    if value is None or word in ("ls", "grep", "cp", "mv", "rm", "which", "egrep", "fgrep") or word == value:
        return line
    return f"{value} {rest}".strip()


def _alias(sandbox, node, args, line, stdin):
    known = aliases(sandbox.cluster, node)
    if not args:
        return "\n".join(f"alias {k}='{v}'" for k, v in sorted(known.items())), 0
    out, rc = [], 0
    for arg in args:
        name, eq, value = arg.partition("=")
        if eq:
            sandbox.cluster.meta.setdefault("shell_aliases", {}).setdefault(node, {})[name] = value
        elif name in known:
            out.append(f"alias {name}='{known[name]}'")
        else:
            out.append(f"bash: alias: {name}: not found")
            rc = 1
    return "\n".join(out), rc


def _noop(sandbox, node, args, line, stdin):
    """complete/source/export: they shape the interactive shell, which chat already is."""
    return "", 0


for _name in ("complete", "source", ".", "export", "unalias", "clear"):
    shell.register(_name, _noop)
shell.register("alias", _alias)
shell.register("echo", _echo)
