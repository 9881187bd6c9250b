"""The node shell: bash's answers, ssh between the lab's nodes, systemctl's output shapes."""
from __future__ import annotations


from engine.node import parser, services

NOW = 1795000000.0
REFUSED_8080 = "The connection to the server localhost:8080 was refused - did you specify the right host or port?"




def test_split_commands_respects_quotes():
    assert parser.split_commands("a; b && c || d") == [("", "a"), (";", "b"), ("&&", "c"), ("||", "d")]
    assert parser.split_commands("echo 'a;b' \"c&&d\"") == [("", "echo 'a;b' \"c&&d\"")]
    assert parser.split_commands("echo 'open") is None


async def test_unknown_command_and_hostname(sb):
    assert sb.shell("foo --bar") == ("-bash: foo: command not found", 127)
    assert sb.shell("hostname") == ("m-k8s", 0)
    assert sb.shell("hostname; hostname") == ("m-k8s\nm-k8s", 0)
    assert sb.shell("foo && hostname") == ("-bash: foo: command not found", 127)
    assert sb.shell("foo || hostname") == ("-bash: foo: command not found\nm-k8s", 0)
    assert sb.shell("; hostname") == ("-bash: syntax error near unexpected token `;'", 2)
    assert sb.shell("hostname;") == ("m-k8s", 0)


async def test_ssh_runs_on_the_other_node(sb):
    assert sb.shell("ssh w1-k8s hostname") == ("w1-k8s", 0)
    assert sb.shell("ssh root@192.168.1.103 hostname") == ("w3-k8s", 0)
    assert sb.shell("ssh w2-k8s 'hostname; hostname'") == ("w2-k8s\nw2-k8s", 0)
    assert sb.shell("ssh w1-k8s ssh w2-k8s hostname") == ("w2-k8s", 0)


async def test_ssh_unknown_hosts(sb):
    assert sb.shell("ssh foo hostname") == ("ssh: Could not resolve hostname foo: Name or service not known", 255)
    assert sb.shell("ssh 192.168.1.50 hostname") == (
        "ssh: connect to host 192.168.1.50 port 22: No route to host", 255)
    assert sb.shell("ssh w1-k8s") == ("", 1)
    assert sb.notes == [("shell_ssh_interactive", {"node": "w1-k8s"})]


async def test_kubectl_only_on_the_control_plane(sb):
    assert sb.shell("ssh w1-k8s kubectl get nodes") == (REFUSED_8080, 1)
    assert sb.shell("ssh w1-k8s k get nodes") == (REFUSED_8080, 1)
    out, rc = sb.shell("k get nodes")
    assert rc == 0 and out.splitlines()[1].startswith("m-k8s    Ready")


async def test_stop_is_silent_and_idempotent(sb):
    assert sb.shell("ssh w1-k8s systemctl stop kubelet") == ("", 0)
    assert sb.shell("ssh w1-k8s systemctl stop kubelet") == ("", 0)
    assert sb.cluster.host("w1-k8s")["kubelet"] is False
    assert sb.shell("ssh w1-k8s systemctl is-active kubelet") == ("inactive", 3)
    assert sb.shell("ssh w1-k8s systemctl is-active kubelet.service docker") == ("inactive\nactive", 3)
    assert sb.shell("ssh w1-k8s systemctl start kubelet") == ("", 0)
    assert sb.shell("ssh w1-k8s systemctl start kubelet") == ("", 0)
    assert sb.shell("ssh w1-k8s systemctl is-active kubelet") == ("active", 0)


async def test_docker_stop_warns_about_its_socket(sb):
    assert sb.shell("ssh w2-k8s systemctl stop docker") == (services.DOCKER_SOCKET_WARNING, 0)
    assert sb.shell("ssh w2-k8s systemctl stop docker") == ("", 0)
    assert sb.cluster.host("w2-k8s")["docker"] is False


async def test_status_shapes(sb):
    out, rc = sb.shell("systemctl status kubelet")
    lines = out.splitlines()
    assert rc == 0
    assert lines[:4] == [
        "● kubelet.service - kubelet: The Kubernetes Node Agent",
        "   Loaded: loaded (/usr/lib/systemd/system/kubelet.service; enabled; vendor preset: disabled)",
        "  Drop-In: /usr/lib/systemd/system/kubelet.service.d",
        "           └─10-kubeadm.conf"]
    # the lab was built 17h25m before the first command (engine/bootstrap.py)
    assert lines[4] == "   Active: active (running) since Tue 2026-11-17 17:41:40 UTC; 17h ago"
    assert lines[5] == "     Docs: https://kubernetes.io/docs/"
    assert lines[6].startswith(" Main PID: ") and lines[6].endswith(" (kubelet)")
    sb.wait(60)
    sb.shell("systemctl stop kubelet")
    sb.wait(75)
    out, rc = sb.shell("systemctl status kubelet.service")
    lines = out.splitlines()
    assert rc == 3
    assert lines[4] == "   Active: inactive (dead) since Wed 2026-11-18 11:07:40 UTC; 1min 15s ago"
    assert lines[6].startswith("  Process: ") and lines[6].endswith(" (code=exited, status=0/SUCCESS)")
    assert lines[-2:] == ["Nov 18 11:07:40 m-k8s systemd[1]: Stopping kubelet: The Kubernetes Node Agent...",
                          "Nov 18 11:07:40 m-k8s systemd[1]: Stopped kubelet: The Kubernetes Node Agent."]


async def test_docker_status_has_no_drop_in(sb):
    out, rc = sb.shell("ssh w3-k8s systemctl status docker")
    assert rc == 0
    assert out.splitlines()[:3] == [
        "● docker.service - Docker Application Container Engine",
        "   Loaded: loaded (/usr/lib/systemd/system/docker.service; enabled; vendor preset: disabled)",
        "   Active: active (running) since Tue 2026-11-17 17:41:27 UTC; 17h ago"]


async def test_unknown_units_and_operations(sb):
    assert sb.shell("systemctl stop foo") == ("Failed to stop foo.service: Unit foo.service not loaded.", 5)
    assert sb.shell("systemctl start foo") == ("Failed to start foo.service: Unit not found.", 5)
    assert sb.shell("systemctl status foo") == ("Unit foo.service could not be found.", 4)
    assert sb.shell("systemctl is-active foo") == ("unknown", 3)
    assert sb.shell("systemctl frobnicate kubelet") == ("Unknown operation 'frobnicate'.", 1)
    assert sb.shell("systemctl stop") == ("Too few arguments.", 1)
    assert sb.shell("systemctl daemon-reload") == ("", 0)


def test_systemd_relative_times():
    rel = services.relative
    assert [rel(0), rel(4), rel(75), rel(5 * 60 + 3), rel(3600 + 120), rel(17 * 3600 + 5), rel(26 * 3600),
            rel(3 * 86400)] == ["now", "4s ago", "1min 15s ago", "5min ago", "1h 2min ago", "17h ago",
                                "1 day 2h ago", "3 days ago"]
