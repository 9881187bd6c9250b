"""Two identical sessions print identical output: every random draw comes from the sandbox's seeded RNG."""
from __future__ import annotations

import random

from engine.sandbox import SandboxManager
from engine.store import Store

NOW = 1795000000.0
SESSION = ["create deployment dotted --image=my_app.v1:2 --image=other_img", "run web --image=nginx",
           "WAIT", "get deploy dotted -o jsonpath={.spec.template.spec.containers[*].name}",
           "get pods -o wide", "get events --sort-by=.metadata.name -o name"]


async def _session(path) -> list[str]:
    store = await Store.open(path)
    out = []
    async with SandboxManager(store, wall=lambda: NOW).open("s", "u") as sb:
        for line in SESSION:
            if line == "WAIT":
                sb.wait(30)
            else:
                out.append(sb.kubectl(line)[0])
    await store.close()
    return out


async def test_identical_sessions_print_identically_and_leave_global_random_alone(tmp_path):
    random.seed(2024)
    before = random.getstate()
    first = await _session(tmp_path / "a.db")
    assert random.getstate() == before
    random.seed(99)                          # a different global state changes nothing
    second = await _session(tmp_path / "b.db")
    assert first == second
    assert first[2].startswith("my-app-v1-") and " other-img-" in first[2], first[2]
