"""kubectl version, cluster-info, api-resources, and help."""
from __future__ import annotations

from engine.kubectl.context import Ctx
from engine.kubectl.flags import Flag, parse
from engine.kubectl.resources import RESOURCES
from engine.kubectl.table import render

VERSIONS = {"v1.20.2": ("faecb196815e248d3ecfb03c680a4507229c2a56", "2021-01-13T13:28:09Z", "go1.15.5"),
            "v1.20.4": ("e87da0bd6e03ec3fea7933c4b5263d151aafd07c", "2021-02-18T16:12:00Z", "go1.15.8")}
SERVER_BUILT = {"v1.20.2": "2021-01-13T13:20:00Z", "v1.20.4": "2021-02-18T16:03:00Z"}


def _version_info(version: str, built: str | None = None) -> str:
    commit, date, go = VERSIONS.get(version, VERSIONS["v1.20.2"])
    major, minor = version.lstrip("v").split(".")[:2]
    return (f'version.Info{{Major:"{major}", Minor:"{minor}", GitVersion:"{version}", GitCommit:"{commit}", '
            f'GitTreeState:"clean", BuildDate:"{built or date}", GoVersion:"{go}", Compiler:"gc", '
            f'Platform:"linux/amd64"}}')


def version(ctx: Ctx, argv: list[str]) -> str:
    p = parse("version", argv, (Flag("short", "bool", default=False), Flag("client", "bool", default=False),
                                Flag("output", short="o", default="")))
    client = ctx.cluster.meta.get("kubectl_version", "v1.20.2")
    server = ctx.cluster.meta.get("control_plane_version", "v1.20.2")
    if p["short"]:
        lines = [f"Client Version: {client}"]
        if not p["client"]:
            lines.append(f"Server Version: {server}")
        return "\n".join(lines)
    lines = [f"Client Version: {_version_info(client)}"]
    if not p["client"]:
        lines.append(f"Server Version: {_version_info(server, SERVER_BUILT.get(server))}")
    return "\n".join(lines)


def cluster_info(ctx: Ctx, argv: list[str]) -> str:
    parse("cluster-info", argv, ())
    # Real kubectl colours these words with ANSI codes; chat shows plain text.
    return ("Kubernetes control plane is running at https://192.168.1.10:6443\n"
            "KubeDNS is running at https://192.168.1.10:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy"
            "\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")


def api_resources(ctx: Ctx, argv: list[str]) -> str:
    p = parse("api-resources", argv, (Flag("namespaced", "bool", default=True), Flag("output", short="o", default=""),
                                      Flag("api-group", default=""), Flag("no-headers", "bool", default=False),
                                      Flag("sort-by", default=""), Flag("verbs", "list"), Flag("cached", "bool", default=False)))
    rows = []
    for r in RESOURCES:
        if "namespaced" in p.seen and r.namespaced != p["namespaced"]:
            continue
        if "api-group" in p.seen and r.group != p["api-group"]:
            continue
        rows.append([r.plural, ",".join(r.shorts), r.api_version, "true" if r.namespaced else "false", r.kind])
    if p["output"] == "name":
        return "\n".join(f"{r[0]}.{r[2].split('/')[0]}" if "/" in r[2] else r[0] for r in rows)
    return render(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"], rows, no_headers=p["no-headers"])
