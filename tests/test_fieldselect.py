"""Field selectors (engine/fieldselect.py) and --sort-by ordering (engine/kubectl/sorting.py), as unit rules."""
from __future__ import annotations

import pytest

from engine.fieldselect import FieldSelectorError, compile, select
from engine.kubectl.errors import KubectlError
from engine.kubectl.sorting import natural_less, relaxed, sort_objects


def pod(name, node="", phase="Running", ip=None, ns="default"):
    return {"kind": "Pod", "metadata": {"name": name, "namespace": ns}, "spec": {"nodeName": node},
            "status": {"phase": phase, **({"podIPs": [{"ip": ip}]} if ip else {})}}


PODS = [pod("a", "w1-k8s"), pod("b", "w2-k8s", "Pending"), pod("c,d", "w1-k8s", ip="10.0.0.7")]


@pytest.mark.parametrize("text,names", [
    ("spec.nodeName=w1-k8s", ["a", "c,d"]),
    ("spec.nodeName==w1-k8s,status.phase!=Running", []),
    ("status.phase!=Running", ["b"]),
    ("spec.host=w2-k8s", ["b"]),                       # the old v1 name of spec.nodeName
    ("status.podIP=10.0.0.7", ["c,d"]),                # the first of status.podIPs
    (r"metadata.name=c\,d", ["c,d"]),                  # an escaped comma is data
    ("status.nominatedNodeName=", ["a", "b", "c,d"]),  # a field nobody set reads as ""
    ("metadata.namespace=default,", ["a", "b", "c,d"]),
    (" ", ["a", "b", "c,d"]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_pod_fields_match(text, names):
    assert [p["metadata"]["name"] for p in select("Pod", PODS, text)] == names


@pytest.mark.parametrize("kind,text,message", [
    ("Pod", "status.hostIP=x", "field label not supported: status.hostIP"),
    ("Pod", "z=1,a=2", "field label not supported: a"),           # terms are sorted before conversion
    ("Deployment", "spec.replicas=1",
     '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'),
    ("Node", "metadata.namespace=x", "field label not supported: metadata.namespace"),
    ("Job", "status.active=1", 'field label "status.active" not supported for batchv1.Job'),
    ("CronJob", "x=1", 'field label "x" not supported for "CronJob"'),
    ("Pod", "status.phase", "invalid selector: 'status.phase'; can't understand 'status.phase'"),
    ("Pod", "a=b,status.phase", "invalid selector: 'a=b,status.phase'; can't understand 'status.phase'"),
    ("Pod", "metadata.name=x=y", "invalid field selector: unescaped character in value: 61"),
    ("Pod", r"metadata.name=x\y", r"invalid field selector: invalid escape sequence: \y"),
])
def test_refusals_in_the_servers_words(kind, text, message):
    with pytest.raises(FieldSelectorError) as refused:
        compile(kind, text)
    assert str(refused.value) == message


def test_event_fields_and_source_fallback():
    ev = {"kind": "Event", "metadata": {"name": "e", "namespace": "default"}, "reason": "Pulled", "type": "Normal",
          "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default", "uid": "u1"},
          "source": {}, "reportingComponent": "kubelet"}
    assert compile("Event", "involvedObject.kind=Pod,involvedObject.uid=u1,source=kubelet,type!=Warning")(ev)
    assert not compile("Event", "involvedObject.fieldPath=spec.containers{web}")(ev)


def test_node_and_namespace_fields():
    node = {"kind": "Node", "metadata": {"name": "w1-k8s"}, "spec": {"unschedulable": True}}
    assert compile("Node", "spec.unschedulable=true")(node)
    ns = {"kind": "Namespace", "metadata": {"name": "dev"}, "status": {"phase": "Terminating"}}
    assert compile("Namespace", "status.phase=Terminating,metadata.name=dev")(ns)


@pytest.mark.parametrize("a,b", [("pod-2", "pod-10"), ("a", "b"), ("1x", "x"), ("a1b", "a01"), ("a1", "a01"),
                                 ("", "a"), ("web", "web-1")])
def test_natural_order(a, b):
    assert natural_less(a, b) and not natural_less(b, a)


def test_relaxed_paths():
    assert [relaxed(p) for p in (".a.b", "a.b", "{a.b}", "{.a.b}", "{.a}{.b}")] == \
        ["{.a.b}", "{.a.b}", "{.a.b}", "{.a.b}", None]


def test_sort_by_values_missing_first_quantities_and_numbers():
    objs = [{"n": "x", "q": "1Gi", "r": 10}, {"n": "y", "q": "100Mi", "r": 9}, {"n": "z"}, {"n": "w", "q": "2"}]
    assert [o["n"] for o in sort_objects(objs, ".q")] == ["z", "w", "y", "x"]
    assert [o["n"] for o in sort_objects(objs, "{.r}")] == ["z", "w", "y", "x"]
    with pytest.raises(KubectlError, match=r'path "\{\.nope\}" in the list of objects'):
        sort_objects(objs, ".nope")
    assert sort_objects([], ".nope") == []
