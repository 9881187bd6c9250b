"""The console on a terminal: a prompt, one reply per Enter (no look-ahead), exit on Ctrl-D."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

KUBETUTOR = str(Path(sys.executable).with_name("kubetutor"))


def _read_until(fd: int, needle: bytes, timeout: float = 60.0) -> bytes:
    out = b""
    deadline = time.monotonic() + timeout
    while needle not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return out


def test_interactive_console_answers_each_line_at_once(tmp_path):
    master, slave = pty.openpty()
    env = dict(os.environ, KUBETUTOR_FAKE_NOW="1795000000", TERM="dumb")
    proc = subprocess.Popen([KUBETUTOR, "console", "--db", str(tmp_path / "tty.db"), "--user", "tty"],
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    try:
        assert b"[root@m-k8s ~]# " in _read_until(master, b"[root@m-k8s ~]# ")
        os.write(master, b"!k get ns\r")
        seen = _read_until(master, b"kube-system")
        assert b"kube-system       Active   17h" in seen        # answered before the next line is typed
        if b"[root@m-k8s ~]# " not in seen.split(b"kube-system", 1)[1]:
            _read_until(master, b"[root@m-k8s ~]# ")           # the next prompt: readline is listening
        os.write(master, b"\x04")                              # Ctrl-D
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
