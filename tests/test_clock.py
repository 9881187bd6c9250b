"""The sandbox clock: timers as frozen values fired in (due, seq) order, read back from old sandboxes."""
from __future__ import annotations

import dataclasses
import gzip
import json
import math
from pathlib import Path

import pytest

from engine.clock import Clock, Timer
from engine.sandbox import SandboxManager
from engine.store import Store

OLD_SANDBOX = Path(__file__).parent / "fixtures" / "sandbox-v1-timers.json.gz"
NOW = 1795000000.0


@pytest.fixture
def clock():
    return Clock(100.0)


@pytest.fixture
def log():
    return []


def test_timers_are_frozen_values_ordered_by_due_then_seq():
    early, late = Timer(5.0, 2, "b"), Timer(5.0, 1, "a", ("x",))
    assert sorted([early, late]) == [late, early]
    with pytest.raises(dataclasses.FrozenInstanceError):
        early.due = 1.0          # type: ignore[misc]


def test_run_until_fires_in_time_order_then_stands_at_until(clock, log):
    clock.schedule(20, "late")
    clock.schedule(5, "first", "ns", "a")
    clock.schedule(5, "second", "ns", "b")       # same instant: the order of scheduling
    clock.run_until(110, lambda t: log.append((clock.now, t.event, t.key)))
    assert log == [(105.0, "first", ("ns", "a")), (105.0, "second", ("ns", "b"))]
    assert clock.now == 110 and clock.peek() == 120
    clock.run_until(150, lambda t: log.append((clock.now, t.event, t.key)))
    assert log[-1] == (120.0, "late", ()) and clock.now == 150 and clock.peek() == math.inf


def test_an_instant_fires_whole_before_the_controllers_look(clock, log):
    for name in "abc":
        clock.schedule(1, "start", name)
    clock.run_until(200, lambda t: log.append(t.key[0]), lambda: log.append("settle"))
    assert log == ["a", "b", "c", "settle"]


def test_timers_booked_while_running_fire_in_the_same_run(clock, log):
    def fire(t):
        log.append((clock.now, t.event))
        if t.event == "pull":
            clock.schedule(10, "backoff")
    clock.schedule(1, "pull")
    clock.run_until(120, fire)
    assert log == [(101.0, "pull"), (111.0, "backoff")]


def test_cancel_drops_only_the_matching_event_and_key(clock):
    clock.schedule(1, "kill", "ns", "a")
    clock.schedule(2, "kill", "ns", "b")
    clock.schedule(3, "sync", "ns", "a")
    assert clock.cancel("kill", "ns", "a") == 1 and clock.cancel("kill", "ns", "zz") == 0
    assert sorted((t.event, t.key) for t in clock.pending()) == [("kill", ("ns", "b")), ("sync", ("ns", "a"))]


def test_the_past_cannot_be_booked(clock):
    assert clock.schedule(-30, "now").due == 100.0


def test_persisted_clock_replays_identically(clock, log):
    for i, delay in enumerate((3, 1, 3, 2)):
        clock.schedule(delay, f"e{i}", i)
    copy = Clock.from_meta({"clock": json.loads(json.dumps(clock.to_data()))}, 100.0)
    other: list = []
    clock.run_until(200, lambda t: log.append((t.event, t.key)))
    copy.run_until(200, lambda t: other.append((t.event, t.key)))
    assert log == other == [("e1", (1,)), ("e3", (3,)), ("e0", (0,)), ("e2", (2,))]
    assert copy.schedule(1, "next").seq == 5     # the sequence carries on, never reused


async def test_a_sandbox_saved_by_the_first_shape_loads_and_its_timers_fire(tmp_path):
    """A row written before the Clock existed (timers as raw lists in meta) loads, migrates, and runs."""
    old = json.loads(gzip.decompress(OLD_SANDBOX.read_bytes()))
    assert "timers" in old["meta"] and "clock" not in old["meta"]          # the old shape, as stored
    store = await Store.open(tmp_path / "t.db")
    await store.create_sandbox("s", "u", old["meta"], {(k, ns, n): body for k, ns, n, body in old["objects"]}, NOW)
    manager = SandboxManager(store, wall=lambda: NOW)
    async with manager.open("s", "u") as sb:
        assert {t.event for t in sb.cluster.clock.pending()} == {"kubelet.sync", "deployment.progress_deadline"}
        assert "Pending" in sb.kubectl("get pod busy")[0]
        sb.wait(60)
        out, _ = sb.kubectl("get pods")
    web = [line for line in out.splitlines() if line.startswith("web-")]
    assert len(web) == 2 and all("1/1     Running" in line for line in web), out
    row = await store.load_sandbox("s", "u")
    assert "timers" not in row.meta and "seq" not in row.meta
    assert row.meta["clock"]["seq"] > old["meta"]["seq"]
    await store.close()


async def test_a_timer_whose_event_is_no_longer_wired_is_dropped(sb, caplog):
    """A sandbox saved by an older version may hold an event that nothing handles now: it must still run."""
    sb.cluster.schedule(5, "retired.event", "default", "x")
    sb.wait(10)
    assert not any(sb.cluster.clock.pending("retired.event"))
    assert "retired.event" in caplog.text
    assert sb.kubectl("get nodes")[1] == 0
