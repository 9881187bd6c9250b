"""The engine worker pool (engine/workers.py): budgets enforced from outside, a stopped command
writes nothing, a killed worker is replaced, a busy worker never holds up another sandbox."""
from __future__ import annotations

import asyncio
import os
import time

import pytest

from bot.app import open_app
from bot.reply import Message
from engine import workers
from engine.storage import open_store
from engine.workers import Budget, Overrun, WorkerPool, home_of

NOW = 1795000000.0


def _spin(sb, seconds: float) -> str:
    sb.kubectl("run spun --image=nginx")          # a write the budget must undo
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def _write(sb, name: str) -> str:
    return sb.kubectl(f"run {name} --image=nginx")[0]


def _big(sb, size: int) -> str:
    sb.kubectl("run big --image=nginx")
    return "x" * size


def _hog(sb) -> int:
    sb.kubectl("run hog --image=nginx")
    blocks = [bytes(256 * 1024 * 1024) for _ in range(16)]      # 4 GB: more than the worker may have
    return len(blocks)


def _deep(sb) -> int:
    def down(n):
        return down(n + 1)
    return down(0)


def _pods(sb) -> list[str]:
    return sorted(name for ns, name in sb.cluster.by_kind.get("Pod", {}) if ns == "default")


def _pid(sb) -> int:
    return os.getpid()


@pytest.fixture
async def pool(tmp_path):
    store = await open_store(tmp_path / "w.db")
    pool = WorkerPool(store, lambda: NOW, tmp_path / "w.db", workers=2, memory_mb=512)
    yield pool
    await pool.aclose()
    await store.close()


async def test_a_job_runs_in_a_worker_process_and_its_writes_are_seen_everywhere(pool):
    assert await pool.run("s", "u", _pid) != os.getpid()
    assert await pool.run("s", "u", _write, "a") == "pod/a created"
    async with pool.open("s", "u") as sb:          # the front-end's own copy sees the worker's write
        assert "a" in _pods(sb)


async def test_time_overrun_kills_the_worker_writes_nothing_and_the_pool_recovers(pool):
    await pool.run("s", "u", _write, "before")
    started = time.monotonic()
    with pytest.raises(Overrun) as stopped:
        await pool.run("s", "u", _spin, 30.0, budget=Budget(seconds=0.5))
    assert stopped.value.reason == "time" and time.monotonic() - started < 0.5 + workers.KILL_GRACE + 0.25
    assert pool.replaced == 1
    assert await pool.run("s", "u", _pods) == ["before"]          # (in a new worker)          # nothing of the stopped command
    assert await pool.run("s", "u", _write, "after") == "pod/after created"


async def test_a_job_just_over_its_time_stops_itself_before_committing(pool):
    with pytest.raises(Overrun) as stopped:
        await pool.run("s", "u", _spin, 0.21, budget=Budget(seconds=0.2))
    assert stopped.value.reason == "time" and pool.replaced == 0     # stopped by the worker, not killed
    assert await pool.run("s", "u", _pods) == []


async def test_output_over_budget_is_refused_and_nothing_is_written(pool):
    with pytest.raises(Overrun) as stopped:
        await pool.run("s", "u", _big, 2_000_000)
    assert stopped.value.reason == "output"
    assert await pool.run("s", "u", _big, 1000) == "x" * 1000       # within budget: answered (and written)
    assert await pool.run("s", "u", _pods) == ["big"]


async def test_memory_over_budget_replaces_the_worker_and_writes_nothing(pool):
    with pytest.raises(Overrun) as stopped:
        await pool.run("s", "u", _hog)
    assert stopped.value.reason == "memory"
    assert await pool.run("s", "u", _pods) == []


async def test_recursion_too_deep_is_a_budget_not_an_internal_error(pool):
    with pytest.raises(Overrun) as stopped:
        await pool.run("s", "u", _deep)
    assert stopped.value.reason == "depth"


async def test_a_worker_that_died_between_jobs_is_replaced_quietly(pool):
    pid = await pool.run("s", "u", _pid)
    os.kill(pid, 9)
    await asyncio.sleep(0.05)
    assert await pool.run("s", "u", _pid) != pid


async def test_a_busy_home_worker_does_not_hold_up_another_sandbox(pool):
    slow_user = "slow"
    other = next(f"o{i}" for i in range(100) if home_of(("s", f"o{i}"), 2) == home_of(("s", slow_user), 2))
    await pool.run("s", other, _pid)
    slow = asyncio.create_task(pool.run("s", slow_user, _spin, 1.0))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    assert await pool.run("s", other, _write, "x") == "pod/x created"
    assert time.monotonic() - started < 0.5          # moved to the idle worker, not queued behind 1 s
    assert await slow == "done"


async def test_one_sandbox_runs_in_order():
    assert [home_of(("s", "u"), 4)] * 3 == [home_of(("s", "u"), 4) for _ in range(3)]
    assert len({home_of(("s", f"u{i}"), 4) for i in range(50)}) == 4


async def test_the_student_gets_one_sentence_in_their_language(tmp_path):
    app = await open_app(tmp_path / "a.db", clock=lambda: NOW, rate_limit=None, workers=2)
    try:
        big = "!k get pods -A -o jsonpath='{range .items[*]}" + "{range $.items[*]}" * 2 + "{$}" + "{end}" * 3 + "'"
        ko = await app.router.handle(Message(content=big, user="u", server="s"))
        await app.router.handle(Message(content="!lang en", user="u", server="s"))
        en = await app.router.handle(Message(content=big, user="u", server="s"))
        assert [r.text for r in ko] == ["📜 중지됨: 이 명령의 출력이 응답 하나의 한도(1MB)보다 커서 중지되었습니다. "
                                        "샌드박스는 바뀌지 않았습니다. 네임스페이스나 이름, -o name 등으로 범위를 좁혀 보세요."]
        assert en[0].text.startswith("📜 Stopped: that command's output was larger than 1 MB") and len(en) == 1
    finally:
        await app.close()
