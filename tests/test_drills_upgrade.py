"""The upgrade lab (course 6.2, control-plane.md §9): apply refused while kubeadm is older than the
target; kubeadm first, then apply; nodes keep showing their kubelet's version until that node's
kubelet package is upgraded and the kubelet restarted (with systemd's daemon-reload warning)."""
from __future__ import annotations



NOW = 1795000000.0
TOO_NEW = ('\t- Specified version to upgrade to "v1.20.4" is higher than the kubeadm version "v1.20.2". Upgrade '
           "kubeadm first using the tool you used to install kubeadm")
CHANGED_ON_DISK = "Warning: kubelet.service changed on disk. Run 'systemctl daemon-reload' to reload units."




def sh(sb, line: str) -> str:
    out, rc = sb.shell(line)
    assert rc == 0, out
    return out


def versions(sb) -> dict[str, str]:
    out, _ = sb.kubectl("get nodes --no-headers")
    return {row.split()[0]: row.split()[-1] for row in out.splitlines()}


async def test_apply_before_kubeadm_is_refused(sb):
    out, rc = sb.shell("kubeadm upgrade apply 1.20.4")
    assert rc == 1
    assert out.splitlines()[-6:] == [
        "[upgrade/version] FATAL: the --version argument is invalid due to these errors:", "", TOO_NEW, "",
        "Can be bypassed if you pass the --force flag", "To see the stack trace of this error execute with --v=5 or higher"]
    assert sb.kubectl("version --short") == ("Client Version: v1.20.2\nServer Version: v1.20.2", 0)


async def test_the_course_order(sb):
    assert sh(sb, "kubeadm version").startswith('kubeadm version: &version.Info{Major:"1", Minor:"20", '
                                                'GitVersion:"v1.20.2", GitCommit:"faecb196815e248d3ecfb03c680a4507229c2a56"')
    plan = sh(sb, "kubeadm upgrade plan")
    assert "kubelet     4 x v1.20.2   v1.20.15" in plan
    assert "Note: Before you can perform this upgrade, you have to update kubeadm to v1.20.15." in plan
    assert sh(sb, "yum upgrade -y kubeadm-1.20.4").endswith("Updated:\n  kubeadm.x86_64 0:1.20.4-0\n\nComplete!")
    assert 'GitVersion:"v1.20.4"' in sh(sb, "kubeadm version")
    out = sh(sb, "kubeadm upgrade apply 1.20.4")
    assert out.splitlines()[-3] == '[upgrade/successful] SUCCESS! Your cluster was upgraded to "v1.20.4". Enjoy!'
    assert "[upgrade/confirm] Are you sure you want to proceed with the upgrade? [y/N]: y" in out
    assert sb.kubectl("version --short") == ("Client Version: v1.20.2\nServer Version: v1.20.4", 0)
    assert set(versions(sb).values()) == {"v1.20.2"}                # VERSION is the kubelet's
    scheduler = sb.cluster.get("Pod", "kube-system", "kube-scheduler-m-k8s")
    assert scheduler["spec"]["containers"][0]["image"] == "k8s.gcr.io/kube-scheduler:v1.20.4"
    proxies = [p for p in sb.cluster.list("Pod", "kube-system") if p["metadata"]["name"].startswith("kube-proxy")
               and not p["metadata"].get("deletionTimestamp")]
    assert {p["spec"]["containers"][0]["image"] for p in proxies} == {"k8s.gcr.io/kube-proxy:v1.20.4"}
    sh(sb, "yum upgrade kubelet-1.20.4 -y")
    assert versions(sb)["m-k8s"] == "v1.20.2"                       # yum does not restart the kubelet
    assert sb.shell("systemctl restart kubelet") == (CHANGED_ON_DISK, 0)
    assert sb.shell("systemctl daemon-reload") == ("", 0)
    assert sb.shell("systemctl restart kubelet") == ("", 0)
    sb.wait(10)
    assert versions(sb) == {"m-k8s": "v1.20.4", "w1-k8s": "v1.20.2", "w2-k8s": "v1.20.2", "w3-k8s": "v1.20.2"}
    sh(sb, "yum upgrade -y kubectl-1.20.4")
    assert sb.kubectl("version --short") == ("Client Version: v1.20.4\nServer Version: v1.20.4", 0)


async def test_worker_upgrade(sb):
    assert sb.shell("ssh w1-k8s kubeadm upgrade apply 1.20.4")[1] == 1
    out = sh(sb, "ssh w1-k8s kubeadm upgrade node")
    assert "[preflight] Skipping prepull. Not a control plane node." in out
    assert out.endswith("[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.")
    sh(sb, "ssh w1-k8s yum upgrade -y kubelet-1.20.4")
    sh(sb, "ssh w1-k8s systemctl daemon-reload && systemctl restart kubelet")   # the 2nd part runs on m-k8s
    sb.wait(10)
    assert versions(sb)["w1-k8s"] == "v1.20.2" and versions(sb)["m-k8s"] == "v1.20.2"
    sh(sb, "ssh w1-k8s 'systemctl daemon-reload; systemctl restart kubelet'")
    sb.wait(10)
    assert versions(sb)["w1-k8s"] == "v1.20.4"


async def test_bad_versions(sb):
    out, rc = sb.shell("yum upgrade -y kubeadm-1.20.3")
    assert rc == 1 and out.splitlines()[-2:] == ["No package kubeadm-1.20.3 available.", "No packages marked for update"]
    sh(sb, "yum upgrade -y kubeadm-1.22.0")
    out, rc = sb.shell("kubeadm upgrade apply 1.22.0 -y")
    assert rc == 1
    assert ('\t- Specified version to upgrade to "v1.22.0" is too high; kubeadm can upgrade only 1 minor version at '
            "a time") in out
    assert "Can be bypassed" not in out
    assert sb.kubectl("version --short")[0].endswith("Server Version: v1.20.2")
    out, rc = sb.shell("kubeadm upgrade apply 1.2x")
    assert rc == 1 and out.startswith('[upgrade/version] FATAL: unable to parse "1.2x" as a version')


async def test_yum_list(sb):
    out = sh(sb, "yum list kubeadm --showduplicates")
    lines = out.splitlines()
    assert lines[5:7] == ["Installed Packages",
                          "kubeadm.x86_64                       1.20.2-0                        @kubernetes"]
    assert "kubeadm.x86_64                       1.20.4-0                        kubernetes" in lines
    assert not any("1.20.3-0" in line for line in lines)
    assert sh(sb, "yum install bash-completion -y").endswith(
        "Package 1:bash-completion-2.1-8.el7.noarch already installed and latest version\nNothing to do")


async def test_a_release_that_does_not_exist(sb):
    sh(sb, "yum upgrade -y kubeadm-1.20.15")
    out, rc = sb.shell("kubeadm upgrade apply v1.20.3 -y")
    assert rc == 1
    assert ("\t[ERROR ImagePull]: failed to pull image k8s.gcr.io/kube-apiserver:v1.20.3: output: Error response from "
            "daemon: manifest for k8s.gcr.io/kube-apiserver:v1.20.3 not found: manifest unknown: manifest unknown") in out
    assert sb.kubectl("version --short")[0].endswith("Server Version: v1.20.2")     # nothing half-changed
