"""(being written)"""
from __future__ import annotations

from engine.kubectl.errors import KubectlError


def run(ctx, argv):
    raise KubectlError("error: not available yet")
