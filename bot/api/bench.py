"""`kubetutor bench`'s API figures: real kubectl (a whole process) against `kubetutor api` on
loopback, beside the same `get pods` typed in chat — what a student's own terminal costs."""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bot.reply import Message


def find_kubectl() -> str | None:
    """A kubectl 1.20: $KUBETUTOR_KUBECTL, Debian's kubernetes-client unpacked in /opt/kubectl-1.20
    (as .ci/run does), or a `kubectl` on PATH that says v1.20."""
    for candidate in (os.environ.get("KUBETUTOR_KUBECTL"), "/opt/kubectl-1.20/usr/bin/kubectl", shutil.which("kubectl")):
        if not candidate or not Path(candidate).exists():
            continue
        try:
            out = subprocess.run([candidate, "version", "--client", "--short"], capture_output=True, text=True,
                                 timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        if "v1.20." in out:
            return candidate
    return None


async def api_figures(app, samples: int) -> dict[str, float]:
    """api_get_pods_ms (median, whole kubectl process) and chat_get_pods_ms; {} without kubectl 1.20."""
    from bot.api.server import ApiServer
    kubectl = find_kubectl()
    if kubectl is None:
        return {}
    server = ApiServer(app.router, app.store)
    port = await server.start("127.0.0.1", 0)
    try:
        with tempfile.TemporaryDirectory() as home:
            os.environ["KUBETUTOR_API_URL"] = f"https://127.0.0.1:{port}"
            issued = await app.router.handle(Message("!kubeconfig", "api-bench", "bench"))
            config = Path(home) / "config"
            config.write_text(re.search(r"```yaml\n(.*?)```", issued[0].text, re.S)[1])
            env = {"HOME": home, "KUBECONFIG": str(config), "PATH": "/usr/bin:/bin"}
            api, chat = [], []
            for i in range(samples + 1):                  # the first run fills kubectl's discovery cache
                start = time.perf_counter()
                proc = await asyncio.create_subprocess_exec(kubectl, "get", "pods", env=env,
                                                            stdout=asyncio.subprocess.DEVNULL,
                                                            stderr=asyncio.subprocess.DEVNULL)
                await proc.wait()
                if i:
                    api.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                await app.router.handle(Message("!k get pods", "api-bench", "bench"))
                chat.append((time.perf_counter() - start) * 1000)
    finally:
        os.environ.pop("KUBETUTOR_API_URL", None)
        await server.aclose()
    return {"api_get_pods_ms": round(statistics.median(api), 1), "chat_get_pods_ms": round(statistics.median(chat), 2)}
