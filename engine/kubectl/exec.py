"""kubectl exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [args...]

The command runs "inside" the container: what it finds depends on the image (nginx and the
course's chk-* images are Debian with bash and curl; dnsutils has nslookup/dig; busybox has its
own nslookup). A program the image lacks fails as docker 19.03's runc says, exit code 126.
Chat has no terminal, so an interactive shell (`-it -- /bin/bash`) is answered with a hint.
"""
from __future__ import annotations

import posixpath
import shlex
import time

from engine import images
from engine.node import dns, fs, nfs, traffic
from engine.kubectl.context import Ctx
from engine.apiserver.errors import internal
from engine.kubectl.errors import KubectlError, from_status, not_found
from engine.kubectl.flags import Flag, parse

FLAGS = (Flag("container", short="c", default=""), Flag("stdin", "bool", short="i", default=False),
         Flag("tty", "bool", short="t", default=False), Flag("quiet", "bool", short="q", default=False),
         Flag("filename", "list", short="f"), Flag("pod-running-timeout", default="1m0s"))
USAGE = ("error: expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\n"
         "POD or TYPE/NAME is a required argument for the exec command\nSee 'kubectl exec -h' for help and examples")
DEPRECATED = ("kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. "
              "Use kubectl exec [POD] -- [COMMAND] instead.")
BASIC = {"ls", "cat", "hostname", "echo", "env", "printenv", "date", "pwd", "whoami", "sleep", "true", "false"}
DEBIAN = BASIC | {"bash", "sh"}
TOOLSETS = {"web": DEBIAN | {"curl", "nginx"}, "dnsutils": DEBIAN | {"nslookup", "dig", "host"},
            "busybox": BASIC | {"sh", "nslookup", "wget"}, "none": set()}
DEBIAN_ROOT = ["bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run",
               "sbin", "srv", "sys", "tmp", "usr", "var"]
NGINX_ROOT_EXTRA = ["docker-entrypoint.d", "docker-entrypoint.sh"]


def toolset(image: str) -> str:
    repo, _ = images.split(image)
    if "dnsutils" in repo:
        return "dnsutils"
    if repo == "busybox":
        return "busybox"
    if images.serves(image) != "none":
        return "web"
    if repo.startswith(("calico/", "docker.io/calico/")):
        return "busybox"
    return "none"                      # distroless/scratch: coredns, kube-*, etcd, metallb, pause


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("exec", argv, FLAGS)
    if not p.args:
        raise KubectlError(USAGE)
    warning = ""
    command = p.dash_args
    if command is None:
        if len(p.args) > 1:
            warning = DEPRECATED + "\n"
        command = p.args[1:]
    if not command:
        raise KubectlError(warning + "error: you must specify at least one command for the container")
    pod = _find_pod(ctx, ctx.namespace(p), p.args[0])
    container, note = _container(pod, p["container"])
    _check_running(ctx, pod, container)
    ctx.tty = p["tty"]
    out, rc = run_in_container(ctx, pod, container, command, interactive=p["stdin"] and p["tty"])
    text = warning + note + out
    if rc:
        raise KubectlError(text + ("" if not text or text.endswith("\n") else "\n")
                           + f"command terminated with exit code {rc}", rc=rc)
    return text.rstrip("\n")


def _find_pod(ctx: Ctx, ns: str, target: str) -> dict:
    if "/" in target:
        kind, _, name = target.partition("/")
        if kind in ("pod", "pods", "po"):
            target = name
        else:
            from engine.kubectl.logs import pod_for_owner
            return pod_for_owner(ctx, ns, kind, name)
    pod = ctx.cluster.get("Pod", ns, target)
    if pod is None:
        raise KubectlError(not_found("pods", target))
    return pod


def _container(pod: dict, wanted: str) -> tuple[dict, str]:
    containers = pod["spec"]["containers"]
    if wanted:
        for c in containers:
            if c["name"] == wanted:
                return c, ""
        raise KubectlError(f"error: container {wanted} not found in pod {pod['metadata']['name']}")
    note = ""
    if len(containers) > 1:
        note = (f"Defaulting container name to {containers[0]['name']}.\nUse 'kubectl describe pod/"
                f"{pod['metadata']['name']} -n {pod['metadata']['namespace']}' to see all of the containers in this pod.\n")
    return containers[0], note


def _check_running(ctx: Ctx, pod: dict, container: dict) -> None:
    phase = pod["status"].get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"error: cannot exec into a container in a completed pod; current phase is {phase}")
    node = pod["spec"].get("nodeName")
    host = ctx.cluster.meta["hosts"].get(node or "", {})
    if node and not host.get("kubelet", True):
        raise from_status(internal(f"error dialing backend: dial tcp {host.get('ip')}:10250: connect: connection "
                                   "refused"))
    running = any(cs["name"] == container["name"] and "running" in (cs.get("state") or {})
                  for cs in pod["status"].get("containerStatuses") or ())
    if not running or not host.get("docker", False):
        raise KubectlError(f'error: unable to upgrade connection: container not found ("{container["name"]}")')


# -- inside the container ---------------------------------------------------------------------------

def run_in_container(ctx: Ctx, pod: dict, container: dict, command: list[str], *,
                     interactive: bool = False) -> tuple[str, int]:
    tools = TOOLSETS[toolset(container["image"])]
    prog = posixpath.basename(command[0])
    if prog not in tools:
        return (f'OCI runtime exec failed: exec failed: container_linux.go:349: starting container process caused '
                f'"exec: \\"{command[0]}\\": executable file not found in $PATH": unknown\n'), 126
    args = command[1:]
    if prog in ("bash", "sh"):
        if len(args) >= 2 and args[0] == "-c":
            return _script(ctx, pod, container, args[1])
        if not args and interactive:
            ctx.notes.append(("exec_no_tty", {"example": f"!k exec {pod['metadata']['name']} -- ls /audit"}))
            return "", 0
        return "", 0
    fn = PROGRAMS.get(prog)
    if fn is None:
        return "", 0
    return fn(ctx, pod, args)


def _script(ctx: Ctx, pod: dict, container: dict, line: str) -> tuple[str, int]:
    """`sh -c "a; b && c"`: the simple lists students type."""
    from engine.node.parser import split_commands
    parts = split_commands(line) or []
    out, rc = [], 0
    for joiner, part in parts:
        if not part or (joiner == "&&" and rc) or (joiner == "||" and not rc):
            continue
        try:
            argv = shlex.split(part)
        except ValueError:
            return "sh: 1: Syntax error: Unterminated quoted string\n", 2
        text, rc = run_in_container(ctx, pod, container, argv)
        out.append(text)
    return "".join(out), rc


def files(ctx: Ctx, pod: dict) -> dict[str, str]:
    """The files a student can look at inside the pod."""
    cluster = ctx.cluster
    out = {"/etc/resolv.conf": dns.resolv_conf(pod["metadata"]["namespace"]), "/etc/hosts": dns.pod_hosts(pod),
           "/etc/hostname": pod["metadata"]["name"] + "\n"}
    if traffic.serves(pod) == "nginx":
        out["/usr/share/nginx/html/index.html"] = traffic.NGINX_PAGE
    for path, lines in _audit_files(cluster, pod).items():
        out[path] = "".join(line + "\n" for line in lines)
    return out


def _audit_files(cluster, pod: dict) -> dict[str, list[str]]:
    source = traffic.audit_share(cluster, pod)
    if source:                                        # an inline nfs: volume, or a claim bound to one
        share = source.get("path", "").rstrip("/") + "/"
        return {"/audit/" + p[len(share):]: lines for p, lines in nfs.state(cluster)["files"].items()
                if p.startswith(share) and "/" not in p[len(share):]}
    return dict(cluster.meta.get("podfiles", {}).get(pod["metadata"]["uid"], {}))


def _dirs(pod: dict, paths) -> set[str]:
    dirs = {"/"} | {"/" + d for d in DEBIAN_ROOT}
    if traffic.serves(pod) == "hostname-log":
        dirs.add("/audit")
    for p in paths:
        parent = posixpath.dirname(p)
        while parent not in dirs:
            dirs.add(parent)
            parent = posixpath.dirname(parent)
    return dirs


def _ls(ctx: Ctx, pod: dict, args: list[str]) -> tuple[str, int]:
    tree = files(ctx, pod)
    dirs = _dirs(pod, tree)
    names = [a for a in args if not a.startswith("-")] or ["/"]
    long_ = any(a.startswith("-") and "l" in a for a in args)
    out, rc = [], 0
    for name in names:
        path = posixpath.normpath(posixpath.join("/", name))
        if path in tree:
            out.append(name)
        elif path in dirs:
            prefix = path.rstrip("/") + "/"
            kids = sorted({p[len(prefix):].split("/", 1)[0] for p in (*tree, *dirs)
                           if p.startswith(prefix) and p != prefix}
                          | (set(NGINX_ROOT_EXTRA) if path == "/" and traffic.serves(pod) != "none" else set()))
            if long_:
                lines = [f"{'-rw-r--r--' if posixpath.join(path, k) in tree else 'drwxr-xr-x'} 1 root root "
                         f"{len(tree.get(posixpath.join(path, k), '').encode()) or 4096:>5} "
                         f"{_stamp(ctx)} {k}" for k in kids]
                out.append("\n".join([f"total {4 * len(kids)}"] + lines))
            else:
                out.append(fs.columns(kids) if ctx.tty else "\n".join(kids))   # no terminal: one a line
        else:
            out.append(f"ls: cannot access '{name}': No such file or directory")
            rc = 2
    return "\n".join(o for o in out if o) + ("\n" if any(out) else ""), rc


def _stamp(ctx: Ctx) -> str:
    return time.strftime("%b %e %H:%M", time.gmtime(ctx.cluster.now))


def _cat(ctx: Ctx, pod: dict, args: list[str]) -> tuple[str, int]:
    tree = files(ctx, pod)
    dirs = _dirs(pod, tree)
    out, rc = [], 0
    for name in [a for a in args if not a.startswith("-")]:
        path = posixpath.normpath(posixpath.join("/", name))
        if path in tree:
            out.append(tree[path])
        elif path in dirs:
            out.append(f"cat: {name}: Is a directory\n")
            rc = 1
        else:
            out.append(f"cat: {name}: No such file or directory\n")
            rc = 1
    return "".join(out), rc


def _curl(ctx: Ctx, pod: dict, args: list[str]) -> tuple[str, int]:
    cluster = ctx.cluster
    node = pod["spec"].get("nodeName", "")

    def resolver(name: str) -> str | None:
        if name == "localhost":
            return "127.0.0.1"
        if not dns.reachable(cluster, node):
            return None
        found = dns.resolve(cluster, pod["metadata"]["namespace"], name)
        return found[1][0] if found else None
    out, rc = traffic.curl(cluster, traffic.Source(node, pod), args, resolver)
    return out + ("\n" if out else ""), rc


def _nslookup(ctx: Ctx, pod: dict, args: list[str]) -> tuple[str, int]:
    if toolset(pod_image(pod)) == "busybox":
        out, rc = dns.nslookup_busybox(ctx.cluster, pod, args)
        return out + "\n", rc
    return dns.nslookup_bind(ctx.cluster, pod, args)


def pod_image(pod: dict) -> str:
    return pod["spec"]["containers"][0]["image"]


def _simple(text_fn):
    return lambda ctx, pod, args: (text_fn(ctx, pod, args), 0)


PROGRAMS = {
    "ls": _ls, "cat": _cat, "curl": _curl, "nslookup": _nslookup,
    "dig": lambda ctx, pod, args: dns.dig(ctx.cluster, pod, args),
    "hostname": _simple(lambda ctx, pod, args: pod["metadata"]["name"] + "\n"),
    "echo": _simple(lambda ctx, pod, args: " ".join(args) + "\n"),
    "pwd": _simple(lambda ctx, pod, args: "/\n"),
    "whoami": _simple(lambda ctx, pod, args: "root\n"),
    "false": lambda ctx, pod, args: ("", 1),
}
