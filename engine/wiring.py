"""Everything the engine can do, wired in one visible step.

Nothing in the engine registers itself when it is imported. `build()` lists every kubectl verb
and every timer event by name; the sandbox manager calls it once and hands the tables down
(verbs to `engine.kubectl.execute`, timers to `engine.reconcile.advance`). The storage schema
is `engine.store.SCHEMA` (the bot adds its features' tables in `bot/wiring.py`); the
controllers run in the fixed order of `engine.reconcile.CONTROLLERS`; the node shell keeps
its own command table.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Mapping

from engine import namespaces
from engine.controllers import container_exit, cronjob, deployment, job, kubelet, metallb, nodelifecycle
from engine.kubectl import (apply, auth, config_cmd, create, delete, describe, edit, exec as exec_cmd, explain,
                            expose, get, info, labels, logs, nodes, rollout, run_cmd, scale, setimage, top, wait)
from engine.kubectl.context import Ctx

Verb = Callable[[Ctx, list[str]], str]
TimerEvent = Callable[..., None]          # (cluster, *timer.key)


@dataclass(frozen=True)
class Engine:
    verbs: Mapping[str, Verb]
    timers: Mapping[str, TimerEvent]


def build() -> Engine:
    verbs: dict[str, Verb] = {
        # reading
        "get": get.run, "describe": describe.run, "explain": explain.run, "logs": logs.run,
        "version": info.version, "cluster-info": info.cluster_info, "api-resources": info.api_resources,
        "completion": info.completion, "api-versions": auth.api_versions, "auth": auth.run, "top": top.run,
        "wait": wait.run,
        # imperative writes
        "run": run_cmd.run, "create": create.run, "expose": expose.run, "scale": scale.run, "delete": delete.run,
        "exec": exec_cmd.run,
        # declarative writes
        "apply": apply.run_apply, "replace": apply.run_replace, "edit": edit.run, "patch": edit.run_patch,
        "label": labels.run_label, "annotate": labels.run_annotate, "set": setimage.run, "rollout": rollout.run,
        # nodes
        "cordon": nodes.cordon, "uncordon": nodes.uncordon, "drain": nodes.drain,
        # the client's own settings (root's kubeconfig)
        "config": config_cmd.run,
    }
    timers: dict[str, TimerEvent] = {
        "kubelet.sync": kubelet.sync,
        "kubelet.started": kubelet.started,
        "kubelet.kill": kubelet.kill,
        "kubelet.control_plane_up": kubelet.control_plane_up,
        "kubelet.pull_failed": kubelet.pull_failed,
        "kubelet.pull_backoff": kubelet.pull_backoff,
        "kubelet.pull_retry": kubelet.pull_retry,
        container_exit.EXITED: container_exit.exited,
        container_exit.RESTART: container_exit.restart,
        container_exit.RERUN: container_exit.rerun,
        nodelifecycle.WAKE: nodelifecycle.wake,
        "metallb.announce": metallb.announce_timer,
        deployment.DEADLINE: deployment.progress_deadline,
        "namespace.finalize": namespaces.finalize,
        job.SYNC: job.timer,
        cronjob.DUE: cronjob.due,
    }
    return Engine(MappingProxyType(verbs), MappingProxyType(timers))

