"""The NFS share m-k8s exports (ch5/5.2): what nfs-exporter.sh exported and what chk-log pods wrote.

Kept in cluster.meta["nfs"]; every list is bounded so a sandbox stays small.
"""
from __future__ import annotations

MAX_NFS_LINES = 500        # per audit file
MAX_NFS_FILES = 200
MAX_EXPORTS = 4096          # nfs-exporter.sh directories


def state(cluster) -> dict:
    return cluster.meta.setdefault("nfs", {"exports": [], "enabled": False, "files": {}})


def append_line(cluster, path: str, line: str) -> None:
    files = state(cluster)["files"]
    if path not in files and len(files) >= MAX_NFS_FILES:
        return
    lines = files.setdefault(path, [])
    lines.append(line)
    del lines[:-MAX_NFS_LINES]


def exports_text(cluster) -> str:
    return "".join(f"{d} 192.168.1.0/24(rw,sync,no_root_squash)\n" for d in state(cluster)["exports"])
