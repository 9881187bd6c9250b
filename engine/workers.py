"""Engine worker processes: every command that opens a sandbox runs in one, within a budget.

The chat front-end (Discord gateway, console) keeps the router and its event loop; engine work is
a *job* — a module-level function `fn(sandbox, *args)` and its arguments — that `WorkerPool.run`
sends to the worker owning the sandbox: the one that ran its last job, else a stable hash of
(server, user), so each worker's cache of decoded sandboxes stays warm. One worker runs one job at
a time; the router's per-sandbox lock keeps a student's commands in order. A job moves to an idle
worker when its home worker has been on one job for STEAL_AFTER (a slow command: it must not hold
up another student's `get nodes`) or when it has itself waited QUEUE_PATIENCE (an uneven queue);
the sandbox then stays with its new worker. That is safe because a worker uses a cached sandbox
only while its stored version is unchanged (engine/sandbox.py), whichever process wrote it last.

Budget per job: wall time, reply size, and the address space of the worker (RLIMIT_AS). The worker
checks time and size itself after the job and before committing, so an overrun normally ends with
nothing written and the worker alive; a job still running KILL_GRACE after its deadline is killed
(SIGKILL) and its worker replaced. Either way nothing was written: a sandbox commits only at the
very end of `SandboxManager.open`, and a killed transaction is rolled back by the database.

Workers are forked (start method `fork`) from the front-end after its imports — at its start
(`open_app(start_workers=True)`) or at the first job — and a killed one is re-forked at its next
job: a worker costs a few milliseconds instead of the ~0.4 s a fresh interpreter needs under
`spawn`/`forkserver` (which re-import the engine). That matters twice: a console's start, and a
killed worker replaced well inside the 250 ms a student may wait beyond the budget. A child
touches nothing it inherits (the parent's store connection and its thread, the event loop): it
opens its own store and runs its own loop, takes its wall clock from each job (the front-end's
reading), and leaves when the parent closes the pipe or dies. Forks happen only while the
front-end's SQLite connection is idle (see _quiet_store).

`workers=0` runs jobs in the calling process with the same time (checked at the end) and size
budgets but no kill: for tests that reach into the engine, and for `:memory:` databases.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import multiprocessing
import os
import pickle
import resource
import select
import signal
import struct
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

from engine.budget import REPLY_BYTES, OverBudget
from engine.sandbox import CACHE_SIZE, Sandbox, SandboxManager

log = logging.getLogger(__name__)

STEAL_AFTER = 0.01          # seconds the home worker's current job may run before an idle worker steps in
QUEUE_PATIENCE = 0.1        # seconds a job waits in an uneven queue before an idle worker takes it
KILL_GRACE = 0.1            # seconds past the deadline before a job that does not stop is killed
AFFINITY_KEYS = 100_000     # sandboxes whose last worker is remembered (oldest forgotten first)
MEMORY_MB = int(os.environ.get("KUBETUTOR_WORKER_MEMORY_MB", "1024"))   # address space a job may add
_EXIT_MEMORY = 3


@dataclass(frozen=True)
class Budget:
    seconds: float = 2.0
    reply_bytes: int = REPLY_BYTES


COMMAND = Budget()
WAIT = Budget(seconds=5.0)


class Overrun(Exception):
    """The job was stopped: `reason` is "time", "memory", "output", "depth" or "crash"; nothing was written."""

    def __init__(self, reason: str, budget: Budget):
        super().__init__(reason)
        self.reason = reason
        self.budget = budget


def default_workers() -> int:
    env = os.environ.get("KUBETUTOR_WORKERS")
    if env is not None and env.strip().isdigit():
        return int(env)
    # At least two, so one student's stopped command never leaves the others without a worker.
    return max(2, os.cpu_count() or 1)


def home_of(key: tuple[str, str], n: int) -> int:
    """The worker owning a sandbox: stable across processes and restarts (not Python's hash())."""
    digest = hashlib.blake2b(f"{key[0]}\0{key[1]}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % n


# -- one job, in whichever process runs it ---------------------------------------------------------

async def execute(manager: SandboxManager, job: tuple) -> bytes:
    """Run one job; the pickled outcome: ("ok", value), ("raise", exception) or ("overrun", reason)."""
    kind, server, user, fn, args, budget = job
    deadline = time.monotonic() + budget.seconds
    try:
        if kind == "manager":
            value = await fn(manager, server, user, *args)
            return _pickled(("ok", value), budget)
        async with manager.open(server, user) as sb:
            payload = _pickled(("ok", (fn(sb, *args), sb.notes)), budget)
            if time.monotonic() > deadline:
                raise OverBudget("time")
        return payload                                   # the sandbox was saved after the checks
    except OverBudget as stop:
        return pickle.dumps(("overrun", stop.reason))
    except MemoryError:
        return pickle.dumps(("overrun", "memory"))
    except RecursionError:               # input nested deeper than the engine's stack: a budget too
        return pickle.dumps(("overrun", "depth"))
    except Exception as exc:             # the caller's error handling decides (StoreBusy, CorruptSandbox, …)
        try:
            return pickle.dumps(("raise", exc))
        except Exception:
            return pickle.dumps(("raise", RuntimeError(repr(exc))))


def _pickled(outcome: tuple, budget: Budget) -> bytes:
    data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) > budget.reply_bytes + 4096:            # the reply's text plus a little framing
        raise OverBudget("output")
    return data


# -- the child -------------------------------------------------------------------------------------

def _child(jobs: int, replies: int, inherited: list[int], db, wall, cache_size: int, memory_mb: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # Ctrl-C is the front-end's to handle
    for fd in inherited:                                # siblings' pipes: theirs to close, not ours
        with contextlib.suppress(OSError):
            os.close(fd)
    if memory_mb > 0:
        size = _address_space()
        limit = size + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    parent = os.getppid()
    loop = asyncio.new_event_loop()
    from engine.storage import open_store
    store = loop.run_until_complete(open_store(db, migrate=False, migrations=(), inline=True))   # the front-end migrated
    clock = _Wall(wall())
    manager = SandboxManager(store, clock, cache_size)
    try:
        while True:
            if not select.select([jobs], [], [], 1.0)[0]:
                if os.getppid() != parent:              # the front-end died without closing the pipe
                    break
                continue
            try:
                clock.now, job = pickle.loads(_read_frame(jobs))
            except EOFError:
                break
            reply = loop.run_until_complete(execute(manager, job))
            _write_frame(replies, reply)
            if reply == _MEMORY_REPLY:
                os._exit(_EXIT_MEMORY)                   # a fresh worker, not a fragmented heap
    finally:
        with contextlib.suppress(Exception):
            loop.run_until_complete(store.close())


class _Wall:
    """A worker's wall clock: the front-end's reading, sent with each job. One clock for the
    whole bot, and a test's fake clock moves the workers' sandboxes as it moves the front-end."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


_MEMORY_REPLY = pickle.dumps(("overrun", "memory"))
# How a worker's end reads: alive (it sent a reply longer than the parent reads), out of memory
# (its own exit, or the kernel's OOM killer), anything else a crash.
_DEATHS = {None: "output", _EXIT_MEMORY: "memory", -signal.SIGKILL: "memory"}


# Frames on the pipes: an 8-byte length, then the pickled job or reply. The front-end reads a reply
# as it arrives (never blocking its event loop on a child that is still writing) and refuses a
# reply longer than the budget before reading it.
_HEADER = struct.Struct("!Q")


def _write_frame(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_frame(fd: int) -> bytes:
    def exactly(n: int) -> bytes:
        chunks = bytearray()
        while len(chunks) < n:
            chunk = os.read(fd, n - len(chunks))
            if not chunk:
                raise EOFError
            chunks += chunk
        return bytes(chunks)
    return exactly(_HEADER.unpack(exactly(_HEADER.size))[0])


class _Inbox:
    """One reply, assembled from what the pipe has whenever it is readable."""

    def __init__(self, limit: int):
        self.limit = limit
        self.data = bytearray()

    def feed(self, chunk: bytes) -> bytes | None:
        if not chunk:
            raise EOFError
        self.data += chunk
        if len(self.data) < _HEADER.size:
            return None
        size = _HEADER.unpack_from(self.data)[0]
        if size > self.limit:
            raise OSError(f"reply of {size} bytes")
        if len(self.data) < _HEADER.size + size:
            return None
        return bytes(self.data[_HEADER.size:_HEADER.size + size])


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * resource.getpagesize()


# -- the front-end's side --------------------------------------------------------------------------

class _Worker:
    def __init__(self, index: int):
        self.index = index
        self.process = None
        self.jobs: int | None = None                     # our ends of its two pipes
        self.replies: int | None = None
        self.busy = False
        self.busy_since = 0.0

    def alive(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def stop(self, kill: bool) -> None:
        """Kill (an overrun: reaped later, the event loop does not wait for a big process to go)
        or close the pipe and let the worker finish (shutdown)."""
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            os.close(self.jobs)                          # EOF: the worker leaves its loop
            self.jobs = None
            self.process.join(1.0)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        for fd in (self.jobs, self.replies):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.process = self.jobs = self.replies = None

    def fds(self) -> list[int]:
        return [fd for fd in (self.jobs, self.replies) if fd is not None]


class WorkerPool:
    """The one way the bot reaches a sandbox (router.services["sandboxes"])."""

    def __init__(self, store, wall: Callable[[], float], db=None, *, workers: int | None = None,
                 memory_mb: int = MEMORY_MB, cache_size: int = CACHE_SIZE):
        self.local = SandboxManager(store, wall, cache_size)   # workers=0, and tests/admin tools
        self.db = db
        self.wall = wall
        self.size = default_workers() if workers is None else workers
        if db is None or str(db) == ":memory:":
            self.size = 0                               # nothing a child could open
        self.memory_mb = memory_mb
        self.cache_size = max(64, cache_size // max(1, self.size))
        self._workers = [_Worker(i) for i in range(self.size)]
        self._waiting: list[tuple[_Worker, asyncio.Future, float]] = []
        self._context = multiprocessing.get_context("fork") if self.size else None
        self.replaced = 0                                # workers killed and replaced (bench, tests)
        self._dying: list = []                           # killed processes not yet reaped
        self._affinity: dict[tuple[str, str], int] = {}  # sandbox -> the worker that ran its last job
        self._started = False

    # -- jobs ------------------------------------------------------------------------------------

    async def run(self, server: str, user: str, fn: Callable[..., Any], *args, budget: Budget = COMMAND,
                  notes: list | None = None) -> Any:
        """fn(sandbox, *args) on the sandbox of (server, user); its return value must pickle.
        `notes` receives the tutor notes the command left (Sandbox.notes)."""
        value, left = await self._submit(("sandbox", server, user, fn, args, budget))
        if notes is not None:
            notes.extend(left)
        return value

    async def call(self, server: str, user: str, fn, *args, budget: Budget = COMMAND) -> Any:
        """await fn(manager, server, user, *args) in the sandbox's worker (reset, existence checks)."""
        return await self._submit(("manager", server, user, fn, args, budget))

    @property
    def store(self):
        """The front-end's own connection (for the bot's tables; sandboxes are the workers')."""
        return self.local.store

    async def reset(self, server: str, user: str) -> None:
        await self.call(server, user, _reset)

    async def exists(self, server: str, user: str) -> bool:
        return await self.call(server, user, _exists)

    @contextlib.asynccontextmanager
    async def open(self, server: str, user: str) -> AsyncIterator[Sandbox]:
        """The sandbox in this process (tests, admin tools): coherent with the workers' copies."""
        async with self.local.open(server, user) as sb:
            yield sb

    async def _submit(self, job: tuple) -> Any:
        kind, server, user, fn, args, budget = job
        if not self.size:
            outcome = pickle.loads(await execute(self.local, job))
        else:
            if not self._started:
                async with self._quiet_store():
                    self.start()
            worker = await self._acquire((server, user))
            try:
                outcome = await self._exchange(worker, job)
            finally:
                worker.busy = False
                self._dispatch()
        status, value = outcome
        if status == "ok":
            return value
        if status == "raise":
            raise value
        log.warning("command stopped (%s over budget): sandbox=%s/%s job=%s args=%.200r",
                    value, server, user, getattr(fn, "__name__", fn), args)
        raise Overrun(value, budget)

    def start(self) -> None:
        """Fork every worker (at the first job at the latest): all at once, so the first steal
        finds one ready. A front-end calls it right after opening, so the children open their
        stores while it finishes its own start."""
        if self.size and not self._started:
            self._started = True
            for idle in self._workers:
                self._start(idle)

    async def _exchange(self, worker: _Worker, job: tuple) -> tuple:
        budget = job[-1]
        if not worker.alive():
            worker.stop(kill=True)                       # replaced, died since its last job, or new
            async with self._quiet_store():
                self._start(worker)
        loop = asyncio.get_running_loop()
        done: asyncio.Future = loop.create_future()
        fd = worker.replies
        inbox = _Inbox(budget.reply_bytes + 65536)       # the front-end's own bound on the reply

        def readable() -> None:
            if done.done():
                return
            try:
                data = inbox.feed(os.read(fd, 1 << 20))
                if data is not None:
                    done.set_result(pickle.loads(data))
            except (EOFError, OSError) as exc:
                done.set_exception(exc)
        loop.add_reader(fd, readable)
        try:
            _write_frame(worker.jobs, pickle.dumps((self.wall(), job), protocol=pickle.HIGHEST_PROTOCOL))
            outcome = await asyncio.wait_for(done, budget.seconds + KILL_GRACE)
        except asyncio.TimeoutError:
            self._replace(worker)
            return ("overrun", "time")
        except (EOFError, OSError):                      # died, or sent more than the parent takes
            if worker.process is not None:
                worker.process.join(0.05)
            exitcode = worker.process.exitcode if worker.process else None
            self._replace(worker)
            return ("overrun", _DEATHS.get(exitcode, "crash"))
        except BaseException:
            self._replace(worker)                        # cancelled mid-job: its result is unknowable
            raise
        finally:
            loop.remove_reader(fd)
        if outcome == ("overrun", "memory"):
            self._replace(worker)
        return outcome

    # -- scheduling ------------------------------------------------------------------------------

    async def _acquire(self, key: tuple[str, str]) -> _Worker:
        loop = asyncio.get_running_loop()
        home = self._workers[self._affinity.get(key, home_of(key, self.size))]
        entry = (home, loop.create_future(), loop.time())
        self._waiting.append(entry)
        self._dispatch()
        timers = [] if entry[1].done() else [loop.call_later(delay, self._dispatch)
                                              for delay in (STEAL_AFTER, QUEUE_PATIENCE)]
        try:
            worker = await entry[1]
            self._affinity.pop(key, None)
            self._affinity[key] = worker.index            # its cache has the sandbox now
            if len(self._affinity) > AFFINITY_KEYS:
                del self._affinity[next(iter(self._affinity))]
            return worker
        except BaseException:
            if entry in self._waiting:
                self._waiting.remove(entry)
            elif entry[1].done() and not entry[1].cancelled():
                entry[1].result().busy = False
                self._dispatch()
            raise
        finally:
            for timer in timers:
                timer.cancel()

    def _dispatch(self) -> None:
        """Give idle workers to waiting jobs, oldest first: the home worker, or any idle one once the
        home worker has been on its current job for STEAL_AFTER or the job waited QUEUE_PATIENCE."""
        if not self._waiting:
            return
        now = asyncio.get_running_loop().time() + 1e-3       # timers may fire a hair early
        for entry in list(self._waiting):
            home, future, since = entry
            worker = home if not home.busy else None
            if worker is None and (now - home.busy_since >= STEAL_AFTER or now - since >= QUEUE_PATIENCE):
                worker = next((w for w in self._workers if not w.busy), None)
            if worker is None:
                continue
            self._waiting.remove(entry)
            if not future.done():
                worker.busy = True
                worker.busy_since = now
                future.set_result(worker)

    # -- processes -------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _quiet_store(self):
        """Fork only while no statement of the front-end's SQLite connection is in flight: SQLite's
        per-process lock bookkeeping is copied into the child, and must say "no locks held"."""
        lock = getattr(self.local.store, "_lock", None)
        if lock is None:
            yield
            return
        async with lock:
            yield

    def _start(self, worker: _Worker) -> None:
        job_r, job_w = os.pipe()
        reply_r, reply_w = os.pipe()
        inherited = [fd for w in self._workers for fd in w.fds()] + [job_w, reply_r]
        worker.process = self._context.Process(
            target=_child, name=f"kubetutor-worker-{worker.index}", daemon=True,
            args=(job_r, reply_w, inherited, self.db, self.wall, self.cache_size, self.memory_mb))
        worker.process.start()
        os.close(job_r)
        os.close(reply_w)
        worker.jobs, worker.replies = job_w, reply_r

    def _replace(self, worker: _Worker) -> None:
        """Kill the worker; its successor is forked when its next job comes, not while the
        student whose command was stopped waits for the answer."""
        self._dying.append(worker.process)
        worker.stop(kill=True)
        self._dying = [p for p in self._dying if p.exitcode is None]      # exitcode reaps the finished
        self.replaced += 1

    async def aclose(self) -> None:
        for worker in self._workers:
            worker.stop(kill=False)
        for process in self._dying:
            process.join(1.0)


async def _reset(manager: SandboxManager, server: str, user: str) -> None:
    await manager.reset(server, user)


async def _exists(manager: SandboxManager, server: str, user: str) -> bool:
    return await manager.exists(server, user)
