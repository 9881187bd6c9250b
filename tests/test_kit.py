"""The course kit as files on m-k8s: ls, cat, cd, pwd, `~`, globbing, the kit's scripts."""
from __future__ import annotations

import yaml

from engine.node import fs

NOW = 1795000000.0
KIT = "~/_Lecture_k8s_starter.kit"




def sh(sb, line: str, node: str = "m-k8s") -> tuple[str, int]:
    return sb.shell(line, node)


def docs(rel: str) -> list[dict]:
    text = fs.kit_files()[f"/root/_Lecture_k8s_starter.kit/{rel}"]
    return [d for d in yaml.safe_load_all(text) if d]


# -- the files carry the course's objects and values --------------------------------------------

def test_metallb_manifest_objects_in_order():
    kinds = [(d["kind"], d["metadata"]["name"]) for d in docs("ch2/2.4/metallb.yaml")]
    assert kinds == [
        ("Namespace", "metallb-system"), ("PodSecurityPolicy", "speaker"), ("ServiceAccount", "controller"),
        ("ServiceAccount", "speaker"), ("ClusterRole", "metallb-system:controller"),
        ("ClusterRole", "metallb-system:speaker"), ("Role", "config-watcher"),
        ("ClusterRoleBinding", "metallb-system:controller"), ("ClusterRoleBinding", "metallb-system:speaker"),
        ("RoleBinding", "config-watcher"), ("DaemonSet", "speaker"), ("Deployment", "controller"),
        ("ConfigMap", "config")]


def test_metallb_manifest_values():
    by_name = {(d["kind"], d["metadata"]["name"]): d for d in docs("ch2/2.4/metallb.yaml")}
    speaker = by_name[("DaemonSet", "speaker")]["spec"]["template"]["spec"]
    assert speaker["containers"][0]["image"] == "metallb/speaker:v0.8.2"
    assert speaker["hostNetwork"] is True
    assert {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"} in speaker["tolerations"]
    controller = by_name[("Deployment", "controller")]["spec"]
    assert controller["template"]["spec"]["containers"][0]["image"] == "metallb/controller:v0.8.2"
    assert controller["revisionHistoryLimit"] == 3
    assert controller["template"]["spec"]["securityContext"]["runAsUser"] == 65534
    config = yaml.safe_load(by_name[("ConfigMap", "config")]["data"]["config"])
    assert config["address-pools"][0]["protocol"] == "layer2"
    assert config["address-pools"][0]["addresses"] == ["192.168.1.11-192.168.1.19"]


def test_chapter_4_and_5_manifests():
    pod, = docs("ch4/4.1/del-pod.yaml")
    assert (pod["metadata"]["labels"], pod["spec"]["containers"]) == ({"run": "del-pod"}, [{"name": "del-pod", "image": "nginx"}])
    dep, = docs("ch4/4.1/del-deploy.yaml")
    assert dep["spec"]["replicas"] == 3 and dep["spec"]["selector"] == {"matchLabels": {"app": "del-deploy"}}
    assert dep["spec"]["template"]["spec"]["containers"] == [{"name": "nginx", "image": "nginx"}]
    log, = docs("ch5/5.2/dpy-chk-log.yaml")
    spec = log["spec"]["template"]["spec"]
    assert log["spec"]["replicas"] == 3
    assert spec["containers"][0]["image"] == "sysnet4admin/chk-log"
    assert spec["containers"][0]["volumeMounts"] == [{"name": "nfs-vol", "mountPath": "/audit"}]
    assert spec["volumes"] == [{"name": "nfs-vol", "nfs": {"server": "192.168.1.10", "path": "/nfs_shared/log"}}]
    nodename, = docs("ch8/014/nodename.yaml")
    assert nodename["spec"]["nodeName"] == "w3-k8s"


# -- ls / cat / cd / pwd ------------------------------------------------------------------------

async def test_ls_kit(sb):
    assert sh(sb, "ls") == ("_Lecture_k8s_starter.kit", 0)
    assert sh(sb, f"ls {KIT}") == ("ch2  ch4  ch5  ch6  ch8  README.md", 0)
    assert sh(sb, f"ls {KIT}/ch4/4.1") == ("del-deploy.yaml  del-pod.yaml", 0)
    assert sh(sb, "ls /root/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml") == (
        "/root/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml", 0)


async def test_ls_long_and_all(sb):
    out, rc = sh(sb, f"ls -l {KIT}/ch5/5.2")
    lines = out.splitlines()
    assert rc == 0 and lines[0] == "total 8"
    assert lines[1].startswith("-rw-r--r--. 1 root root ") and lines[1].endswith(" dpy-chk-log.yaml")
    assert lines[2].startswith("-rwxr-xr-x. 1 root root ") and lines[2].endswith(" nfs-exporter.sh")
    out, _ = sh(sb, "ls -a")
    assert out == (".   .bash_history  .bash_profile  .cshrc  _Lecture_k8s_starter.kit\n"
                   "..  .bash_logout   .bashrc        .kube   .tcshrc")


async def test_cd_pwd_and_relative_paths(sb):
    assert sh(sb, "pwd") == ("/root", 0)
    assert sh(sb, "cd _Lecture_k8s_starter.kit/ch4") == ("", 0)
    assert sh(sb, "pwd") == ("/root/_Lecture_k8s_starter.kit/ch4", 0)
    assert sh(sb, "ls") == ("4.1", 0)
    assert sh(sb, "cat 4.1/del-pod.yaml")[0].startswith("apiVersion: v1\nkind: Pod\n")
    assert sh(sb, "cd ..; pwd") == ("/root/_Lecture_k8s_starter.kit", 0)
    assert sh(sb, "cd /nope") == ("-bash: cd: /nope: No such file or directory", 1)
    assert sh(sb, "cd ch2/2.4/metallb.yaml") == ("-bash: cd: ch2/2.4/metallb.yaml: Not a directory", 1)
    assert sh(sb, "cd && pwd") == ("/root", 0)


async def test_cat_errors_and_system_files(sb):
    assert sh(sb, "cat /etc/shadow") == ("cat: /etc/shadow: No such file or directory", 1)
    assert sh(sb, "cat /root") == ("cat: /root: Is a directory", 1)
    assert sh(sb, "ls /nope") == ("ls: cannot access /nope: No such file or directory", 2)
    assert sh(sb, "cat /etc/resolv.conf") == ("nameserver 1.1.1.1 #cloudflare DNS\nnameserver 8.8.8.8 #Google DNS", 0)
    hosts, _ = sh(sb, "cat /etc/hosts")
    assert "192.168.1.10 m-k8s\n192.168.1.101 w1-k8s\n192.168.1.102 w2-k8s\n192.168.1.103 w3-k8s" in hosts
    assert sh(sb, "cat /etc/hostname", node="w2-k8s") == ("w2-k8s", 0)
    assert sh(sb, f"ls {KIT}", node="w1-k8s") == (
        "ls: cannot access /root/_Lecture_k8s_starter.kit: No such file or directory", 2)


async def test_globbing(sb):
    assert sh(sb, "ls -d ~/_Lecture_k8s_starter.kit/ch[24]") == (
        "/root/_Lecture_k8s_starter.kit/ch2  /root/_Lecture_k8s_starter.kit/ch4", 0)
    assert sh(sb, "ls -z") == ("ls: invalid option -- 'z'\nTry 'ls --help' for more information.", 2)
    assert sh(sb, "cd _Lecture_k8s_starter.kit; ls ch4/*") == ("del-deploy.yaml  del-pod.yaml", 0)
    assert sh(sb, "cd; cat nothing*") == ("cat: nothing*: No such file or directory", 1)
    out, rc = sh(sb, f"ls {KIT}/ch8/*/*.yaml")
    assert (out, rc) == ("/root/_Lecture_k8s_starter.kit/ch8/003/sysnet4admin.yaml\n"
                         "/root/_Lecture_k8s_starter.kit/ch8/005/polaris-lb.yaml\n"
                         "/root/_Lecture_k8s_starter.kit/ch8/014/nodename.yaml", 0)


async def test_nfs_exporter(sb):
    script = f"{KIT}/ch5/5.2/nfs-exporter.sh"
    assert sh(sb, script) == ("usage: nfs-exporter.sh <name>", 0)
    assert sh(sb, "cat /etc/exports") == ("", 0)
    assert sh(sb, f"{script} log") == (
        "Created symlink from /etc/systemd/system/multi-user.target.wants/nfs-server.service to "
        "/usr/lib/systemd/system/nfs-server.service.", 0)
    assert sh(sb, f"{script} log") == ("", 0)
    assert sh(sb, "cat /etc/exports") == ("/nfs_shared/log 192.168.1.0/24(rw,sync,no_root_squash)", 0)
    assert sh(sb, "ls /nfs_shared") == ("log", 0)
    assert sh(sb, "cd _Lecture_k8s_starter.kit/ch5/5.2 && ./nfs-exporter.sh other") == ("", 0)
    assert sh(sb, "nfs-exporter.sh x") == ("-bash: nfs-exporter.sh: command not found", 127)
    assert sh(sb, "./nfs-exporter.sh x")[1] == 0                  # cwd is still ch5/5.2
    assert sh(sb, "cd; ./nfs-exporter.sh x") == ("-bash: ./nfs-exporter.sh: No such file or directory", 127)


async def test_k8s_rc(sb):
    assert sh(sb, f"bash {KIT}/ch6/6.1/k8s_rc.sh") == ("k8s_rc install successfully", 0)
    assert sh(sb, f"{KIT}/ch6/6.1/k8s_rc.sh") == ("k8s_rc already installed", 0)
