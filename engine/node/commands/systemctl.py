"""`systemctl` on a lab node: status, start, stop, restart, is-active, is-enabled, daemon-reload."""
from __future__ import annotations

from engine.node import services
from engine.node.command import Call, Result, fail, lines


def _unit_name(arg: str) -> tuple[str, str]:
    """('kubelet', 'kubelet.service') for kubelet / kubelet.service; unknown units keep their name."""
    base = arg[:-len(".service")] if arg.endswith(".service") else arg
    return base, (arg if "." in arg else arg + ".service")


def status_text(cluster, node: str, unit: str) -> tuple[str, int]:
    spec = services.UNITS[unit]
    state = services.unit_state(cluster, node, unit)
    running = cluster.host(node)[unit]
    lines = [f"● {unit}.service - {spec['description']}",
             f"   Loaded: loaded (/usr/lib/systemd/system/{unit}.service; enabled; vendor preset: disabled)"]
    if spec["dropin"]:
        lines += [f"  Drop-In: /usr/lib/systemd/system/{unit}.service.d", f"           └─{spec['dropin']}"]
    since = f"since {services.timestamp(state['since'])}; {services.relative(cluster.now - state['since'])}"
    if running:
        lines += [f"   Active: active (running) {since}", f"     Docs: {spec['docs']}",
                  f" Main PID: {state['pid']} ({unit if unit == 'kubelet' else 'dockerd'})",
                  f"    Tasks: {spec['tasks']}", f"   Memory: {spec['memory']}",
                  f"   CGroup: /system.slice/{unit}.service", f"           └─{state['pid']} {spec['exec']}"]
    else:
        pid = state.get("exit") or state["pid"]
        lines += [f"   Active: inactive (dead) {since}", f"     Docs: {spec['docs']}",
                  f"  Process: {pid} ExecStart={spec['exec_start']} (code=exited, status=0/SUCCESS)",
                  f" Main PID: {pid} (code=exited, status=0/SUCCESS)"]
    if state["journal"]:
        lines.append("")
        lines += [f"{services.journal_stamp(at)} {node} systemd[1]: {text}" for at, text in state["journal"]]
    return "\n".join(lines), 0 if running else 3


# -- the command ---------------------------------------------------------------------------------------

def _not_found(verb: str, full: str) -> tuple[str, int]:
    if verb == "status":
        return f"Unit {full} could not be found.", 4
    if verb == "stop":
        return f"Failed to stop {full}: Unit {full} not loaded.", 5
    return f"Failed to {verb} {full}: Unit not found.", 5


def systemctl(call: Call) -> Result:
    """`status` and `is-active` print to stdout whatever the unit's state; failures go to stderr."""
    out, rc = _systemctl(call.cluster, call.node, call.args)
    return Result(lines(out), "", rc) if rc in (0, 3) else fail(out, rc)


def _systemctl(cluster, node: str, args: list[str]) -> tuple[str, int]:
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return ("(the full unit list is long: ask about one unit, e.g. `systemctl status kubelet`)", 0)
    verb, names = words[0], words[1:]
    if verb == "daemon-reload":
        cluster.host(node).pop("units_changed_on_disk", None)
        return "", 0
    if verb not in ("start", "stop", "restart", "status", "is-active", "is-enabled", "enable"):
        return f"Unknown operation '{verb}'.", 1
    if not names:
        return "Too few arguments.", 1
    outputs, rc = [], 0
    for arg in names:
        unit, full = _unit_name(arg)
        if unit not in services.UNITS or not full.endswith(".service"):
            if verb == "is-active":
                outputs.append("unknown")
                rc = 3
                continue
            if verb == "is-enabled":
                outputs.append(f"Failed to get unit file state for {full}: No such file or directory")
                rc = 1
                continue
            text, rc = _not_found(verb, full)
            outputs.append(text)
            if verb != "status":
                break
            continue
        running = cluster.host(node)[unit]
        if verb == "status":
            text, code = status_text(cluster, node, unit)
            outputs.append(text)
            rc = max(rc, code)
        elif verb == "is-active":
            outputs.append("active" if running else "inactive")
            rc = max(rc, 0 if running else 3)
        elif verb == "is-enabled":
            outputs.append("enabled")
        elif verb == "enable":
            pass                                           # already enabled: systemd prints nothing
        else:
            if unit in cluster.host(node).get("units_changed_on_disk", ()):
                outputs.append(f"Warning: {full} changed on disk. Run 'systemctl daemon-reload' to reload units.")
            if verb in ("stop", "restart") and running:
                if unit == "docker" and verb == "stop":
                    outputs.append(services.DOCKER_SOCKET_WARNING)
                services.set_running(cluster, node, unit, False)
            if verb in ("start", "restart") and not cluster.host(node)[unit]:
                services.set_running(cluster, node, unit, True)
    from engine import reconcile
    reconcile.settle(cluster)
    return "\n".join(outputs), rc

