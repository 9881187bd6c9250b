"""The benchmark runs end to end and reports every figure the issue names (not its timings)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from engine import bench

KEYS = {"lab_p99_ms", "pods1000_p99_ms", "wait24h_ms", "cold_start_ms", "commands_per_s", "bytes_per_sandbox",
        "sqlite_floor_ms", "mixed_p99_ms", "pathological_max_ms", "burst_p95_ms", "console_start_ms"}


async def test_tiny_benchmark_reports_every_figure():
    figures = await bench.run(bench.TINY)
    assert KEYS <= set(figures)
    assert all(isinstance(v, (int, float)) and v >= 0 for v in figures.values())
    assert figures["bytes_per_sandbox"] > 1000          # a lab cluster is tens of kilobytes


def test_cli_prints_json_with_the_named_keys(monkeypatch):
    # through the real entry point, on tiny sizes
    code = ("import json, engine.bench as b; b.QUICK = b.TINY; import sys; from bot.cli import main; "
            "sys.exit(main(['bench', '--quick', '--json']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert KEYS <= set(json.loads(out.stdout))
