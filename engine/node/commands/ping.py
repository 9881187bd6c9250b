"""`ping [-c N] HOST` from a node (iputils on CentOS 7). Nodes and running pods answer; Service
and MetalLB addresses are iptables rules, not hosts, and stay silent. Without -c, chat cannot
interrupt: ping stops after DEFAULT_COUNT with a tutor note. The sandbox clock moves a second
between packets, as ping waits."""
from __future__ import annotations

import hashlib
import ipaddress

from engine.node import traffic
from engine.node.command import Call, Result, fail, ok, options
from engine.node.commands.ssh import resolve_host

DEFAULT_COUNT = 4
MAX_COUNT = 100


def _answers(cluster, node: str, ip: str) -> bool | None:
    """True: echo replies; False: silence; None: nobody answers ARP (Destination Host Unreachable)."""
    addr = ipaddress.ip_address(ip)
    if addr.is_loopback or traffic._node_by_ip(cluster, ip):
        return True
    if traffic._pod_network(addr):
        if not traffic._docker_up(cluster, node):
            return False
        for pod in cluster.iter("Pod"):
            if pod["status"].get("podIP") == ip and pod["status"].get("phase") == "Running":
                return traffic._docker_up(cluster, pod["spec"].get("nodeName"))
        return False
    if addr in ipaddress.ip_network("192.168.1.0/24"):
        for svc in cluster.iter("Service"):
            if any(i.get("ip") == ip for i in (svc.get("status", {}).get("loadBalancer", {}).get("ingress") or ())):
                return False
        return None
    return False


def _rtt(seed: str, seq: int) -> float:
    h = int(hashlib.sha256(f"{seed}/{seq}".encode()).hexdigest()[:6], 16)
    return 0.25 + (h % 400) / 1000


def ping(call: Call) -> Result:
    opts, hosts = options(call, "c:i:W:w:qn4", [], "")
    if not hosts:
        return fail("Usage: ping [-aAbBdDfhLnOqrRUvV64] [-c count] [-i interval] [-I interface]\n"
                    "            [-m mark] [-M pmtudisc_option] [-l preload] [-p pattern] [-Q tos]\n"
                    "            [-s packetsize] [-S sndbuf] [-t ttl] [-T timestamp_option]\n"
                    "            [-w deadline] [-W timeout] [hop1 ...] destination", 2)
    given = dict(opts)
    count = DEFAULT_COUNT
    if "-c" in given:
        if not given["-c"].isdigit() or int(given["-c"]) == 0:
            return fail(f"ping: bad number of packets to transmit.", 2)
        count = min(int(given["-c"]), MAX_COUNT)
    else:
        call.sandbox.notes.append(("shell_ping_count", {"count": DEFAULT_COUNT}))
    target = hosts[-1]
    try:
        ip = str(ipaddress.ip_address(target))
        label = ip
    except ValueError:
        name = resolve_host(call.cluster, target)
        if name is None:
            return fail(f"ping: {target}: Name or service not known", 2)
        ip = "127.0.0.1" if name == "localhost" else call.cluster.meta["hosts"][name]["ip"]
        label = f"{target} ({ip})"
    answers = _answers(call.cluster, call.node, ip)
    lines = [f"PING {target} ({ip}) 56(84) bytes of data."]
    rtts = []
    errors = 0
    for seq in range(1, count + 1):
        if answers:
            rtt = _rtt(f"{call.node}>{ip}@{int(call.cluster.now)}", seq)
            rtts.append(rtt)
            lines.append(f"64 bytes from {label}: icmp_seq={seq} ttl={64 if not ip.startswith('172.16.') else 63} "
                         f"time={rtt:.3f} ms")
        elif answers is None:
            src = call.cluster.meta["hosts"][call.node]["ip"]
            lines.append(f"From {src} icmp_seq={seq} Destination Host Unreachable")
            errors += 1
    elapsed = (count - 1) * 1000 + (1 if count > 1 else 0)
    stats = f"{count} packets transmitted, {len(rtts)} received, "
    if errors:
        stats += f"+{errors} errors, "
    stats += f"{100 - 100 * len(rtts) // count}% packet loss, time {elapsed}ms"
    lines += ["", f"--- {target} ping statistics ---", stats]
    if rtts:
        avg = sum(rtts) / len(rtts)
        mdev = (sum((r - avg) ** 2 for r in rtts) / len(rtts)) ** 0.5
        lines.append(f"rtt min/avg/max/mdev = {min(rtts):.3f}/{avg:.3f}/{max(rtts):.3f}/{mdev:.3f} ms")
    if count > 1:
        call.sandbox.advance(count - 1)
    text = "\n".join(lines)
    return ok(text) if rtts else Result(text + "\n", "", 1)
