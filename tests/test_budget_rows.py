"""Issue 13's table, row by row, through the router with real worker processes: each message is
answered within its budget + 250 ms with a clear message (never the internal-error apology), a
stopped command leaves the sandbox as it was, and meanwhile another student — on the same home
worker, the hard case — gets `!k get nodes` within 100 ms."""
from __future__ import annotations

import asyncio
import time

import pytest

from bot import i18n
from bot.app import open_app
from bot.reply import Message
from engine.pathological import MESSAGES
from engine.workers import COMMAND, WAIT, home_of

NOW = 1795000000.0
SLACK = 0.25                 # what the issue allows beyond the budget
OTHER_MS = 100               # the concurrent student's `!k get nodes`


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "rows.db", clock=lambda: NOW, rate_limit=None, workers=2)
    yield app
    await app.close()


def _same_home(user: str) -> str:
    return next(f"peer{i}" for i in range(200) if home_of(("s", f"peer{i}"), 2) == home_of(("s", user), 2))


async def _send(app, user: str, content: str) -> tuple[float, list]:
    started = time.perf_counter()
    replies = await app.router.handle(Message(content=content, user=user, server="s"))
    return time.perf_counter() - started, replies


async def both_at_once(app, content: str, budget: float, user: str = "bad") -> list[str]:
    """Send `content` as `user` while a peer keeps asking `!k get nodes`; check both clocks."""
    peer = _same_home(user)
    await _send(app, peer, "!k get nodes")
    before = await app.store.sandbox_version("s", user)
    task = asyncio.create_task(_send(app, user, content))
    await asyncio.sleep(0)                                   # the bad command is in flight
    peers = [(await _send(app, peer, "!k get nodes"))[0]]
    while not task.done():
        await asyncio.sleep(0.05)
        if not task.done():
            peers.append((await _send(app, peer, "!k get nodes"))[0])
    took, replies = await task
    texts = [r.text for r in replies]
    assert took <= budget + SLACK, (took, texts)
    assert peers and max(peers) * 1000 <= OTHER_MS, peers
    assert texts and all(texts) and i18n.t("ko", "internal_error") not in texts, texts
    if _stopped(texts):
        assert await app.store.sandbox_version("s", user) == before     # nothing was written
    return texts


def _stopped(texts: list[str]) -> bool:
    return len(texts) == 1 and "중지됨" in texts[0]


async def row(app, name: str, budget: float = COMMAND.seconds) -> list[str]:
    """Build the row's state for student `bad`, then send its message alongside the peer."""
    state, message = MESSAGES[name]
    for line in ("!k get nodes",) if state is None else state if isinstance(state, tuple) else ():
        await _send(app, "bad", line)
    if callable(state):
        async with app.router.services["sandboxes"].open("s", "bad") as sb:
            state(sb)
    return await both_at_once(app, message, budget)


async def test_nested_jsonpath_ranges_stop_at_the_output_bound(app):
    assert _stopped(await row(app, "jsonpath_6_ranges"))
    assert _stopped(await row(app, "jsonpath_dollar"))


async def test_aliased_cluster_role_is_answered_within_budget(app):
    await row(app, "aliased_cluster_role")


async def test_deeply_nested_flow_yaml_is_answered_within_budget(app):
    await row(app, "nested_brackets")


async def test_an_edit_reply_meets_the_message_size_limit(app):
    texts = await row(app, "edit_reply_brackets")
    assert texts == ["error: 메시지가 너무 깁니다 (28024자, 최대 20000자)"]
    took, replies = await _send(app, "bad", "!k get deploy web -o name")      # the editor was closed unsaved
    assert [r.text for r in replies] == ["deployment.apps/web"]


async def test_wait_24h_at_the_object_cap_with_crash_loops_and_a_failed_node(app):
    texts = await row(app, "wait_24h_at_cap", 2.0)          # the algorithmic target, not !wait's 5 s budget
    assert texts == ["⏩ 24h 뒤… (샌드박스 시계를 앞으로 돌렸어요)"]
    assert WAIT.seconds == 5.0


async def test_ls_of_a_huge_directory_is_answered_within_budget(app):
    await row(app, "ls_2800_exports")


async def test_three_hundred_json_dumps_in_one_shell_line_are_bounded(app):
    texts = await row(app, "json_dumps_x300")           # stopped, or cut by the shell (and its note)
    assert sum(len(text.encode()) for text in texts) <= 1_000_000


async def test_a_thousand_columns_print_a_table(app):
    labels = await row(app, "label_columns_990")
    assert labels[0].startswith("NAMESPACE     NAME") and labels[0].count(" A ") > 900
    table = await row(app, "custom_columns_1000")
    assert table[0].startswith("C0 ") and "C999" in table[0].split("\n")[0]


async def test_four_hundred_nested_ssh_are_answered_within_budget(app):
    await row(app, "nested_ssh_400")
