"""Limits a real API server inherits from etcd: one stored object is at most 1.5 MiB serialized."""
from __future__ import annotations

from engine.apiserver import errors, schema

MAX_OBJECT_BYTES = 3 * 1024 * 1024 // 2      # etcd's --max-request-bytes default


def check_size(obj: dict) -> None:
    if len(schema.go_json(obj)) > MAX_OBJECT_BYTES:
        raise errors.too_large()
