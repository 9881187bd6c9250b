"""Draw a scene (bot/map/scene.py) as a PNG, and as text for a terminal. Nothing here reads the cluster.

Layout: one column per node (a box with its status and taints, its pods inside, coloured by
phase), a column for pods without a node, services along the top with arrows to their endpoint
pods. Changes since the previous map get a thick outline and a tag; gone pods are listed below.
"""
from __future__ import annotations

from bot import charts
from bot.i18n import t

COLOURS = {"running": "#4caf50", "waiting": "#ffc107", "ending": "#9e9e9e", "failing": "#e53935",
           "done": "#42a5f5"}
CHANGE_COLOURS = {"new": "#1565c0", "moved": "#8e24aa", "evicted": "#d50000"}
NODE_OK, NODE_BAD, NODE_OFF = "#e8f5e9", "#ffebee", "#fff8e1"
MAX_PODS_DRAWN = 14          # per column; the rest is summed up as "+N"
POD_H, POD_GAP = 0.42, 0.08
ARROWS_PER_NODE = 3          # more endpoints of one service on one node get a single arrow with a count


def _short(name: str, width: int = 26) -> str:
    return name if len(name) <= width else name[:width - 1] + "…"


def _node_colour(status: str) -> str:
    if status.startswith("NotReady") or status.startswith("Unknown"):
        return NODE_BAD
    return NODE_OFF if "SchedulingDisabled" in status else NODE_OK


def _service_line(svc: dict) -> str:
    """`LoadBalancer 192.168.1.11 :30080`: the address a student would use, and the node ports."""
    ip = svc["external_ip"] if svc["type"] == "LoadBalancer" else svc["cluster_ip"]
    ports = " ".join(f":{p}" for p in svc["node_ports"])
    return f"{svc['type']} {ip} {ports}".rstrip()


def _by_column(endpoints: list[str], column_of: dict[str, int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for key in endpoints:
        if key in column_of:
            out.setdefault(column_of[key], []).append(key)
    return out


def _columns(view: dict, lang: str) -> list[dict]:
    cols = [{"title": n["name"], "status": n["status"], "taints": n["taints"], "pods": n["pods"]}
            for n in view["nodes"]]
    if view["unscheduled"]:
        cols.append({"title": t(lang, "map_no_node"), "status": "", "taints": [], "pods": view["unscheduled"]})
    return cols


def picture(view: dict, lang: str) -> bytes:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

    font = charts.font()
    cols = _columns(view, lang)
    rows = max([min(len(c["pods"]), MAX_PODS_DRAWN) + (len(c["pods"]) > MAX_PODS_DRAWN) for c in cols] + [3])
    services = view["services"][:8]
    col_w, gap = 3.0, 0.3
    width = len(cols) * (col_w + gap) + gap
    node_h = 1.3 + rows * (POD_H + POD_GAP)
    svc_h = 1.4 if services else 0.0
    foot = 0.9
    height = foot + node_h + svc_h + 0.8
    fig = charts.figure(width * 1.0, height * 1.0)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")

    def say(x, y, text, size=9, **kw):
        ax.text(x, y, text, fontproperties=font, fontsize=size, **kw)

    say(gap, height - 0.45, t(lang, "map_title"), 13, weight="bold", va="center")
    centres: dict[str, tuple[float, float]] = {}     # pod key -> where an arrow ends
    column_of: dict[str, int] = {}                     # pod key -> its column (drawn or not)
    tops: list[tuple[float, float]] = []               # each column's top centre
    top = foot + node_h
    for i, col in enumerate(cols):
        x = gap + i * (col_w + gap)
        tops.append((x + col_w / 2, top))
        column_of.update((pod["key"], i) for pod in col["pods"])
        ax.add_patch(Rectangle((x, foot), col_w, node_h, facecolor=_node_colour(col["status"]),
                               edgecolor="#455a64", linewidth=1.2))
        say(x + 0.12, top - 0.3, col["title"], 11, weight="bold", va="center")
        say(x + 0.12, top - 0.62, col["status"], 8.5, va="center",
            color="#c62828" if _node_colour(col["status"]) != NODE_OK else "#2e7d32")
        if col["taints"]:
            say(x + 0.12, top - 0.9, _short(", ".join(col["taints"]), 40), 6.5, va="center", color="#6d4c41")
        y = top - 1.25
        for pod in col["pods"][:MAX_PODS_DRAWN]:
            change = pod["change"]
            ax.add_patch(FancyBboxPatch((x + 0.1, y - POD_H), col_w - 0.2, POD_H, boxstyle="round,pad=0.02",
                                        facecolor=COLOURS[pod["class"]],
                                        edgecolor=CHANGE_COLOURS.get(change, "#37474f"),
                                        linewidth=3 if change else 0.6, linestyle="--" if change == "evicted" else "-"))
            say(x + 0.18, y - POD_H / 2, _short(pod["name"]), 7.5, va="center")
            say(x + col_w - 0.15, y - POD_H / 2, pod["status"] if not change else f"{pod['status']} · {t(lang, 'map_' + change)}",
                6.5, va="center", ha="right")
            centres[pod["key"]] = (x + col_w / 2, y)
            y -= POD_H + POD_GAP
        if len(col["pods"]) > MAX_PODS_DRAWN:
            say(x + 0.18, y - POD_H / 2, f"+{len(col['pods']) - MAX_PODS_DRAWN}", 8, va="center")
    if services:
        sw = min((width - gap) / len(services) - gap, 4.5)
        for i, svc in enumerate(services):
            x, y = gap + i * (sw + gap), top + 0.25
            ax.add_patch(FancyBboxPatch((x, y), sw, svc_h - 0.45, boxstyle="round,pad=0.03", facecolor="#e3f2fd",
                                        edgecolor="#1565c0", linewidth=1))
            say(x + 0.1, y + svc_h - 0.7, _short(svc["name"], 22), 9, weight="bold", va="center")
            say(x + 0.1, y + 0.25, _service_line(svc), 7, va="center")
            for column, keys in _by_column(svc["endpoints"], column_of).items():
                # An arrow per endpoint pod while that stays readable; else one to the node, with a count.
                ends = [centres[k] for k in keys if k in centres] if len(keys) <= ARROWS_PER_NODE else []
                for end in ends or [tops[column]]:
                    ax.add_patch(FancyArrowPatch((x + sw / 2, y), end, arrowstyle="-|>", mutation_scale=9,
                                                 color="#1565c0", alpha=0.45, linewidth=0.8))
                if not ends:
                    say(tops[column][0], tops[column][1] + 0.05, f"×{len(keys)}", 8, ha="center", color="#1565c0")
    for k, (name, colour) in enumerate(COLOURS.items()):
        ax.add_patch(Rectangle((gap + k * 2.2, 0.45), 0.22, 0.22, facecolor=colour, edgecolor="#37474f"))
        say(gap + k * 2.2 + 0.32, 0.56, t(lang, "map_class_" + name), 8, va="center")
    if view["gone"]:
        say(gap, 0.2, t(lang, "map_gone_list", pods=_short(", ".join(k.split("/", 1)[1] for k in view["gone"]), 120)),
            7.5, va="center", color=CHANGE_COLOURS["evicted"])
    return charts.png(fig)


def text(view: dict, lang: str) -> str:
    """The same picture in words, for a terminal."""
    lines = []
    for col in _columns(view, lang):
        head = f"[{col['title']}] {col['status']}".rstrip()
        if col["taints"]:
            head += "  taints: " + ", ".join(col["taints"])
        lines.append(head)
        for pod in col["pods"]:
            mark = f"  <- {t(lang, 'map_' + pod['change'])}" if pod["change"] else ""
            lines.append(f"  {pod['name']}  {pod['status']}{mark}")
        if not col["pods"]:
            lines.append("  -")
    for svc in view["services"]:
        targets = ", ".join(k.split("/", 1)[1] for k in svc["endpoints"]) or "-"
        lines.append(f"svc/{svc['name']} {_service_line(svc)} -> {targets}")
    if view["gone"]:
        lines.append(t(lang, "map_gone_list", pods=", ".join(k.split("/", 1)[1] for k in view["gone"])))
    return "\n".join(lines)
