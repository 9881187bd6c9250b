"""What the golden format cannot say: a LoadBalancer spreads requests over more than one pod (ch2.4)."""
from __future__ import annotations

import re

from engine.sandbox import SandboxManager
from engine.store import Store

NOW = 1795000000.0


async def test_metallb_address_answers_from_several_chk_hn_pods(tmp_path):
    store = await Store.open(tmp_path / "t.db")
    mgr = SandboxManager(store, wall=lambda: NOW)
    async with mgr.open("s", "u") as sb:
        for line in ("apply -f ~/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml",
                     "create deployment chk-hn --image=sysnet4admin/chk-hn",
                     "scale deployment chk-hn --replicas=3"):
            assert sb.kubectl(line)[1] == 0
        sb.wait(10)
        assert sb.kubectl("expose deployment chk-hn --type=LoadBalancer --port=80")[1] == 0
        sb.wait(5)
        pods = set(re.findall(r"^(chk-hn-\S+)", sb.kubectl("get pods")[0], re.M))
        assert len(pods) == 3
        answers = [sb.shell("curl 192.168.1.11") for _ in range(30)]
        assert all(rc == 0 for _, rc in answers), answers
        names = {out.strip() for out, _ in answers}
        assert names <= pods
        assert len(names) >= 2, names
    await store.close()
