"""Property-based fuzzing of the chat router (issue 8): random and mutated command lines.

No exception escapes (the router's apology never appears), every reply is a bounded string,
and a rejected command leaves the stored sandbox byte-for-byte unchanged. `make fuzz` runs
tens of thousands of examples (KUBETUTOR_FUZZ_EXAMPLES); `make test` a few hundred.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3

from hypothesis import HealthCheck, given, settings, strategies as st

from bot import i18n
from bot.app import open_app
from bot.reply import Message

NOW = 1795000000.0
EXAMPLES = int(os.environ.get("KUBETUTOR_FUZZ_EXAMPLES", "250"))
APOLOGIES = {i18n.t(lang, "internal_error") for lang in i18n.LANGS}

VERBS = ["get", "run", "create", "scale", "expose", "delete", "describe", "apply", "edit", "label", "rollout",
         "logs", "exec", "version", "cluster-info", "api-resources", "explain", "set", "patch", "cordon", "drain"]
WORDS = ["pods", "po", "pod", "deploy", "deployment", "svc", "service", "nodes", "no", "ns", "rs", "ep", "all",
         "nginx", "chk-hn", "del-deploy", "kube-system", "m-k8s", "w1-k8s", "deployment/x", "pod/nginx", "secret",
         "configmap", "namespace", "generic", "nodeport", "x", "Bad_Name", "파드", "`x`", "@everyone", "<@123>",
         "-", "--", "'", '"', "=", "/", "status", "history", "undo", "image", "app=nginx"]
FLAGS = ["-n", "kube-system", "-o", "wide", "-o", "yaml", "-o", "json", "-o", "name", "-A", "-l", "--image=nginx",
         "--replicas=3", "--replicas=-1", "--replicas=abc", "--replicas=99999999999", "--port=80", "--port=0",
         "--type=NodePort", "--type=LoadBalancer", "--target-port=8080", "--all", "--force", "--grace-period=0",
         "--show-labels", "--dry-run=client", "--foo", "-f", "-", "--name=y", "-x", "--overwrite", "--record"]
PREFIXES = ["!k ", "!kubectl ", "!sh ", "!ssh w1-k8s ", "!kgp ", "!kg ", "!wait ", "!alias ", "!sandbox", "!help ",
            "!answer "]

token = st.one_of(st.sampled_from(VERBS), st.sampled_from(WORDS), st.sampled_from(FLAGS),
                  st.text(min_size=1, max_size=12))
line = st.builds(lambda p, toks: p + " ".join(toks), st.sampled_from(PREFIXES), st.lists(token, max_size=7))


def fuzz_settings(examples: int):
    """`make test` replays a fixed sample (a suite must not fail by luck); `make fuzz` explores anew."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                    derandomize="KUBETUTOR_FUZZ_EXAMPLES" not in os.environ)


def _snapshot(db) -> tuple:
    with sqlite3.connect(db) as conn:
        meta = conn.execute("SELECT meta FROM sandboxes WHERE user_id = 'fuzz'").fetchall()
        objects = conn.execute("SELECT kind, namespace, name, body FROM objects o JOIN sandboxes s ON s.id = "
                               "o.sandbox_id WHERE s.user_id = 'fuzz' ORDER BY 1, 2, 3").fetchall()
    return meta, objects


@contextlib.contextmanager
def chat(tmp_path):
    """(send, db): the chat router on a fresh database, driven synchronously (hypothesis is not async)."""
    loop = asyncio.new_event_loop()
    db = tmp_path / "fuzz.db"
    app = loop.run_until_complete(open_app(db, clock=lambda: NOW, rate_limit=None))
    try:
        yield (lambda text: loop.run_until_complete(app.router.handle(Message(content=text, user="fuzz", server="s"))),
               db)
    finally:
        loop.run_until_complete(app.close())
        loop.close()


def test_fuzz_router(tmp_path):
    with chat(tmp_path) as (send, db):
        _router_fuzz(send, db)


def _router_fuzz(send, db) -> None:
    send("!k create deployment web --image=nginx --replicas=2")
    send("!wait 1m")

    @fuzz_settings(EXAMPLES)
    @given(line)
    def check(text):
        before = _snapshot(db)
        replies = send(text)
        for r in replies:
            assert isinstance(r.text, str)
            assert r.text not in APOLOGIES, f"internal error for {text!r}"
            assert len(r.text) < 200_000
        if replies and all(not r.ok for r in replies):
            assert _snapshot(db) == before, f"rejected command changed the sandbox: {text!r}"

    check()
