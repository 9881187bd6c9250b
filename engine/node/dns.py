"""Cluster DNS as CoreDNS 1.7.0 answers it (kubeadm 1.20 Corefile: `kubernetes cluster.local …
pods insecure`), and the lookup tools of the images students exec into.

Records come from the sandbox's live state: `<svc>.<ns>.svc.cluster.local` (ClusterIP, or the ready
pod IPs of a headless Service), `<a-b-c-d>.<ns>.pod.cluster.local`. Pods use ClusterFirst:
nameserver 10.96.0.10, the namespace's search list, ndots:5. Queries time out when no CoreDNS
pod is ready (or the client's node has no pod network). Names outside cluster.local would be
forwarded to 1.1.1.1; the sandbox has no internet, so they answer NXDOMAIN.
"""
from __future__ import annotations

import ipaddress
import time

from engine.controllers.replicaset import is_ready

DNS_IP = "10.96.0.10"
DOMAIN = "cluster.local"
TTL = 30
BIND_VERSION = "9.9.5-9+deb8u19-Debian"           # what jessie-dnsutils:1.3 ships


def search_list(ns: str) -> list[str]:
    return [f"{ns}.svc.{DOMAIN}", f"svc.{DOMAIN}", DOMAIN]


def resolv_conf(ns: str) -> str:
    return f"nameserver {DNS_IP}\nsearch {' '.join(search_list(ns))}\noptions ndots:5\n"


def pod_hosts(pod: dict) -> str:
    """The kubelet-managed /etc/hosts of a pod."""
    ip = pod["status"].get("podIP", "")
    return ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
            f"{ip}\t{pod['metadata']['name']}\n")


def reachable(cluster, client_node: str | None) -> bool:
    """Some CoreDNS pod is ready and the query can get there (pod network up on both ends)."""
    hosts = cluster.meta["hosts"]
    if client_node and not hosts.get(client_node, {}).get("docker"):
        return False
    for pod in cluster.list("Pod", "kube-system"):
        if ((pod["metadata"].get("labels") or {}).get("k8s-app") == "kube-dns" and is_ready(pod)
                and not pod["metadata"].get("deletionTimestamp")
                and hosts.get(pod["spec"].get("nodeName"), {}).get("docker")):
            return True
    return False


def records(cluster, fqdn: str) -> list[str] | None:
    """A records for an absolute name (no trailing dot), or None for NXDOMAIN."""
    name = fqdn.rstrip(".").lower()
    suffix = "." + DOMAIN
    if not name.endswith(suffix):
        return None
    labels = name[: -len(suffix)].split(".")
    if len(labels) == 3 and labels[2] == "svc":
        svc = cluster.get("Service", labels[1], labels[0])
        if svc is None or svc["spec"].get("type") == "ExternalName":
            return None
        ip = svc["spec"].get("clusterIP")
        if ip and ip != "None":
            return [ip]
        ep = cluster.get("Endpoints", labels[1], labels[0])
        ips = [a["ip"] for s in (ep or {}).get("subsets") or () for a in s.get("addresses") or ()]
        return ips or None
    if len(labels) == 3 and labels[2] == "pod":
        if cluster.get("Namespace", "", labels[1]) is None:
            return None
        try:
            return [str(ipaddress.ip_address(labels[0].replace("-", ".")))]
        except ValueError:
            return None
    return None


def resolve(cluster, ns: str, name: str) -> tuple[str, list[str]] | None:
    """What a ClusterFirst resolver finds for `name`: (fqdn, ips) or None."""
    candidates = []
    if name.endswith("."):
        candidates = [name.rstrip(".")]
    else:
        tried_search = [f"{name}.{d}" for d in search_list(ns)]
        candidates = tried_search + [name] if name.count(".") < 5 else [name] + tried_search
    for fqdn in candidates:
        ips = records(cluster, fqdn)
        if ips:
            return fqdn, ips
    return None


def reverse(cluster, ip: str) -> str | None:
    for svc in cluster.iter("Service"):
        if svc["spec"].get("clusterIP") == ip:
            return f"{svc['metadata']['name']}.{svc['metadata']['namespace']}.svc.{DOMAIN}"
    return None


# -- the tools ----------------------------------------------------------------------------------------

def nslookup_bind(cluster, pod: dict, args: list[str]) -> tuple[str, int]:
    """BIND 9 nslookup (dnsutils image)."""
    names = [a for a in args if not a.startswith("-")]
    if not names:
        return "", 0                       # interactive mode: nothing to do in chat
    name = names[0]
    if not reachable(cluster, pod["spec"].get("nodeName")):
        return ";; connection timed out; no servers could be reached\n\n", 1
    head = f"Server:\t\t{DNS_IP}\nAddress:\t{DNS_IP}#53\n\n"
    found = resolve(cluster, pod["metadata"]["namespace"], name)
    if found is None:
        return head + f"** server can't find {name}: NXDOMAIN\n\n", 1
    fqdn, ips = found
    return head + "".join(f"Name:\t{fqdn}\nAddress: {ip}\n" for ip in ips) + "\n", 0


def nslookup_busybox(cluster, pod: dict, args: list[str]) -> tuple[str, int]:
    """busybox 1.28 nslookup: the layout of the Kubernetes docs' samples."""
    names = [a for a in args if not a.startswith("-")]
    if not names:
        return ("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\n"
                "Usage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\n"
                "optionally using a specified DNS server"), 1
    name = names[0]
    if not reachable(cluster, pod["spec"].get("nodeName")):
        return (f"Server:    {DNS_IP}\nAddress 1: {DNS_IP}\n\nnslookup: can't resolve '{name}'"), 1
    head = f"Server:    {DNS_IP}\nAddress 1: {DNS_IP} kube-dns.kube-system.svc.{DOMAIN}\n\n"
    found = resolve(cluster, pod["metadata"]["namespace"], name)
    if found is None:
        return head + f"nslookup: can't resolve '{name}'", 1
    fqdn, ips = found
    lines = [f"Name:      {name}"]
    for i, ip in enumerate(ips, 1):
        back = reverse(cluster, ip) or fqdn
        lines.append(f"Address {i}: {ip} {back}")
    return head + "\n".join(lines), 0


def dig(cluster, pod: dict, args: list[str]) -> tuple[str, int]:
    """dig NAME [A]: no search list unless +search, as dig does."""
    names = [a for a in args if not a.startswith(("+", "-", "@")) and a.upper() not in ("A", "IN")]
    use_search = "+search" in args
    short = "+short" in args
    name = names[0] if names else "."
    if not reachable(cluster, pod["spec"].get("nodeName")):
        text = (f"\n; <<>> DiG {BIND_VERSION} <<>> {' '.join(args)}\n;; global options: +cmd\n"
                ";; connection timed out; no servers could be reached\n")
        return (";; connection timed out; no servers could be reached\n" if short else text), 9
    if use_search:
        found = resolve(cluster, pod["metadata"]["namespace"], name)
    else:
        ips = records(cluster, name)
        found = (name.rstrip("."), ips) if ips else None
    if short:
        return "".join(ip + "\n" for ip in (found[1] if found else ())), 0
    qname = (found[0] if found else name.rstrip(".")) + "."
    status = "NOERROR" if found else "NXDOMAIN"
    answers = found[1] if found else []
    qid = cluster.rng.below(65536)
    out = [f"\n; <<>> DiG {BIND_VERSION} <<>> {' '.join(args)}", ";; global options: +cmd", ";; Got answer:",
           f";; ->>HEADER<<- opcode: QUERY, status: {status}, id: {qid}",
           f";; flags: qr aa rd; QUERY: 1, ANSWER: {len(answers)}, AUTHORITY: {0 if found else 1}, ADDITIONAL: 1",
           ";; WARNING: recursion requested but not available", "", ";; OPT PSEUDOSECTION:",
           "; EDNS: version: 0, flags:; udp: 4096", ";; QUESTION SECTION:", f";{qname}\t\t\tIN\tA", ""]
    if answers:
        out += [";; ANSWER SECTION:"] + [f"{qname}\t{TTL}\tIN\tA\t{ip}" for ip in answers] + [""]
    else:
        out += [";; AUTHORITY SECTION:",
                f"{DOMAIN}.\t\t{TTL}\tIN\tSOA\tns.dns.{DOMAIN}. hostmaster.{DOMAIN}. "
                f"{int(cluster.now)} 7200 1800 86400 {TTL}", ""]
    when = time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(cluster.now))
    size = 12 + len(qname) + 4 + 11 + len(answers) * (len(qname) + 14) + (0 if found else 80)
    out += [";; Query time: 0 msec", f";; SERVER: {DNS_IP}#53({DNS_IP})", f";; WHEN: {when}",
            f";; MSG SIZE  rcvd: {size}", ""]
    return "\n".join(out) + "\n", 0


def coredns_log() -> list[str]:
    """What a coredns 1.7.0 pod prints at start with kubeadm's Corefile (no `log` plugin: queries
    are not logged)."""
    return [".:53", "[INFO] plugin/reload: Running configuration MD5 = db32ca3650231d74073ff4cf814959a7",
            "CoreDNS-1.7.0", "linux/amd64, go1.14.4, f59c03d"]
