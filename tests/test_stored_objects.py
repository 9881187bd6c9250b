"""No stored object can break a sandbox (issue 12): objects written behind the API server's back
(as older sandboxes may hold them, from before it validated) are type-confused field by field,
and `get`, `describe`, time passing and `delete` must still work on them and on everything else."""
from __future__ import annotations

import copy
import os

from hypothesis import given, strategies as st

from tests.test_fuzz import fuzz_settings
from tests.test_fuzz_manifests import ODD, SEEDS, _mutate, _paths

EXAMPLES = int(os.environ.get("KUBETUTOR_FUZZ_EXAMPLES", "40"))
KINDS = [s for s in SEEDS if s["kind"] != "Namespace"]


@st.composite
def stored_objects(draw):
    obj = copy.deepcopy(draw(st.sampled_from(KINDS)))
    paths = [p for p in _paths(obj) if p[:1] not in (("apiVersion",), ("kind",), ("metadata",))]
    for _ in range(draw(st.integers(1, 3))):
        obj = _mutate(obj, draw(st.sampled_from(paths)), draw(st.sampled_from(["set", "set", "delete"])), draw(ODD))
        paths = [p for p in _paths(obj) if p[:1] not in (("apiVersion",), ("kind",), ("metadata",))]
    obj["metadata"] = {"name": "h1", "labels": {"app": "f1"}}
    return obj


def test_fuzz_stored_objects_never_break_get_describe_or_delete(sb):
    from engine.apiserver import registry

    @fuzz_settings(EXAMPLES)
    @given(stored_objects())
    def one(obj):
        kind = registry.get(obj["kind"])
        sb.cluster.create(obj)                       # behind the API server's back
        sb.wait(20)                                  # controllers meet it (and skip what they cannot handle)
        for line in (f"get {kind.plural} -o wide", f"get {kind.plural} h1 -o yaml", "get all -A",
                     f"describe {kind.plural} h1", "describe nodes", "get events"):
            out, _ = sb.kubectl(line)
            assert isinstance(out, str)
        out, rc = sb.kubectl(f"delete {kind.plural} h1 --grace-period=0 --force")
        assert rc == 0, out
        sb.wait(60)
        assert sb.cluster.get(kind.kind, obj["metadata"].get("namespace", ""), "h1") is None
        out, rc = sb.kubectl("get pods -A")          # the rest of the cluster still answers
        assert rc == 0 and "coredns" in out

    one()
