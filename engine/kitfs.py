"""A read-mostly virtual filesystem of the lab nodes: `ls`, `cat`, `cd`, `pwd` in `!sh`.

Nothing here touches the real disk of the machine running the bot, except reading the course
kit we ship in content/kit. A node's tree is: the kit under /root on m-k8s, a few /etc files
the course looks at (hosts, resolv.conf, exports), and the NFS share /nfs_shared that
ch5/5.2's nfs-exporter.sh creates. Anything else answers "No such file or directory".
The shell's working directory lives in cluster.meta["cwd"][node].
"""
from __future__ import annotations

import fnmatch
import math
import posixpath
import time
from functools import lru_cache
from pathlib import Path

from engine.timefmt import parse_rfc3339

KIT_NAME = "_Lecture_k8s_starter.kit"
KIT_SOURCE = Path(__file__).resolve().parent.parent / "content" / "kit" / KIT_NAME
HOME = "/root"
KIT = f"{HOME}/{KIT_NAME}"
ROOT_DIRS = ("bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run",
             "sbin", "srv", "sys", "tmp", "usr", "var")
HOME_DOTFILES = (".bash_history", ".bash_logout", ".bash_profile", ".bashrc", ".cshrc", ".kube", ".tcshrc")
LINE_WIDTH = 80            # a terminal's width: how GNU ls lays out columns
MAX_NFS_LINES = 500        # per audit file: a sandbox stays bounded
MAX_NFS_FILES = 200

HOSTS = """127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4
::1         localhost localhost.localdomain localhost6 localhost6.localdomain6
192.168.1.10 m-k8s
192.168.1.101 w1-k8s
192.168.1.102 w2-k8s
192.168.1.103 w3-k8s
"""
RESOLV = "nameserver 1.1.1.1 #cloudflare DNS\nnameserver 8.8.8.8 #Google DNS\n"
OS_RELEASE = """NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"

CENTOS_MANTISBT_PROJECT="CentOS-7"
CENTOS_MANTISBT_PROJECT_VERSION="7"
REDHAT_SUPPORT_PRODUCT="centos"
REDHAT_SUPPORT_PRODUCT_VERSION="7"

"""
RELEASE = "CentOS Linux release 7.8.2003 (Core)\n"


@lru_cache(maxsize=1)
def kit_files() -> dict[str, str]:
    """The course kit as {absolute path on m-k8s: text}."""
    out = {}
    for path in sorted(KIT_SOURCE.rglob("*")):
        if path.is_file():
            out[f"{KIT}/{path.relative_to(KIT_SOURCE).as_posix()}"] = path.read_text(encoding="utf-8")
    return out


def kit_executables() -> list[str]:
    return [p for p in kit_files() if p.endswith(".sh")]


# -- NFS share state (written by nfs-exporter.sh and by chk-log pods) --------------------------------

def nfs(cluster) -> dict:
    return cluster.meta.setdefault("nfs", {"exports": [], "enabled": False, "files": {}})


def append_nfs_line(cluster, path: str, line: str) -> None:
    files = nfs(cluster)["files"]
    if path not in files and len(files) >= MAX_NFS_FILES:
        return
    lines = files.setdefault(path, [])
    lines.append(line)
    del lines[:-MAX_NFS_LINES]


def exports_text(cluster) -> str:
    return "".join(f"{d} 192.168.1.0/24(rw,sync,no_root_squash)\n" for d in nfs(cluster)["exports"])


# -- the tree -----------------------------------------------------------------------------------------

def _files(cluster, node: str) -> dict[str, str]:
    files = {"/etc/hosts": HOSTS, "/etc/resolv.conf": RESOLV, "/etc/hostname": node + "\n",
             "/etc/os-release": OS_RELEASE, "/etc/centos-release": RELEASE, "/etc/redhat-release": RELEASE,
             "/etc/system-release": RELEASE}
    if node == "m-k8s":
        files.update(kit_files())
        from engine import kubeconfig
        files[kubeconfig.PATH] = kubeconfig.file_text(cluster)       # `kubectl config …` edits this one
        files["/etc/exports"] = exports_text(cluster)
        for path, lines in nfs(cluster)["files"].items():
            files[path] = "".join(line + "\n" for line in lines)
    else:
        files["/etc/exports"] = ""
    files.update(cluster.meta.get("written", {}).get(node, {}))     # what `>`/`>>` wrote
    return files


def _dirs(cluster, node: str, files: dict[str, str]) -> set[str]:
    dirs = {"/"} | {"/" + d for d in ROOT_DIRS}
    if node == "m-k8s":
        dirs.update(nfs(cluster)["exports"])
    for path in [*files, *dirs]:
        parent = posixpath.dirname(path)
        while parent not in dirs:
            dirs.add(parent)
            parent = posixpath.dirname(parent)
    return dirs


def expand(tree: "Tree", cluster, node: str, args: list[str]) -> list[str]:
    """bash pathname expansion of `*`, `?` and `[...]` (an unmatched pattern stays as typed)."""
    out = []
    for arg in args:
        if arg.startswith("-") or not any(ch in arg for ch in "*?["):
            out.append(arg)
            continue
        pattern = resolve(cluster, node, arg)
        hits = sorted((p for p in (*tree.files, *tree.dirs)
                       if p.count("/") == pattern.count("/") and fnmatch.fnmatchcase(p, pattern)
                       and not posixpath.basename(p).startswith(".")), key=_ls_key)
        if not hits:
            out.append(arg)
            continue
        # bash prints what it expanded: absolute (after `~`) stays absolute, relative stays relative
        if arg.startswith(("/", "~")):
            out.extend(hits)
        else:
            out.extend(posixpath.relpath(h, cwd(cluster, node)) for h in hits)
    return out


class Tree:
    def __init__(self, cluster, node: str):
        self.cluster = cluster
        self.node = node
        self.files = _files(cluster, node)
        self.dirs = _dirs(cluster, node, self.files)

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def is_file(self, path: str) -> bool:
        return path in self.files

    def children(self, path: str) -> list[str]:
        prefix = path.rstrip("/") + "/"
        names = {p[len(prefix):].split("/", 1)[0] for p in (*self.files, *self.dirs)
                 if p.startswith(prefix) and p != prefix}
        return sorted(names, key=_ls_key)


def _ls_key(name: str) -> tuple:
    """GNU ls in the en_US.UTF-8 locale: case and leading punctuation are ignored."""
    return ("".join(ch for ch in name if ch.isalnum()).lower(), name)


def cwd(cluster, node: str) -> str:
    return cluster.meta.get("cwd", {}).get(node, HOME)


def resolve(cluster, node: str, path: str) -> str:
    """Absolute, normalised path: `~`, `~/x`, relative to the shell's cwd, `.` and `..`."""
    if path == "~" or path.startswith("~/"):
        path = HOME + path[1:]
    elif not path.startswith("/"):
        path = posixpath.join(cwd(cluster, node), path)
    norm = posixpath.normpath(path)
    return "/" if norm.startswith("//") else norm


# -- commands --------------------------------------------------------------------------------------

def cmd_pwd(sandbox, node, args, line, stdin):
    return cwd(sandbox.cluster, node), 0


def cmd_cd(sandbox, node, args, line, stdin):
    cluster = sandbox.cluster
    target = args[0] if args else "~"
    if target == "-":
        target = cluster.meta.get("oldcwd", {}).get(node, HOME)
    path = resolve(cluster, node, target)
    tree = Tree(cluster, node)
    if tree.is_file(path):
        return f"-bash: cd: {target}: Not a directory", 1
    if not tree.is_dir(path):
        return f"-bash: cd: {target}: No such file or directory", 1
    cluster.meta.setdefault("oldcwd", {})[node] = cwd(cluster, node)
    cluster.meta.setdefault("cwd", {})[node] = path
    return "", 0


def cmd_cat(sandbox, node, args, line, stdin):
    cluster = sandbox.cluster
    tree = Tree(cluster, node)
    names = [a for a in expand(tree, cluster, node, args) if not a.startswith("-") or a == "-"]
    if not names:
        return (stdin or ""), 0
    out, errors = [], []
    for name in names:
        path = resolve(cluster, node, name)
        if tree.is_file(path):
            out.append(tree.files[path])
        elif tree.is_dir(path):
            out.append(f"cat: {name}: Is a directory\n")
            errors.append(name)
        else:
            out.append(f"cat: {name}: No such file or directory\n")
            errors.append(name)
    return "".join(out).rstrip("\n"), 1 if errors else 0


def cmd_ls(sandbox, node, args, line, stdin):
    cluster = sandbox.cluster
    flags = "".join(a[1:] for a in args if a.startswith("-") and a != "-")
    unknown = [c for c in flags if c not in "laA1hdrtSFG"]      # -t/-S: every file has the same time
    if unknown:
        return (f"ls: invalid option -- '{unknown[0]}'\nTry 'ls --help' for more information."), 2
    tree = Tree(cluster, node)
    names = [a for a in expand(tree, cluster, node, args) if not a.startswith("-")] or ["."]
    blocks, missing, rc = [], [], 0
    files_given, dirs_given = [], []
    for name in names:
        path = resolve(cluster, node, name)
        if tree.is_file(path) or (tree.is_dir(path) and "d" in flags):
            files_given.append((name, path))
        elif tree.is_dir(path):
            dirs_given.append((name, path))
        else:
            missing.append(f"ls: cannot access {name}: No such file or directory")
            rc = 2
    if files_given:
        blocks.append(_render(tree, [(n, p) for n, p in files_given], flags, total=False))
    for name, path in dirs_given:
        entries = tree.children(path)
        # dot entries (root's dotfiles, ~/.kube) only with -a/-A
        hidden = sorted({e for e in entries if e.startswith(".")} | set(HOME_DOTFILES if path == HOME else ()))
        entries = [e for e in entries if not e.startswith(".")]
        if "a" in flags:
            entries = sorted(entries + [".", ".."] + hidden, key=_ls_key)
        elif "A" in flags:
            entries = sorted(entries + hidden, key=_ls_key)
        if "r" in flags:
            entries.reverse()
        body = _render(tree, [(e, posixpath.join(path, e)) for e in entries], flags, total=True)
        if len(names) > 1:
            body = f"{name}:\n{body}" if body else f"{name}:"
        blocks.append(body)
    text = "\n".join(missing + ["\n\n".join(b for b in blocks if b or len(names) > 1)])
    return text.strip("\n"), rc


def _render(tree: Tree, entries: list[tuple[str, str]], flags: str, *, total: bool) -> str:
    if "l" in flags:
        return _long(tree, entries, total)
    shown = [n for n, _ in entries]
    if "1" in flags:
        return "\n".join(shown)
    return columns(shown)


def columns(names: list[str], width: int = LINE_WIDTH) -> str:
    """GNU ls -C: as many columns as fit, filled top to bottom."""
    if not names:
        return ""
    n = len(names)
    for cols in range(n, 0, -1):
        rows = math.ceil(n / cols)
        cols = math.ceil(n / rows)
        widths = [max(len(names[i]) for i in range(c * rows, min(n, (c + 1) * rows))) for c in range(cols)]
        if sum(widths) + 2 * (cols - 1) <= width or cols == 1:
            lines = []
            for r in range(rows):
                cells = [names[c * rows + r] for c in range(cols) if c * rows + r < n]
                lines.append("  ".join(cell.ljust(widths[i]) if i < len(cells) - 1 else cell
                                       for i, cell in enumerate(cells)))
            return "\n".join(lines)
    return "\n".join(names)


def _long(tree: Tree, entries: list[tuple[str, str]], total: bool) -> str:
    stamp = _mtime(tree.cluster)
    rows = []
    blocks = 0
    for name, path in entries:
        if tree.is_file(path):
            size = len(tree.files[path].encode())
            mode = "-rwxr-xr-x." if path.endswith(".sh") else "-rw-r--r--."
        else:
            size, mode = (6 if name in (".", "..") or not tree.children(path) else 4096), "drwxr-xr-x."
        blocks += 4 * math.ceil(size / 4096)
        links = 1 if mode.startswith("-") else 2 + sum(1 for c in tree.children(path) if tree.is_dir(
            posixpath.join(path, c)))
        rows.append((mode, str(links), "root", "root", str(size), stamp, name))
    if not rows:
        return "total 0" if total else ""
    wl, ws = max(len(r[1]) for r in rows), max(len(r[4]) for r in rows)
    lines = [f"{m} {l.rjust(wl)} {u} {g} {s.rjust(ws)} {t} {n}" for m, l, u, g, s, t, n in rows]
    return "\n".join(([f"total {blocks}"] if total else []) + lines)


def _mtime(cluster) -> str:
    """When the kit was cloned: the cluster's build time (kubeadm init ran the clone)."""
    ns = cluster.get("Namespace", "", "default")
    built = parse_rfc3339(ns["metadata"]["creationTimestamp"]) if ns else cluster.now
    return time.strftime("%b %e %H:%M", time.gmtime(built))


# -- the kit's scripts, run as `./nfs-exporter.sh log` or `~/_Lecture_k8s_starter.kit/...` -------------

def _spellings(path: str) -> set[str]:
    """Ways a student can name a script: absolute, `~/…`, relative from any parent, `./name`."""
    parts = path.strip("/").split("/")
    out = {path, "~" + path[len(HOME):], "./" + parts[-1]}
    for i in range(1, len(parts)):
        rel = "/".join(parts[i:])
        out.update({rel, "./" + rel})
    out.discard(parts[-1])                    # a bare name is looked up in PATH: not found
    return out


def _script_runner(script: str):
    def run(sandbox, node, args, line, stdin):
        cluster = sandbox.cluster
        called = line.split()[0]
        if node != "m-k8s" or resolve(cluster, node, called) != script:
            return f"-bash: {called}: No such file or directory", 127
        return SCRIPTS[posixpath.basename(script)](sandbox, node, args)
    return run


def run_nfs_exporter(sandbox, node, args):
    if not args:
        return "usage: nfs-exporter.sh <name>", 0
    state = nfs(sandbox.cluster)
    nfsdir = posixpath.normpath("/nfs_shared/" + args[0])
    if nfsdir in state["exports"]:
        return "", 0
    state["exports"].append(nfsdir)
    out = ""
    if not state["enabled"]:
        state["enabled"] = True
        out = ("Created symlink from /etc/systemd/system/multi-user.target.wants/nfs-server.service "
               "to /usr/lib/systemd/system/nfs-server.service.")
    return out, 0


def run_k8s_rc(sandbox, node, args):
    meta = sandbox.cluster.meta
    if meta.get("k8s_rc"):
        return "k8s_rc already installed", 0
    meta["k8s_rc"] = True
    return "k8s_rc install successfully", 0


def run_bash(sandbox, node, args, line, stdin):
    """`bash script.sh args` / `sh script.sh`: only the kit's scripts exist to be run."""
    if not args:
        return "", 0
    path = resolve(sandbox.cluster, node, args[0])
    if node == "m-k8s" and path in kit_files() and posixpath.basename(path) in SCRIPTS:
        return SCRIPTS[posixpath.basename(path)](sandbox, node, args[1:])
    if Tree(sandbox.cluster, node).is_file(path):
        return "", 0
    return f"{line.split()[0]}: {args[0]}: No such file or directory", 127


SCRIPTS = {"nfs-exporter.sh": run_nfs_exporter, "k8s_rc.sh": run_k8s_rc}


def install(register) -> None:
    for name, fn in (("ls", cmd_ls), ("cat", cmd_cat), ("cd", cmd_cd), ("pwd", cmd_pwd),
                     ("bash", run_bash), ("sh", run_bash)):
        register(name, fn)
    for script in kit_executables():
        if posixpath.basename(script) in SCRIPTS:
            runner = _script_runner(script)
            for spelling in _spellings(script):
                register(spelling, runner)


from engine.shell import register as _register  # noqa: E402  (engine/shell.py imports this module)

install(_register)


def exists(cluster, node: str, path: str) -> bool:
    """Whether `path` names a file or directory on the node (for bash's `<` redirection)."""
    tree = Tree(cluster, node)
    full = resolve(cluster, node, path)
    return tree.is_file(full) or tree.is_dir(full)
