"""`kubectl config …` in the sandbox prints what real kubectl 1.20.2 prints on the lab's kubeconfig.

tests/fixtures/real-kubectl-config-session.txt was captured from Debian's kubernetes-client
(1.20.5+really1.20.2) on a copy of kubeadm's admin.conf for the lab (cluster `kubernetes` at
https://192.168.1.10:6443, user `kubernetes-admin`), with HOME=/root. To capture it again:

    python tests/test_kubectl_config.py /path/to/kubectl-1.20.2
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "real-kubectl-config-session.txt"
SESSION = [
    "config view", "config current-context", "config get-contexts", "config get-clusters", "config get-users",
    "config view -o json", "config view --minify", "config get-contexts nope", "config use-context nope",
    "config set-context --current --namespace=dev", "config get-contexts", "config view",
    "config set-context dev-ctx --cluster=kubernetes --user=kubernetes-admin --namespace=kube-system",
    "config get-contexts", "config use-context dev-ctx", "config view --minify",
    "config view -o jsonpath={.current-context}", "config rename-context dev-ctx d2", "config get-contexts -o name",
    "config get-contexts --no-headers", "config delete-context d2", "config get-contexts", "config view --minify",
    "config set-context --current --namespace=", "config view -o json", "config set-context",
    "config set-context --current x", "config view -o wide", "config foo", "config use-context", "config",
    "config use-context kubernetes-admin@kubernetes", "config delete-context d2", "config delete-context d2",
    "config current-context",
]
ADMIN_CONF = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {ca}
    server: https://192.168.1.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {{}}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: {ca}
    client-key-data: {ca}
"""


def blocks(text: str) -> list[tuple[str, str, int]]:
    """`$ kubectl ARGS` / output / `[rc=N]` blocks -> (args, output, rc)."""
    out = []
    for block in text.split("\n$ kubectl ")[1:] if text.startswith("\n") else ("\n" + text).split("\n$ kubectl ")[1:]:
        head, _, rest = block.partition("\n")
        body, _, rc = rest.rpartition("[rc=")
        out.append((head, body.rstrip("\n"), int(rc.split("]")[0])))
    return out


async def test_config_session_matches_real_kubectl(sb):
    expected = blocks(FIXTURE.read_text(encoding="utf-8"))
    assert [args for args, _, _ in expected] == SESSION
    for args, want, want_rc in expected:
        got, rc = sb.kubectl(args)
        assert (args, got.rstrip("\n"), rc) == (args, want, want_rc)


async def test_namespace_of_the_context_is_used_and_n_overrides(sb):
    sb.kubectl("create namespace dev")
    assert sb.kubectl("config set-context --current --namespace=dev")[1] == 0
    assert sb.kubectl("run web --image=nginx") == ("pod/web created", 0)
    assert sb.cluster.get("Pod", "dev", "web") is not None
    assert sb.kubectl("get pods -n default") == ("No resources found in default namespace.", 0)
    assert sb.kubectl("get pods -o name") == ("pod/web", 0)
    sb.kubectl("config set-context --current --namespace=")
    assert sb.kubectl("get pods") == ("No resources found in default namespace.", 0)


async def test_a_context_without_the_lab_cluster_has_no_server(sb):
    sb.kubectl("config set-context ghost")
    sb.kubectl("config use-context ghost")
    refused = "The connection to the server localhost:8080 was refused - did you specify the right host or port?"
    assert sb.kubectl("get pods") == (refused, 1)
    assert sb.kubectl("config current-context") == ("ghost", 0)
    sb.kubectl("config use-context kubernetes-admin@kubernetes")
    assert sb.kubectl("get ns default -o name") == ("namespace/default", 0)


async def test_global_context_cluster_and_user_flags(sb):
    sb.kubectl("config set-context sys --cluster=kubernetes --user=kubernetes-admin --namespace=kube-system")
    assert sb.kubectl("get ds --context=sys -o name") == ("daemonset.apps/calico-node\ndaemonset.apps/kube-proxy", 0)
    assert sb.kubectl("--context sys get deploy coredns -o name") == ("deployment.apps/coredns", 0)
    assert sb.kubectl("get pods --context=nope") == (
        "Error in configuration: context was not found for specified context: nope", 1)
    assert sb.kubectl("get pods --cluster=nope") == ('error: no server found for cluster "nope"', 1)
    assert sb.kubectl("get pods --user=nope") == ('error: auth info "nope" does not exist', 1)
    sb.kubectl("config set-context ghost")
    sb.kubectl("config use-context ghost")
    assert sb.kubectl("get ns default -o name --cluster=kubernetes") == ("namespace/default", 0)


async def test_the_file_on_m_k8s_is_the_kubeconfig(sb):
    sb.kubectl("config set-context --current --namespace=kube-system")
    text, rc = sb.shell("cat /root/.kube/config")
    assert rc == 0 and "    namespace: kube-system\n" in text and "server: https://192.168.1.10:6443" in text
    assert "REDACTED" not in text and text.count("-data: LS0tLS1CRUdJTi") == 3


async def test_contexts_are_bounded(sb):
    from engine.kubectl.config_cmd import MAX_CONTEXTS
    for i in range(MAX_CONTEXTS - 1):
        assert sb.kubectl(f"config set-context c{i}")[1] == 0
    out, rc = sb.kubectl("config set-context one-too-many")
    assert rc == 1 and out.startswith("error: this sandbox's kubeconfig holds at most")
    assert sb.kubectl("config set-context c0 --namespace=dev") == ('Context "c0" modified.', 0)


def capture(kubectl: str) -> str:
    with tempfile.TemporaryDirectory() as home:
        os.makedirs(f"{home}/.kube")
        key = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", "/dev/stdout",
                              "-subj", "/CN=x", "-days", "1"], capture_output=True, check=True).stdout
        import base64
        Path(f"{home}/.kube/config").write_text(ADMIN_CONF.format(ca=base64.b64encode(key).decode()))
        env = {"HOME": home, "PATH": os.environ.get("PATH", "")}
        parts = []
        for args in SESSION:
            run = subprocess.run([kubectl, *args.split(" ")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True, env=env)
            text = run.stdout.replace(home, "/root").rstrip("\n")
            parts.append(f"$ kubectl {args}\n{text}\n[rc={run.returncode}]\n" if text else
                         f"$ kubectl {args}\n[rc={run.returncode}]\n")
        return "\n".join(parts)


if __name__ == "__main__":
    FIXTURE.write_text(capture(sys.argv[1]), encoding="utf-8")
    print(f"wrote {FIXTURE}")


async def test_help_of_the_new_verbs_is_kubectls_own(sb):
    out, rc = sb.kubectl("config use -h")
    assert rc == 0 and out.startswith("Sets the current-context in a kubeconfig file\n\nAliases:\nuse-context, use\n")
    out, rc = sb.kubectl("wait --for=delete pod/x -h")
    assert rc == 0 and out.startswith("Experimental: Wait for a specific condition on one or many resources.")
    assert sb.kubectl("top nodes --help")[0].startswith("Display Resource (CPU/Memory/Storage) usage of nodes.")
