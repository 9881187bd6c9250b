"""A read-mostly virtual filesystem of the lab nodes, as `ls`, `cat`, `cd`, globs and `>` see it.

Nothing here touches the real disk of the machine running the bot, except reading the course
kit we ship in content/kit. A node's tree is: the kit under /root on m-k8s, a few /etc files
the course looks at (hosts, resolv.conf, exports), and the NFS share /nfs_shared that
ch5/5.2's nfs-exporter.sh creates. Anything else answers "No such file or directory".
The shell's working directory lives in cluster.meta["cwd"][node].
"""
from __future__ import annotations

import fnmatch
import posixpath
import re
import time
from functools import lru_cache
from pathlib import Path

from engine.node import nfs
from engine.timefmt import parse_rfc3339

KIT_NAME = "_Lecture_k8s_starter.kit"
KIT_SOURCE = Path(__file__).resolve().parents[2] / "content" / "kit" / KIT_NAME
HOME = "/root"
KIT = f"{HOME}/{KIT_NAME}"
ROOT_DIRS = ("bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run",
             "sbin", "srv", "sys", "tmp", "usr", "var")
# Directories a student may write into (`kubectl completion bash > /etc/bash_completion.d/kubectl`).
SYSTEM_DIRS = ("/etc/bash_completion.d", "/etc/profile.d", "/etc/kubernetes", "/etc/kubernetes/manifests",
               "/etc/yum.repos.d", "/usr/bin", "/usr/local/bin", "/var/lib", "/var/log")
HOME_DOTFILES = (".bash_history", ".bash_logout", ".bash_profile", ".bashrc", ".cshrc", ".kube", ".tcshrc")
MAX_FILES = 50             # files students may write per node
MAX_BYTES = 64 * 1024      # per written file
MAX_GLOB = 4096
DEVICES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty")
LINE_WIDTH = 80            # a terminal's width: how GNU ls lays out columns

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


# -- the tree -----------------------------------------------------------------------------------------

def _files(cluster, node: str) -> dict[str, str]:
    files = {"/etc/hosts": HOSTS, "/etc/resolv.conf": RESOLV, "/etc/hostname": node + "\n",
             "/etc/os-release": OS_RELEASE, "/etc/centos-release": RELEASE, "/etc/redhat-release": RELEASE,
             "/etc/system-release": RELEASE}
    if node == "m-k8s":
        files.update(kit_files())
        from engine import kubeconfig
        files[kubeconfig.PATH] = kubeconfig.file_text(cluster)       # `kubectl config …` edits this one
        files["/etc/exports"] = nfs.exports_text(cluster)
        for path, lines in nfs.state(cluster)["files"].items():
            files[path] = "".join(line + "\n" for line in lines)
    else:
        files["/etc/exports"] = ""
    files.update(cluster.meta.get("written", {}).get(node, {}))     # what `>`/`>>`/tee wrote
    return files


class Tree:
    """A node's files and directories, with each directory's children indexed once."""

    def __init__(self, cluster, node: str):
        self.cluster = cluster
        self.node = node
        self.files = _files(cluster, node)
        self.dirs = {"/"} | {"/" + d for d in ROOT_DIRS} | set(SYSTEM_DIRS)
        if node == "m-k8s":
            self.dirs.update(nfs.state(cluster)["exports"])
        kids: dict[str, set[str]] = {}
        for path in [*self.files, *self.dirs]:
            while path != "/":
                parent, name = posixpath.split(path)
                kids.setdefault(parent, set()).add(name)
                if parent in self.dirs:
                    break
                self.dirs.add(parent)
                path = parent
        self._children = {d: sorted(names, key=ls_key) for d, names in kids.items()}

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def is_file(self, path: str) -> bool:
        return path in self.files

    def exists(self, path: str) -> bool:
        return path in self.files or path in self.dirs

    def children(self, path: str) -> list[str]:
        return list(self._children.get(path, ()))

    def glob(self, pattern: str) -> list[str]:
        """bash pathname expansion of an absolute pattern, one path component at a time."""
        parts = [p for p in pattern.split("/") if p]
        found = ["/"]
        for part in parts:
            step = []
            for base in found:
                if not any(ch in part for ch in "*?["):
                    name = re.sub(r"\[(.)\]", r"\1", part)
                    full = posixpath.join(base, name)
                    if self.exists(full):
                        step.append(full)
                    continue
                for name in self.children(base):
                    if not name.startswith(".") and fnmatch.fnmatchcase(name, part):
                        step.append(posixpath.join(base, name))
            found = step
            if len(found) > MAX_GLOB:
                found = found[:MAX_GLOB]
        return found if parts else []


def ls_key(name: str) -> tuple:
    """GNU ls and sort in the en_US.UTF-8 locale: case and punctuation are ignored at first."""
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


def exists(cluster, node: str, path: str) -> bool:
    return Tree(cluster, node).exists(resolve(cluster, node, path))


# -- files students write (`>`, `>>`, tee): a small per-node store, never the host's disk -----------

def written(cluster, node: str) -> dict[str, str]:
    return cluster.meta.setdefault("written", {}).setdefault(node, {})


def check_write(cluster, node: str, path: str) -> str | None:
    """Why `path` cannot be written (bash's words, without `-bash: `), or None."""
    full = resolve(cluster, node, path)
    if full in DEVICES:
        return None
    tree = Tree(cluster, node)
    if tree.is_dir(full):
        return f"{path}: Is a directory"
    if not tree.is_dir(posixpath.dirname(full)):
        return f"{path}: No such file or directory"
    files = cluster.meta.get("written", {}).get(node, {})
    if full not in files and len(files) >= MAX_FILES:
        return f"{path}: No space left on device"
    return None


def write(cluster, node: str, path: str, text: str, append: bool) -> str | None:
    """Store `text` at `path`; returns bash's complaint (without `-bash: `), or None."""
    problem = check_write(cluster, node, path)
    full = resolve(cluster, node, path)
    if problem or full in DEVICES:
        return problem
    files = written(cluster, node)
    old = files.get(full, _files(cluster, node).get(full, "")) if append else ""
    files[full] = (old + text)[-MAX_BYTES:]
    return None


def mtime(cluster) -> str:
    """When the kit was cloned: the cluster's build time (kubeadm init ran the clone)."""
    ns = cluster.get("Namespace", "", "default")
    built = parse_rfc3339(ns["metadata"]["creationTimestamp"]) if ns else cluster.now
    return time.strftime("%b %e %H:%M", time.gmtime(built))


def columns(names: list[str], width: int = LINE_WIDTH) -> str:
    """GNU ls -C: as many columns as fit, filled top to bottom. A column is at least 3 wide
    (a name and two spaces), so at most width // 3 columns are tried: linear in the names."""
    if not names:
        return ""
    n = len(names)
    lengths = [len(name) for name in names]
    for cols in range(min(n, width // 3 + 1), 0, -1):
        rows = -(-n // cols)
        cols = -(-n // rows)
        widths = [max(lengths[c * rows:(c + 1) * rows]) for c in range(cols)]
        if sum(widths) + 2 * (cols - 1) <= width or cols == 1:
            lines = []
            for r in range(rows):
                cells = [names[c * rows + r] for c in range(cols) if c * rows + r < n]
                lines.append("  ".join(cell.ljust(widths[i]) if i < len(cells) - 1 else cell
                                       for i, cell in enumerate(cells)))
            return "\n".join(lines)
    return "\n".join(names)
