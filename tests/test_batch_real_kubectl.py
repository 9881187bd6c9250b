"""Real kubectl 1.20.2 against `kubetutor api` for Jobs, CronJobs, ComponentStatus (its deprecation
warning travels as the Warning header) and kubeadm's ConfigMaps: kubectl, printing from the
server's data, shows what `!k` shows."""
from __future__ import annotations

import pytest

from test_api_real_kubectl import KUBECTL, lab  # noqa: F401 - the fixture

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="no kubectl 1.20 (CI installs Debian's kubernetes-client)")


async def test_batch_kinds_and_kubeadm_reads_with_real_kubectl(lab):  # noqa: F811
    assert await lab.kubectl("create job myjob --image=busybox -- echo hi") == "job.batch/myjob created"
    await lab.chat("!k create cronjob mycj --image=busybox --schedule='*/1 * * * *' -- echo hi")
    await lab.chat("!wait 70s")
    assert await lab.kubectl("create job manual --from=cronjob/mycj") == "job.batch/manual created"
    await lab.chat("!wait 10s")
    for read in ("get jobs", "get jobs -o wide", "get cronjobs -o wide", "get all", "describe job myjob",
                 "describe cronjob mycj", "get cm -A"):
        await lab.same(read)
    cs = await lab.same("get cs")
    assert cs.startswith("Warning: v1 ComponentStatus is deprecated in v1.19+\nNAME ")
    assert await lab.kubectl("delete cronjob mycj") == 'cronjob.batch "mycj" deleted'
    await lab.chat("!wait 5s")
    jobs = await lab.same("get jobs")             # its Jobs, the hand-made one too, went with it
    assert [line.split()[0] for line in jobs.split("\n")[1:]] == ["myjob"]
