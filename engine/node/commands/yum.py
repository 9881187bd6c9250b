"""`yum` on the lab's CentOS 7 nodes, for the Kubernetes packages of the upgrade lab (6.2):
`yum list PKG [--showduplicates]`, `yum upgrade|update|install [-y] PKG[-VERSION]`.

Chat has no terminal to answer yum's `Is this ok [y/d/N]:`, so a missing -y is taken as "y"
(the prompt is shown with the answer). Upgrading the kubelet package does not restart the
kubelet; systemd then warns that kubelet.service changed on disk until `daemon-reload`.
"""
from __future__ import annotations

from engine import upgrade
from engine.node.command import Call, Result, fail, ok

CONTROL_PLANE = "m-k8s"

HEADER = ("Loaded plugins: fastestmirror\nLoading mirror speeds from cached hostfile\n"
          " * base: mirror.kakao.com\n * extras: mirror.kakao.com\n * updates: mirror.kakao.com")
RULE = "=" * 80
ALREADY_THERE = {"bash-completion": "1:bash-completion-2.1-8.el7.noarch"}   # course 6.1's install


def _row(name: str, version: str, repo: str) -> str:
    return f"{name + '.x86_64':<37}{version + '-0':<32}{repo}"


def _list(cluster, node: str, names: list[str], duplicates: bool) -> tuple[str, int]:
    wanted = [n for n in names if n in upgrade.PACKAGES]
    if not wanted:
        return f"{HEADER}\nError: No matching Packages to list", 1
    installed = upgrade.packages(cluster, node)
    lines = [HEADER, "Installed Packages"]
    lines += [_row(n, installed[n], "@kubernetes") for n in sorted(wanted)]
    available = []
    for n in sorted(wanted):
        versions = upgrade.REPO_VERSIONS if duplicates else [upgrade.REPO_VERSIONS[-1]]
        available += [_row(n, v, "kubernetes") for v in versions
                      if duplicates or upgrade.key(v) > upgrade.key(installed[n])]
    if available:
        lines += ["Available Packages"] + available
    return "\n".join(lines), 0


def _target(spec: str) -> tuple[str, str | None] | None:
    """`kubeadm-1.20.4` -> ("kubeadm", "1.20.4"); `kubelet` -> ("kubelet", None); unknown -> None."""
    for name in upgrade.PACKAGES:
        if spec == name:
            return name, None
        if spec.startswith(name + "-"):
            version = spec[len(name) + 1:]
            version = version[:-2] if version.endswith("-0") else version
            return name, version
    return None


def _transaction(cluster, node: str, changes: list[tuple[str, str, str]], assume_yes: bool) -> list[str]:
    """yum's resolve / download / run report for (package, old, new) upgrades."""
    lines = ["Resolving Dependencies", "--> Running transaction check"]
    for name, old, new in changes:
        lines += [f"---> Package {name}.x86_64 0:{old}-0 will be updated",
                  f"---> Package {name}.x86_64 0:{new}-0 will be an update"]
    lines += ["--> Finished Dependency Resolution", "", "Dependencies Resolved", "", RULE,
              f" {'Package':<17}{'Arch':<16}{'Version':<21}{'Repository':<20}Size", RULE, "Updating:"]
    total = 0.0
    for name, _old, new in changes:
        size = upgrade.PACKAGE_MB[name]
        total += size
        lines.append(f" {name:<17}{'x86_64':<16}{new + '-0':<21}{'kubernetes':<19}{size:>4.1f} M")
    count = len(changes)
    lines += ["", "Transaction Summary", RULE, f"Upgrade  {count} Package{'s' if count > 1 else ''}", "",
              f"Total download size: {total:.1f} M"]
    if not assume_yes:
        lines.append("Is this ok [y/d/N]: y")
    lines += ["Downloading packages:", "Delta RPMs disabled because /usr/bin/applydeltarpm not installed."]
    for name, _old, new in changes:
        rpm = f"{name}-{new}-0.x86_64.rpm"
        lines.append(f"{upgrade.rpm_digest(rpm)}-{rpm:<20} | {upgrade.PACKAGE_MB[name]:.1f} MB  00:00:02")
    lines += ["Running transaction check", "Running transaction test", "Transaction test succeeded",
              "Running transaction"]
    steps = 2 * count
    for i, (name, _old, new) in enumerate(changes, 1):
        lines.append(f"  {'Updating   : ' + name + '-' + new + '-0.x86_64':<70}{i}/{steps}")
    for i, (name, old, _new) in enumerate(changes, count + 1):
        lines.append(f"  {'Cleanup    : ' + name + '-' + old + '-0.x86_64':<70}{i}/{steps}")
    for i, (name, _old, new) in enumerate(changes, 1):
        lines.append(f"  {'Verifying  : ' + name + '-' + new + '-0.x86_64':<70}{i}/{steps}")
    for i, (name, old, _new) in enumerate(changes, count + 1):
        lines.append(f"  {'Verifying  : ' + name + '-' + old + '-0.x86_64':<70}{i}/{steps}")
    lines += ["", "Updated:"] + [f"  {name}.x86_64 0:{new}-0" for name, _old, new in changes] + ["", "Complete!"]
    return lines


def _upgrade(cluster, node: str, specs: list[str], assume_yes: bool) -> tuple[str, int]:
    installed = upgrade.packages(cluster, node)
    lines, changes, missing = [HEADER], [], []
    for spec in specs:
        target = _target(spec)
        if spec in ALREADY_THERE:
            lines.append(f"Package {ALREADY_THERE[spec]} already installed and latest version")
            continue
        if target is None:
            missing.append(spec)
            continue
        name, version = target
        version = version or upgrade.REPO_VERSIONS[-1]
        if version not in upgrade.REPO_VERSIONS:
            missing.append(spec)
            continue
        if upgrade.key(version) <= upgrade.key(installed[name]):
            lines.append(f"Package {name}-{installed[name]}-0.x86_64 already installed and latest version"
                         if version == installed[name] else
                         f"Package matching {name}-{version}-0.x86_64 already installed. Checking for update.")
            continue
        changes.append((name, installed[name], version))
    for spec in missing:
        lines.append(f"No package {spec} available.")
    if not changes:
        lines.append("Nothing to do" if not missing and any(s in ALREADY_THERE for s in specs)
                     else "No packages marked for update")
        return "\n".join(lines), 0 if not missing else 1
    lines += _transaction(cluster, node, changes, assume_yes)
    for name, _old, new in changes:
        installed[name] = new
        if name == "kubelet":
            changed = cluster.host(node).setdefault("units_changed_on_disk", [])
            if "kubelet" not in changed:
                changed.append("kubelet")
        if name == "kubectl" and node == CONTROL_PLANE:
            cluster.meta["kubectl_version"] = "v" + new
    return "\n".join(lines), 0


def yum(call: Call) -> Result:
    out, rc = _yum(call.cluster, call.node, call.args)
    return ok(out) if rc == 0 else fail(out, rc)


def _yum(cluster, node: str, args: list[str]) -> tuple[str, int]:
    flags = [a for a in args if a.startswith("-")]
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return ("Loaded plugins: fastestmirror\nYou need to give some command\n"
                "usage: yum [options] COMMAND\n\nList of Commands:\n\n"
                "install        Install a package or packages on your system\n"
                "list           List a package or groups of packages\n"
                "update         Update a package or packages on your system\n"
                "upgrade        Update packages taking obsoletes into account"), 1
    verb, names = words[0], words[1:]
    if verb == "list":
        return _list(cluster, node, names, "--showduplicates" in flags)
    if verb in ("upgrade", "update", "install"):
        if not names:
            return f"{HEADER}\nNo packages marked for update", 0
        return _upgrade(cluster, node, names, "-y" in flags or "--assumeyes" in flags)
    return f"Loaded plugins: fastestmirror\nNo such command: {verb}. Please use /usr/bin/yum --help", 1

