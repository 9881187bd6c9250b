"""(being written)"""
from __future__ import annotations

from engine.kubectl.errors import KubectlError


def run_label(ctx, argv):
    raise KubectlError("error: not available yet")


def run_annotate(ctx, argv):
    raise KubectlError("error: not available yet")
