"""HTTP traffic in the lab: `curl` from a node (or from a pod, via kubectl exec) to a pod IP, a
ClusterIP:port, any node IP:NodePort or a MetalLB address, answered by what the pod's image serves.

kube-proxy (iptables mode) is played by `_service_target`: a random ready endpoint per request
(the `statistic` match, cluster.rng); no ready endpoint is a REJECT (connection refused). A node
whose docker is stopped has no Calico and no containers: it neither forwards nor serves, so
traffic into it times out. Every request a pod answers appends a line to its nginx access log,
kept bounded in cluster.meta["podlogs"] (engine/kubectl/logs.py prints it).

curl's wording depends on where it runs: m-k8s and the workers are CentOS 7 (curl 7.29), the
nginx-based images are Debian (curl 7.64).
"""
from __future__ import annotations

import ipaddress
import re
import time
from dataclasses import dataclass

from engine import images
from engine.node import nfs
from engine.controllers import metallb
from engine.controllers.replicaset import is_ready
from engine.netplan import tunnel_ip

MAX_LOG_LINES = 200           # per pod: enough for any lab, bounded for the store
MAX_LOGGED_PODS = 300
NODE_CURL = "7.29.0"
POD_CURL = "7.64.0"
SERVED_PORT = 80              # every web image in the catalogue listens on 80 only
NGINX_PAGE = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""
HTTPD_PAGE = "<html><body><h1>It works!</h1></body></html>\n"
# What `nginx` means by tag in early 2021 (the course's era); x.y.z tags are themselves.
NGINX_VERSIONS = {"latest": "1.19.6", "mainline": "1.19.6", "alpine": "1.19.6", "1.19": "1.19.6",
                  "stable": "1.18.0", "1.18": "1.18.0", "1.17": "1.17.10", "1.20": "1.20.2", "1.21": "1.21.6"}
NGINX_LAST_MODIFIED = "Tue, 15 Dec 2020 13:59:38 GMT"
NGINX_ETAG = '"5fd8c14a-264"'


@dataclass
class Source:
    """Where a request starts: a node's shell, or a pod (kubectl exec)."""
    node: str
    pod: dict | None = None

    @property
    def curl_version(self) -> str:
        return POD_CURL if self.pod else NODE_CURL


class Failure(Exception):
    """A connection that did not happen: kind is refused | timeout | unreachable."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str


# -- routing ------------------------------------------------------------------------------------------

def _docker_up(cluster, node: str | None) -> bool:
    return bool(node) and cluster.meta["hosts"].get(node, {}).get("docker", False)


def _pod_network(ip: ipaddress.IPv4Address) -> bool:
    return ip in ipaddress.ip_network("172.16.0.0/16")


def _service_network(ip: ipaddress.IPv4Address) -> bool:
    return ip in ipaddress.ip_network("10.96.0.0/12")


def _node_by_ip(cluster, ip: str) -> str | None:
    for name, facts in cluster.meta["hosts"].items():
        if facts.get("ip") == ip:
            return name
    return None


def route(cluster, src: Source, ip: str, port: int) -> tuple[dict, int, str]:
    """(pod, port, client IP the pod sees) for a connection to ip:port, or raise Failure."""
    addr = ipaddress.ip_address(ip)
    via = src.node                                   # the node whose kube-proxy rules the packet meets
    if addr.is_loopback:
        if src.pod:
            return _deliver(cluster, src.pod, port, "127.0.0.1")
        return _node_port(cluster, src.node, port, src)
    if (_pod_network(addr) or _service_network(addr)) and not _docker_up(cluster, src.node):
        raise Failure("timeout")                     # no calico-node on the source: no routes
    if _service_network(addr):
        for svc in cluster.iter("Service"):
            if svc["spec"].get("clusterIP") == ip:
                for sp in svc["spec"].get("ports") or ():
                    if sp["port"] == port and sp.get("protocol", "TCP") == "TCP":
                        return _service_target(cluster, svc, sp, via, src)
        raise Failure("timeout")
    if _pod_network(addr):
        for pod in cluster.iter("Pod"):
            if pod["status"].get("podIP") == ip and not pod["spec"].get("hostNetwork"):
                return _deliver(cluster, pod, port, _client_ip(cluster, src, pod))
        raise Failure("timeout")
    node = _node_by_ip(cluster, ip)
    if node is not None:
        return _node_port(cluster, node, port, src)
    for svc in cluster.iter("Service"):
        if svc["spec"].get("type") == "LoadBalancer" and metallb.ingress_ip(svc) == ip:
            announcer = metallb.announcer(cluster, svc)
            if announcer is None:
                break
            if not _docker_up(cluster, announcer):
                raise Failure("timeout")
            for sp in svc["spec"].get("ports") or ():
                if sp["port"] == port and sp.get("protocol", "TCP") == "TCP":
                    return _service_target(cluster, svc, sp, announcer, Source(announcer))
            raise Failure("refused")
    if addr in ipaddress.ip_network("192.168.1.0/24"):
        raise Failure("unreachable")                 # nobody answers ARP on the lab's subnet
    raise Failure("timeout")


def _node_port(cluster, node: str, port: int, src: Source) -> tuple[dict, int, str]:
    if not _docker_up(cluster, node):
        raise Failure("timeout")
    for svc in cluster.iter("Service"):
        if svc["spec"].get("type") in ("NodePort", "LoadBalancer"):
            for sp in svc["spec"].get("ports") or ():
                if sp.get("nodePort") == port and sp.get("protocol", "TCP") == "TCP":
                    return _service_target(cluster, svc, sp, node, Source(node))
    raise Failure("refused")


def _service_target(cluster, svc: dict, sp: dict, via: str, src: Source) -> tuple[dict, int, str]:
    """kube-proxy: a random ready endpoint of the port, or REJECT when there is none."""
    ep = cluster.get("Endpoints", svc["metadata"]["namespace"], svc["metadata"]["name"])
    choices = []
    for subset in (ep or {}).get("subsets") or ():
        ports = subset.get("ports") or ()
        match = next((p for p in ports if p.get("name", "") == sp.get("name", "") or len(ports) == 1), None)
        if match is None:
            continue
        for addr in subset.get("addresses") or ():
            choices.append((addr, match["port"]))
    if not choices:
        raise Failure("refused")
    addr, port = choices[cluster.rng.below(len(choices))]
    ref = addr.get("targetRef") or {}
    pod = cluster.get("Pod", ref.get("namespace", ""), ref.get("name", ""))
    if pod is None:
        raise Failure("timeout")
    return _deliver(cluster, pod, port, _client_ip(cluster, Source(via) if not src.pod else src, pod))


def _client_ip(cluster, src: Source, pod: dict) -> str:
    """The address the pod sees: the client pod's own, else the node's (masqueraded)."""
    if src.pod is not None:
        return src.pod["status"].get("podIP", "")
    if pod["spec"].get("nodeName") == src.node:
        return cluster.meta["hosts"][src.node]["ip"]
    return tunnel_ip(src.node)


def _deliver(cluster, pod: dict, port: int, client: str) -> tuple[dict, int, str]:
    gone = pod["metadata"].get("deletionTimestamp") and not is_ready(pod)
    if pod["status"].get("phase") != "Running" or gone or not _docker_up(cluster, pod["spec"].get("nodeName")):
        raise Failure("timeout")
    if port != SERVED_PORT or serves(pod) == "none":
        raise Failure("refused")
    return pod, port, client


def serves(pod: dict) -> str:
    for c in pod["spec"]["containers"]:
        kind = images.serves(c["image"])
        if kind != "none":
            return kind
    return "none"


# -- what the images answer ----------------------------------------------------------------------------

def _web_image(pod: dict) -> str:
    for c in pod["spec"]["containers"]:
        if images.serves(c["image"]) != "none":
            return c["image"]
    return ""


def nginx_version(image: str) -> str:
    repo, tag = images.split(image)
    if repo != "nginx":
        return NGINX_VERSIONS["stable"]             # the course's images were built FROM nginx:stable
    if re.fullmatch(r"\d+\.\d+\.\d+", tag):
        return tag
    return NGINX_VERSIONS.get(tag, "1.19.6")


def respond(cluster, pod: dict, client: str, method: str, user_agent: str) -> Response:
    kind = serves(pod)
    name = pod["metadata"]["name"]
    seoul = kind == "hostname-log"                    # chk-log sets TZ=Asia/Seoul
    if kind == "nginx":
        body = NGINX_PAGE
    elif kind in ("hostname", "hostname-log"):
        body = name + "\n"
    elif kind == "ip":
        body = f"request_method : {method} | ip_dest: {pod['status'].get('podIP', '')}\n"
    else:
        body = HTTPD_PAGE
    if kind == "httpd":
        server = "Apache/2.4.46 (Unix)"
    else:
        server = f"nginx/{nginx_version(_web_image(pod))}"
    headers = [("Server", server), ("Date", time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(cluster.now))),
               ("Content-Type", "text/html" if kind in ("nginx", "httpd") else "text/plain"),
               ("Content-Length", str(len(body.encode())))]
    if kind == "nginx":
        headers += [("Last-Modified", NGINX_LAST_MODIFIED), ("Connection", "keep-alive"), ("ETag", NGINX_ETAG),
                    ("Accept-Ranges", "bytes")]
    else:
        headers.append(("Connection", "keep-alive"))
    sent = 0 if method == "HEAD" else len(body.encode())
    stamp = _log_time(cluster.now, seoul)
    if kind != "httpd":
        append_log(cluster, pod, f'{client} - - [{stamp}] "{method} / HTTP/1.1" 200 {sent} "-" "{user_agent}" "-"')
    if seoul:
        _audit(cluster, pod, f"{stamp}  {client}  {method}")
    return Response(200, headers, "" if method == "HEAD" else body)


def _log_time(at: float, seoul: bool) -> str:
    if seoul:
        return time.strftime("%d/%b/%Y:%H:%M:%S +0900", time.gmtime(at + 9 * 3600))
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(at))


def audit_share(cluster, pod: dict) -> dict | None:
    """The NFS export mounted at /audit (inline `nfs:` or a claim bound to an NFS volume), if any."""
    from engine.controllers.pvbinder import nfs_source
    mount = None
    for c in pod["spec"]["containers"]:
        for vm in c.get("volumeMounts") or ():
            if vm.get("mountPath") == "/audit":
                mount = vm.get("name")
    for vol in pod["spec"].get("volumes") or ():
        if mount and vol.get("name") == mount:
            return nfs_source(cluster, pod, vol)
    return None


def _audit(cluster, pod: dict, line: str) -> None:
    """chk-log writes /audit/audit_<hostname>.log; /audit is the pod's NFS volume when it has one."""
    share = audit_share(cluster, pod)
    if share:
        if share.get("server") in ("192.168.1.10", "m-k8s"):
            path = share.get("path", "").rstrip("/")
            nfs.append_line(cluster, f"{path}/audit_{pod['metadata']['name']}.log", line)
        return
    local = _per_pod(cluster, "podfiles", pod, {})       # no volume: the file dies with the pod
    lines = local.setdefault(f"/audit/audit_{pod['metadata']['name']}.log", [])
    lines.append(line)
    del lines[:-MAX_LOG_LINES]


def _per_pod(cluster, key: str, pod: dict, empty):
    """A pod's entry in cluster.meta[key], keeping at most MAX_LOGGED_PODS (gone pods go first)."""
    store = cluster.meta.setdefault(key, {})
    uid = pod["metadata"]["uid"]
    if uid not in store and len(store) >= MAX_LOGGED_PODS:
        live = {p["metadata"]["uid"] for p in cluster.iter("Pod")}
        for old in [u for u in store if u not in live]:
            del store[old]
        while len(store) >= MAX_LOGGED_PODS:
            del store[next(iter(store))]
    return store.setdefault(uid, empty)


def append_log(cluster, pod: dict, line: str) -> None:
    lines = _per_pod(cluster, "podlogs", pod, [])
    lines.append(line)
    del lines[:-MAX_LOG_LINES]


def access_log(cluster, pod: dict) -> list[str]:
    return list(cluster.meta.get("podlogs", {}).get(pod["metadata"]["uid"], ()))


# -- curl -------------------------------------------------------------------------------------------

OTHER_PROTOCOLS = {"ftp": 21, "ftps": 990, "telnet": 23, "scp": 22, "sftp": 22, "ldap": 389, "dict": 2628,
                   "gopher": 70, "imap": 143, "pop3": 110, "smtp": 25, "rtsp": 554}
_VALUE_FLAGS = {"-o", "--output", "-m", "--max-time", "--connect-timeout", "-X", "--request", "-H", "--header",
                "-A", "--user-agent", "-w", "--write-out", "-d", "--data", "-u", "--user", "-e", "--referer"}
_URL = re.compile(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[^\]]*\]|[^/:?#]*)"
                  r"(?::(?P<port>[^/?#]*))?(?P<rest>[/?#].*)?$")


def curl(cluster, src: Source, args: list[str], resolver=None) -> tuple[str, int]:
    """curl as typed in the lab. `resolver(name) -> ip | None` resolves non-IP hosts."""
    flags: set[str] = set()
    values: dict[str, str] = {}
    urls: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a in _VALUE_FLAGS:
            if i >= len(args):
                return (f"curl: option {a}: requires parameter\n"
                        "curl: try 'curl --help' or 'curl --manual' for more information"), 2
            values[a.lstrip("-")] = args[i]
            i += 1
        elif a.startswith("--"):
            flags.add(a)
        elif a.startswith("-") and len(a) > 1:
            flags.update("-" + ch for ch in a[1:])
        else:
            urls.append(a)
    v729 = src.curl_version == NODE_CURL
    if not urls:
        return "curl: try 'curl --help' or 'curl --manual' for more information", 2
    head = "-I" in flags or "--head" in flags
    method = "HEAD" if head else values.get("X") or values.get("request") or "GET"
    include = "-i" in flags or "--include" in flags or head
    agent = values.get("A") or values.get("user-agent") or f"curl/{src.curl_version}"
    outputs, rc = [], 0
    for url in urls:
        out, rc = _one(cluster, src, url, method, include, agent, resolver, v729,
                       "o" in values or "output" in values)
        if out:
            # bodies are printed as served; curl's own errors end their line (stderr)
            outputs.append(out + "\n" if out.startswith("curl: ") and not out.endswith("\n") else out)
    return "".join(outputs).rstrip("\n"), rc


def _one(cluster, src, url, method, include, agent, resolver, v729, discard) -> tuple[str, int]:
    m = _URL.match(url)
    if not m or not m.group("host"):
        return ("curl: (3) <url> malformed" if v729 else "curl: (3) URL using bad/illegal format or missing URL"), 3
    scheme = (m.group("scheme") or "http").lower()
    if scheme in OTHER_PROTOCOLS:                     # curl speaks them, the lab's servers do not
        port = int(m.group("port")) if (m.group("port") or "").isdigit() else OTHER_PROTOCOLS[scheme]
        ip = _address(m.group("host").strip("[]"), resolver)
        if ip is None:
            return _unresolved(m.group("host"), v729), 6
        try:
            route(cluster, src, ip, port)
        except Failure as f:
            return _failure(f.kind, m.group("host"), port, v729), 7
        return _failure("timeout", m.group("host"), port, v729), 7
    if scheme not in ("http", "https"):
        return (f"curl: (1) Protocol {scheme} not supported or disabled in libcurl" if v729 else
                f'curl: (1) Protocol "{scheme}" not supported or disabled in libcurl'), 1
    port_text = m.group("port")
    if port_text is not None and port_text != "":
        if not port_text.isdigit():
            return f"curl: (3) Port number ended with '{re.sub(r'^[0-9]*', '', port_text)[:1]}'", 3
        if not 0 < int(port_text) < 65536:
            return f"curl: (3) Port number too large: {int(port_text)}", 3
        port = int(port_text)
    else:
        port = 443 if scheme == "https" else 80
    host = m.group("host").strip("[]")
    ip = _address(host, resolver)
    if ip is None:
        return _unresolved(host, v729), 6
    try:
        pod, _, client = route(cluster, src, ip, port)
    except Failure as f:
        return _failure(f.kind, host, port, v729), 7
    if scheme == "https":
        # nginx on 80 speaks plain HTTP: the TLS handshake reads garbage
        return ("curl: (35) SSL received a record that exceeded the maximum permissible length." if v729 else
                "curl: (35) error:1408F10B:SSL routines:ssl3_get_record:wrong version number"), 35
    resp = respond(cluster, pod, client, method, agent)
    if discard:
        return "", 0
    text = ""
    if include:
        text = "HTTP/1.1 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in resp.headers) + "\r\n"
        text = text.replace("\r\n", "\n")
    return text + resp.body, 0


def _address(host: str, resolver) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return resolver(host) if resolver else None


def _unresolved(host: str, v729: bool) -> str:
    if v729:
        return f"curl: (6) Could not resolve host: {host}; Name or service not known"
    return f"curl: (6) Could not resolve host: {host}"


def _failure(kind: str, host: str, port: int, v729: bool) -> str:
    reason = {"refused": "Connection refused", "timeout": "Connection timed out",
              "unreachable": "No route to host"}[kind]
    if v729:
        return f"curl: (7) Failed connect to {host}:{port}; {reason}"
    return f"curl: (7) Failed to connect to {host} port {port}: {reason}"
