"""The one entry the bot uses: a student's sandbox, loaded, caught up to now, changed, saved.

    async with manager.open(server, user) as sb:
        text = sb.kubectl("get pods")

Loading creates the lab cluster on first use. Each `open` is one unit of work: on success the
changed objects are written in one transaction; on an exception nothing is written and the
cached copy is dropped, so a failed command never leaves a half-applied sandbox. A cached copy
is used only while the stored (id, version) is still the one this process last read or wrote.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import time
from collections import OrderedDict
from typing import AsyncIterator, Callable

from engine import bootstrap, reconcile, wiring
from engine.cluster import Cluster
from engine.kubectl import execute, split_line
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError
from engine.node import parser, shell
from engine.store import Store

MAX_WAIT = 24 * 3600.0
# Sandboxes kept decoded in memory (~0.4 MB each): a class of 1,000 students stays warm.
CACHE_SIZE = int(os.environ.get("KUBETUTOR_CACHE_SIZE", "1024"))


class CorruptSandbox(Exception):
    """The stored state of this sandbox cannot be read."""


CONNECTION_REFUSED = ("The connection to the server 192.168.1.10:6443 was refused - "
                      "did you specify the right host or port?")


class Sandbox:
    def __init__(self, cluster: Cluster, engine: wiring.Engine):
        self.cluster = cluster
        self.engine = engine
        # Tutor notes a command left for the reply (message key, params), e.g. the shell's
        # `vi`, a loop stopped at its bound or a watch's end; the bot words them in the student's language.
        self.notes: list[tuple[str, dict]] = []

    @property
    def meta(self) -> dict:
        return self.cluster.meta

    def kubectl(self, line: str, stdin: str | None = None) -> tuple[str, int]:
        """Run `kubectl <line>` as root on m-k8s; returns (output, exit code). A line with shell
        operators (`| grep nginx`, `; kubectl get svc`, `> pods.txt`) runs through m-k8s's shell."""
        if parser.has_operators(line):
            return self.shell("kubectl " + line, "m-k8s", stdin)
        try:
            argv = split_line(line)
        except KubectlError as err:
            return err.text, err.rc
        return self.kubectl_argv(argv, stdin, line)

    def kubectl_argv(self, argv: list[str], stdin: str | None = None, line: str | None = None) -> tuple[str, int]:
        """kubectl with its arguments already split (by the chat line or by the node shell)."""
        if not self.cluster.meta.get("api_up", True):       # docker stopped on m-k8s: no API server
            return CONNECTION_REFUSED, 1
        command_line = "kubectl " + (line if line is not None else shlex.join(argv))
        ctx = Ctx(self.cluster, stdin=stdin, command_line=command_line, advance=self.advance)
        out, rc = execute(ctx, argv, self.engine.verbs)
        self.notes.extend(ctx.notes)
        if ctx.wait:
            self.advance(ctx.wait)
        return out, rc

    def pending_edit(self) -> dict | None:
        """The object a `kubectl edit` is waiting on (chat is its editor), if any."""
        return self.cluster.meta.get("pending_edit")

    def finish_edit(self, text: str | None) -> tuple[str, int]:
        """The student's answer to `kubectl edit`: the edited YAML, or None to cancel."""
        from engine.kubectl import edit
        ctx = Ctx(self.cluster, command_line="kubectl edit")
        if text is None:
            self.cluster.meta.pop("pending_edit", None)
            return edit.CANCELLED, 0
        try:
            return edit.apply_pending(ctx, text), 0
        except KubectlError as err:
            return err.text, err.rc

    def shell(self, line: str, node: str = "m-k8s", stdin: str | None = None) -> tuple[str, int]:
        return shell.run(self, node, line, stdin)

    def advance(self, seconds: float) -> None:
        self.cluster.meta["offset"] += seconds
        reconcile.advance(self.cluster, self.cluster.clock_now(), self.engine.timers)

    def wait(self, seconds: float) -> None:
        if seconds < 0 or seconds > MAX_WAIT:
            raise ValueError(seconds)
        self.advance(seconds)


class SandboxManager:
    def __init__(self, store: Store, wall: Callable[[], float] = time.time, cache_size: int = CACHE_SIZE,
                 engine: wiring.Engine | None = None):
        self.store = store
        self.engine = engine or wiring.build()
        self.wall = wall
        self._cache: OrderedDict[tuple[str, str], tuple[int, Cluster]] = OrderedDict()
        self._cache_size = cache_size

    @contextlib.asynccontextmanager
    async def open(self, server: str, user: str) -> AsyncIterator[Sandbox]:
        key = (server, user)
        sandbox_id, cluster = await self._load(server, user)
        try:
            reconcile.advance(cluster, cluster.clock_now(), self.engine.timers)
            yield Sandbox(cluster, self.engine)
            # The controllers react to the command now, not at whatever moment this sandbox is next
            # loaded: a cold load starts its clock at the load time, so unsettled work saved here
            # would happen late (a Deployment created, the process restarted an hour later: its pod
            # would be 0s old and Pending instead of 60m old and Running).
            reconcile.settle(cluster)
            cluster.sync_meta()
            if cluster.changed:
                cluster.meta["now"] = cluster.now      # where a cold load resumes (see Cluster.__init__)
            meta_text = json.dumps(cluster.meta, sort_keys=True, separators=(",", ":"))
            if cluster.changed or meta_text != cluster.cache.get("saved_meta"):
                await self.store.save_sandbox(sandbox_id, cluster.meta, cluster.changed, self.wall())
            # else: a read (`get`, `describe`) changed nothing, so there is nothing to write
            cluster.cache["saved_meta"] = meta_text
            cluster.changed = {}
            self._cache[key] = (sandbox_id, cluster)
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        except BaseException:
            self._cache.pop(key, None)
            raise

    async def _load(self, server: str, user: str) -> tuple[int, Cluster]:
        key = (server, user)
        if key in self._cache:
            sandbox_id, cluster = self._cache.pop(key)
            # Another process (a worker, a shard) may have written it since: one indexed read says.
            if await self.store.sandbox_version(server, user) == (sandbox_id, self.store.known_version(sandbox_id)):
                return sandbox_id, cluster
        try:
            row = await self.store.load_sandbox(server, user)
            if row is None:
                return await self._create(server, user)
            cluster = Cluster(row.meta, row.objects, self.wall)
            bootstrap.migrate(cluster)
        except (ValueError, KeyError, TypeError) as exc:   # a row we cannot read: tell this student only
            raise CorruptSandbox(str(exc)) from exc
        return row.id, cluster

    async def _create(self, server: str, user: str) -> tuple[int, Cluster]:
        generation = await self._generation(server, user)
        seed = int.from_bytes(hashlib.sha256(f"{server}/{user}/{generation}".encode()).digest()[:8], "big")
        meta = bootstrap.new_meta(seed, self.wall())
        meta["generation"] = generation
        cluster = Cluster(meta, {}, self.wall)
        bootstrap.build(cluster)
        cluster.sync_meta()
        objects = {Cluster.key_of(o): o for kind in cluster.by_kind.values() for o in kind.values()}
        sandbox_id = await self.store.create_sandbox(server, user, cluster.meta, objects, self.wall())
        cluster.changed = {}
        return sandbox_id, cluster

    async def _generation(self, server: str, user: str) -> int:
        row = await self.store.fetchone("SELECT COUNT(*) FROM sandbox_resets WHERE server = ? AND user_id = ?",
                                        (server, user))
        return row[0] if row else 0

    async def reset(self, server: str, user: str) -> None:
        self._cache.pop((server, user), None)
        await self.store.delete_sandbox(server, user)
        await self.store.execute("INSERT INTO sandbox_resets(server, user_id, at) VALUES (?, ?, ?)",
                                 (server, user, self.wall()))

    async def exists(self, server: str, user: str) -> bool:
        return await self.store.sandbox_version(server, user) is not None

