"""`kubeadm` for the upgrade lab (6.2, control-plane.md §9): version, upgrade plan, upgrade apply,
upgrade node. The output follows kubeadm 1.20's shapes; `apply` without -y shows its confirmation
prompt answered "y" (chat has no terminal to answer it).
"""
from __future__ import annotations

from datetime import datetime, timezone

from engine import upgrade
from engine.node.command import Call, Result, fail, ok

CONTROL_PLANE = "m-k8s"
from engine.kubectl.info import VERSIONS

KUBEADM_BUILT = {"v1.20.2": "2021-01-13T13:25:59Z", "v1.20.4": "2021-02-18T16:09:38Z"}
NO_ADMIN_CONF = ('couldn\'t create a Kubernetes client from file "/etc/kubernetes/admin.conf": failed to load admin '
                 'kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory\n'
                 "To see the stack trace of this error execute with --v=5 or higher")
STACK_HINT = "To see the stack trace of this error execute with --v=5 or higher"
CONFIG_LINES = ["[upgrade/config] Making sure the configuration is correct:",
                "[upgrade/config] Reading configuration from the cluster...",
                "[upgrade/config] FYI: You can look at this config file with "
                "'kubectl -n kube-system get cm kubeadm-config -o yaml'"]
COMPONENT_CONFIGS = """\
_____________________________________________________________________


The table below shows the current state of component configs as understood by this version of kubeadm.
Configs that have a "yes" mark in the "MANUAL UPGRADE REQUIRED" column require manual config upgrade or
resetting to kubeadm defaults before a successful upgrade can be performed. The version to manually
upgrade to is denoted in the "PREFERRED VERSION" column.

API GROUP                 CURRENT VERSION   PREFERRED VERSION   MANUAL UPGRADE REQUIRED
kubeproxy.config.k8s.io   v1alpha1          v1alpha1            no
kubelet.config.k8s.io     v1beta1           v1beta1             no
_____________________________________________________________________
"""
CERTS = {"kube-apiserver": ["apiserver", "apiserver-kubelet-client", "front-proxy-client", "apiserver-etcd-client"],
         "kube-controller-manager": ["controller-manager.conf"], "kube-scheduler": ["scheduler.conf"]}
APPLY_SECONDS = 75.0          # prepull + three components restarted one after another


def kubeadm_version(cluster, node: str) -> str:
    return "v" + upgrade.packages(cluster, node)["kubeadm"]


def _version_info(version: str) -> str:
    commit, _date, go = VERSIONS.get(version, VERSIONS["v1.20.2"])
    built = KUBEADM_BUILT.get(version, _date)
    major, minor = version.lstrip("v").split(".")[:2]
    return (f'&version.Info{{Major:"{major}", Minor:"{minor}", GitVersion:"{version}", GitCommit:"{commit}", '
            f'GitTreeState:"clean", BuildDate:"{built}", GoVersion:"{go}", Compiler:"gc", Platform:"linux/amd64"}}')


def _klog(cluster, message: str) -> str:
    """A klog info line stamped with the sandbox clock (kubeadm's version lookup logs one)."""
    now = datetime.fromtimestamp(cluster.now, tz=timezone.utc)
    return f"I{now:%m%d %H:%M:%S}.{now.microsecond:06d}   {25317 + int(cluster.now) % 4000} {message}"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["   ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]


def plan(cluster, node: str) -> tuple[str, int]:
    cluster_version = upgrade.control_plane_version(cluster)
    mine = kubeadm_version(cluster, node)
    target = "v" + upgrade.latest_in_series(cluster_version)
    lines = CONFIG_LINES + ["[preflight] Running pre-flight checks.", "[upgrade] Running cluster health checks",
                            "[upgrade] Fetching available versions to upgrade to",
                            f"[upgrade/versions] Cluster version: {cluster_version}",
                            f"[upgrade/versions] kubeadm version: {mine}",
                            _klog(cluster, f"version.go:254] remote version is much newer: {upgrade.LATEST}; "
                                           f"falling back to: stable-1.{upgrade.minor(cluster_version)}"),
                            f"[upgrade/versions] Latest stable version: {target}",
                            f"[upgrade/versions] Latest stable version: {target}",
                            f"[upgrade/versions] Latest version in the v1.{upgrade.minor(cluster_version)} series: {target}",
                            f"[upgrade/versions] Latest version in the v1.{upgrade.minor(cluster_version)} series: {target}"]
    if upgrade.key(target) <= upgrade.key(cluster_version):
        lines += ["", "Awesome, you're up-to-date! Enjoy!"]
        return "\n".join(lines), 0
    kubelets: dict[str, int] = {}
    for name in cluster.meta["hosts"]:
        node_obj = cluster.get("Node", "", name)
        version = node_obj["status"]["nodeInfo"]["kubeletVersion"] if node_obj else "v" + upgrade.INSTALLED
        kubelets[version] = kubelets.get(version, 0) + 1
    rows = [["COMPONENT", "CURRENT", "AVAILABLE"]]
    for i, (version, count) in enumerate(sorted(kubelets.items())):
        rows.append(["kubelet" if i == 0 else "", f"{count} x {version}", target])
    lines += ["", "Components that must be upgraded manually after you have upgraded the control plane with "
                  "'kubeadm upgrade apply':"] + _table(rows)
    rows = [["COMPONENT", "CURRENT", "AVAILABLE"]] + [
        [c, cluster_version, target] for c in ("kube-apiserver", "kube-controller-manager", "kube-scheduler",
                                               "kube-proxy")] + [
        ["CoreDNS", upgrade.COREDNS, upgrade.COREDNS], ["etcd", upgrade.ETCD, upgrade.ETCD]]
    lines += ["", f"Upgrade to the latest version in the v1.{upgrade.minor(cluster_version)} series:", ""]
    lines += _table(rows)
    lines += ["", "You can now apply the upgrade by executing the following command:", "",
              f"\tkubeadm upgrade apply {target}", ""]
    if upgrade.key(mine) < upgrade.key(target):
        lines += [f"Note: Before you can perform this upgrade, you have to update kubeadm to {target}.", ""]
    return "\n".join(lines) + "\n" + COMPONENT_CONFIGS, 0


def _version_errors(cluster_version: str, mine: str, target: str) -> list[str]:
    """(skippable?) errors kubeadm's EnforceVersionPolicies reports for this upgrade."""
    errors = []
    if upgrade.key(target) < upgrade.key(cluster_version) and upgrade.minor(target) < upgrade.minor(cluster_version):
        errors.append(f'Specified version to upgrade to "{target}" is an unsupported version and can\'t be used '
                      f"for downgrading the cluster")
    if upgrade.minor(target) - upgrade.minor(cluster_version) > 1:
        errors.append(f'Specified version to upgrade to "{target}" is too high; kubeadm can upgrade only 1 minor '
                      f"version at a time")
    if upgrade.minor(target) > upgrade.minor(mine):
        errors.append(f'Specified version to upgrade to "{target}" is at least one minor release higher than the '
                      f"kubeadm minor release ({upgrade.minor(target)} > {upgrade.minor(mine)}). Such an upgrade is "
                      f"not supported")
    return errors


def apply(sandbox, node: str, args: list[str]) -> tuple[str, int]:
    cluster = sandbox.cluster
    words = [a for a in args if not a.startswith("-")]
    assume_yes = any(a in ("-y", "--yes") for a in args)
    force = "--force" in args
    if not words:
        return ("[upgrade/config] Making sure the configuration is correct:\n"
                "[upgrade/version] FATAL: missing version argument\n" + STACK_HINT), 1
    version = upgrade.parse_version(words[0])
    if version is None:
        return (f'[upgrade/version] FATAL: unable to parse "{words[0]}" as a version\n' + STACK_HINT), 1
    target = "v" + version
    cluster_version = upgrade.control_plane_version(cluster)
    mine = kubeadm_version(cluster, node)
    lines = CONFIG_LINES + ["[preflight] Running pre-flight checks.", "[upgrade] Running cluster health checks",
                            f'[upgrade/version] You have chosen to change the cluster version to "{target}"',
                            f"[upgrade/versions] Cluster version: {cluster_version}",
                            f"[upgrade/versions] kubeadm version: {mine}"]
    hard = _version_errors(cluster_version, mine, target)
    soft = []
    if upgrade.key(target) > upgrade.key(mine) and not hard:
        soft.append(f'Specified version to upgrade to "{target}" is higher than the kubeadm version "{mine}". Upgrade '
                    "kubeadm first using the tool you used to install kubeadm")
    if upgrade.minor(mine) > upgrade.minor(target):
        soft.append(f'Kubeadm version "{mine}" can only be used to upgrade to Kubernetes version '
                    f'"v1.{upgrade.minor(mine)}"')
    if force:
        soft = []
    if hard or soft:
        lines.append("[upgrade/version] FATAL: the --version argument is invalid due to these errors:")
        lines += [""] + [f"\t- {e}" for e in hard + soft] + [""]
        if not hard:
            lines.append("Can be bypassed if you pass the --force flag")
        lines.append(STACK_HINT)
        return "\n".join(lines), 1
    if not assume_yes:
        lines.append("[upgrade/confirm] Are you sure you want to proceed with the upgrade? [y/N]: y")
    stamp = datetime.fromtimestamp(cluster.now, tz=timezone.utc).strftime("%Y-%m-%d-%H-%M-%S")
    lines += ["[upgrade/prepull] Pulling images required for setting up a Kubernetes cluster",
              "[upgrade/prepull] This might take a minute or two, depending on the speed of your internet connection",
              "[upgrade/prepull] You can also perform this action in beforehand using 'kubeadm config images pull'",
              f'[upgrade/apply] Upgrading your Static Pod-hosted control plane to version "{target}"...']
    if version not in upgrade.REPO_VERSIONS:           # no such release: its images cannot be pulled
        lines.append("[preflight] Some fatal errors occurred:")
        for component in upgrade.UPGRADED_COMPONENTS + ("kube-proxy",):
            image = upgrade.static_image(component, target)
            lines += [f"\t[ERROR ImagePull]: failed to pull image {image}: output: Error response from daemon: "
                      f"manifest for {image} not found: manifest unknown: manifest unknown", ", error: exit status 1"]
        lines += ["[preflight] If you know what you are doing, you can make a check non-fatal with "
                  "`--ignore-preflight-errors=...`", STACK_HINT]
        return "\n".join(lines), 1
    hashes = upgrade.apply(cluster, target)
    for component in upgrade.UPGRADED_COMPONENTS:
        lines.append(f"Static pod: {component}-m-k8s hash: {hashes[component][0]}")
    lines += ["[upgrade/etcd] Upgrading to TLS for etcd",
              "[upgrade/staticpods] Preparing for \"etcd\" upgrade",
              "[upgrade/staticpods] Current and new manifests of etcd are equal, skipping upgrade",
              "[upgrade/etcd] Waiting for etcd to become available",
              f'[upgrade/staticpods] Writing new Static Pod manifests to "/etc/kubernetes/tmp/'
              f'kubeadm-upgraded-manifests{int(cluster.now) % 1000000000:09d}"']
    for component in upgrade.UPGRADED_COMPONENTS:
        old, new = hashes[component]
        lines.append(f'[upgrade/staticpods] Preparing for "{component}" upgrade')
        lines += [f"[upgrade/staticpods] Renewing {cert} certificate" for cert in CERTS[component]]
        lines += [f'[upgrade/staticpods] Moved new manifest to "/etc/kubernetes/manifests/{component}.yaml" and '
                  f'backed up old manifest to "/etc/kubernetes/tmp/kubeadm-backup-manifests-{stamp}/{component}.yaml"',
                  "[upgrade/staticpods] Waiting for the kubelet to restart the component",
                  "[upgrade/staticpods] This might take a minute or longer depending on the component/version gap "
                  "(timeout 5m0s)",
                  f"Static pod: {component}-m-k8s hash: {old}", f"Static pod: {component}-m-k8s hash: {new}",
                  f"[apiclient] Found 1 Pods for label selector component={component}",
                  f'[upgrade/staticpods] Component "{component}" upgraded successfully!']
    lines += ["[upgrade/postupgrade] Applying label node-role.kubernetes.io/control-plane='' to Nodes with label "
              "node-role.kubernetes.io/master='' (deprecated)",
              '[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" '
              "Namespace",
              f'[kubelet] Creating a ConfigMap "kubelet-config-1.{upgrade.minor(target)}" in namespace kube-system '
              "with the configuration for the kubelets in the cluster",
              '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"',
              "[bootstrap-token] configured RBAC rules to allow Node Bootstrap tokens to get nodes",
              "[bootstrap-token] configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes "
              "to get long term certificate credentials",
              "[bootstrap-token] configured RBAC rules to allow the csrapprover controller automatically approve CSRs "
              "from a Node Bootstrap Token",
              "[bootstrap-token] configured RBAC rules to allow certificate rotation for all node client certificates "
              "in the cluster",
              "[addons] Applied essential addon: CoreDNS",
              "[addons] Applied essential addon: kube-proxy", "",
              f'[upgrade/successful] SUCCESS! Your cluster was upgraded to "{target}". Enjoy!', "",
              "[upgrade/kubelet] Now that your control plane is upgraded, please proceed with upgrading your kubelets "
              "if you haven't already done so."]
    sandbox.advance(APPLY_SECONDS)
    return "\n".join(lines), 0


def upgrade_node(cluster, node: str) -> tuple[str, int]:
    lines = ["[upgrade] Reading configuration from the cluster...",
             "[upgrade] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config "
             "-o yaml'"]
    if node == CONTROL_PLANE:
        lines += ["[upgrade/staticpods] Writing new Static Pod manifests to \"/etc/kubernetes/tmp/"
                  "kubeadm-upgraded-manifests\"",
                  "[upgrade/staticpods] Current and new manifests of kube-apiserver are equal, skipping upgrade",
                  "[upgrade/staticpods] Current and new manifests of kube-controller-manager are equal, skipping "
                  "upgrade",
                  "[upgrade/staticpods] Current and new manifests of kube-scheduler are equal, skipping upgrade",
                  "[upgrade] The control plane instance for this node was successfully updated!"]
    else:
        lines += ["[preflight] Running pre-flight checks", "[preflight] Skipping prepull. Not a control plane node.",
                  "[upgrade] Skipping phase. Not a control plane node."]
    lines += ['[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"',
              "[upgrade] The configuration for this node was successfully updated!",
              "[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager."]
    return "\n".join(lines), 0


def kubeadm(call: Call) -> Result:
    out, rc = _kubeadm(call.sandbox, call.node, call.args)
    return ok(out) if rc == 0 else fail(out, rc)


def _kubeadm(sandbox, node: str, args: list[str]) -> tuple[str, int]:
    cluster = sandbox.cluster
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return ("\n    ┌──────────────────────────────────────────────────────────┐\n"
                "    │ KUBEADM                                                  │\n"
                "    │ Easily bootstrap a secure Kubernetes cluster             │\n"
                "    └──────────────────────────────────────────────────────────┘\n\n"
                "Usage:\n  kubeadm [command]\n\nAvailable Commands:\n"
                "  upgrade     Upgrade your cluster smoothly to a newer version with this command\n"
                "  version     Print the version of kubeadm"), 0
    if words[0] == "version":
        version = kubeadm_version(cluster, node)
        if "-o" in args or any(a.startswith("--output") for a in args):
            return version, 0
        return f"kubeadm version: {_version_info(version)}", 0
    if words[0] != "upgrade":
        return (f'unknown command "{words[0]}" for "kubeadm"\nRun \'kubeadm --help\' for usage.'), 1
    sub = words[1] if len(words) > 1 else ""
    if sub in ("plan", "apply") and node != CONTROL_PLANE:
        return NO_ADMIN_CONF, 1
    if sub in ("plan", "apply", "node") and not cluster.meta.get("api_up", True):
        return ("[upgrade/config] FATAL: failed to get config map: Get "
                '"https://192.168.1.10:6443/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s": '
                "dial tcp 192.168.1.10:6443: connect: connection refused\n" + STACK_HINT), 1
    if sub == "plan":
        return plan(cluster, node)
    if sub == "apply":
        return apply(sandbox, node, args[args.index("apply") + 1:])
    if sub == "node":
        return upgrade_node(cluster, node)
    return ("Upgrade your cluster smoothly to a newer version with this command\n\nUsage:\n  kubeadm upgrade [flags]\n"
            "  kubeadm upgrade [command]\n\nAvailable Commands:\n"
            "  apply       Upgrade your Kubernetes cluster to the specified version\n"
            "  node        Upgrade commands for a node in the cluster\n"
            "  plan        Check which versions are available to upgrade to and validate whether your current cluster "
            "is upgradeable."), 0 if not sub else 1

