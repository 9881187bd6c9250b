"""A real PostgreSQL server for the storage tests (no mock), and the worker the concurrency test runs.

- KUBETUTOR_TEST_PG_URL set (CI starts a server, see .ci/run): use it; it must allow CREATE DATABASE.
- Otherwise, when Debian's server binaries exist, start a throwaway cluster with
  scripts/pg-test-server.sh for this session; otherwise the PostgreSQL variants are skipped.
Every test gets its own database, dropped afterwards.

Run as a script, this module is one OS process of the concurrency test (see `worker`).
"""
from __future__ import annotations

import asyncio
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "pg-test-server.sh"
BACKENDS = ["sqlite", "postgresql"]


def have_server_binaries() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb")) and shutil.which("runuser") is not None


def _skip_reason() -> str | None:
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        return "asyncpg is not installed (pip install asyncpg)"
    if not os.environ.get("KUBETUTOR_TEST_PG_URL") and not have_server_binaries():
        return ("no PostgreSQL: set KUBETUTOR_TEST_PG_URL or install the server "
                "(apt-get install -y postgresql); .ci/run does both")
    return None


class PgCluster:
    """A cluster started by scripts/pg-test-server.sh in a directory of its own."""

    PREFIX = "kubetutor-pg-"

    def __init__(self) -> None:
        reap_orphans()
        # Not pytest's tmp dir: the server runs as `postgres` and must reach this directory.
        self.dir = tempfile.mkdtemp(prefix=self.PREFIX)
        os.chmod(self.dir, 0o755)
        Path(self.dir, "owner").write_text(str(os.getpid()))
        try:
            self.url = self._script("start")
        except BaseException:
            self.destroy()
            raise

    def _script(self, command: str) -> str:
        done = subprocess.run(["bash", str(SCRIPT), command, self.dir], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"pg-test-server.sh {command} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def stop(self) -> None:
        self._script("stop")

    def start(self) -> None:
        self._script("start")

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def reap_orphans() -> None:
    """Stop and remove clusters left by a test run that was killed before its teardown."""
    for owner in Path(tempfile.gettempdir()).glob(PgCluster.PREFIX + "*/owner"):
        try:
            os.kill(int(owner.read_text()), 0)
            continue                                   # its test run is still going
        except ProcessLookupError:
            pass
        except (ValueError, OSError):
            continue
        subprocess.run(["bash", str(SCRIPT), "stop", str(owner.parent)], capture_output=True, timeout=120)
        shutil.rmtree(owner.parent, ignore_errors=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def pg_admin_url():
    """The URL of a server where tests may create databases; skips when there is none."""
    if reason := _skip_reason():
        pytest.skip(reason)
    if url := os.environ.get("KUBETUTOR_TEST_PG_URL"):
        yield url
        return
    cluster = PgCluster()
    try:
        yield cluster.url
    finally:
        cluster.destroy()


async def create_database(admin_url: str) -> str:
    import asyncpg
    name = "kt_" + uuid.uuid4().hex[:12]
    con = await asyncpg.connect(admin_url)
    try:
        await con.execute(f'CREATE DATABASE "{name}"')
    finally:
        await con.close()
    return with_database(admin_url, name)


async def drop_database(admin_url: str, url: str) -> None:
    import asyncpg
    name = urlsplit(url).path.lstrip("/")
    con = await asyncpg.connect(admin_url)
    try:
        await con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await con.close()


@pytest.fixture
async def pg_url(request, pg_admin_url):
    url = await create_database(pg_admin_url)
    yield url
    await drop_database(pg_admin_url, url)


@pytest.fixture(params=BACKENDS)
async def db_url(request, tmp_path):
    """The same test on both backends: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "t.db")
        return
    admin = request.getfixturevalue("pg_admin_url")
    url = await create_database(admin)
    yield url
    await drop_database(admin, url)


# -- the concurrency test's worker process ------------------------------------------------------

async def worker(url: str, server: str, users: list[str], count: int, tag: str) -> None:
    """Run `kubectl run <tag>-<i>` on the users' sandboxes in turn; print one JSON line per
    acknowledged command. A StoreBusy (conflict with another process) is retried."""
    from engine.sandbox import SandboxManager
    from engine.storage import open_store
    from engine.store import StoreBusy

    store = await open_store(url)
    manager = SandboxManager(store, wall=lambda: 1795000000.0)
    rng = random.Random(tag)
    try:
        for i in range(count):
            user = users[i % len(users)]
            pod = f"{tag}-{i}"
            for _ in range(200):
                try:
                    async with manager.open(server, user) as sb:
                        out, rc = sb.kubectl(f"run {pod} --image=nginx")
                except StoreBusy:
                    await asyncio.sleep(rng.uniform(0.001, 0.02))
                    continue
                print(json.dumps({"user": user, "pod": pod, "rc": rc, "out": out}), flush=True)
                break
            else:
                raise SystemExit(f"gave up on {pod}")
    finally:
        await store.close()


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:     # worker URL SERVER USER,USER COUNT TAG
    sys.path.insert(0, str(REPO))
    url, server, users, count, tag = sys.argv[2:7]
    asyncio.run(worker(url, server, users.split(","), int(count), tag))
