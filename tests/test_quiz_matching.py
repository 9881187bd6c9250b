"""Tolerant matching of typed answers, and reading a choice from text."""
from __future__ import annotations

import random

import pytest

from bot.quiz import present
from bot.quiz.bank import Question, Text
from bot.quiz.matching import matches, parse_number

SAME_COMMANDS = [
    ("kubectl get po", "k get pods"),
    ("kubectl get pods", "K GET POD"),
    ("kubectl   get    pods", "kubectl get pods"),
    ("kubectl get pods -n kube-system", "kubectl -n kube-system get po"),
    ("kubectl get pods -n kube-system", "kubectl get pods --namespace=kube-system"),
    ("kubectl get pods --namespace=kube-system -l k8s-app=kube-dns", "k get po -l k8s-app=kube-dns -n kube-system"),
    ("kubectl get pod -o wide", "kubectl get pods -owide"),
    ("kubectl get pod -o wide", "kubectl get pods --output wide"),
    ("kubectl scale deployment deploy-nginx --replicas=3", "k scale deploy deploy-nginx --replicas 3"),
    ("kubectl scale deployment deploy-nginx --replicas=3", "kubectl scale deploy/deploy-nginx --replicas=3"),
    ("kubectl expose pod nginx --type=NodePort --port=80", "kubectl expose po nginx --port 80 --type NodePort"),
    ("kubectl get po,svc", "kubectl get pods,services"),
    ("kubectl get pods -A", "kubectl get po --all-namespaces"),
    ("kubectl exec -i -t dnsutils -- nslookup kubernetes.default", "k exec -it dnsutils -- nslookup kubernetes.default"),
    ("yum upgrade -y kubeadm-1.20.4", "yum upgrade kubeadm-1.20.4 -y"),
    ("systemctl restart kubelet", "systemctl restart kubelet.service"),
    ("kubectl get nodes", "[root@m-k8s ~]# kubectl get nodes"),
    ("kubectl get nodes", "`k get no`"),
    ("kubectl get nodes", "$ kubectl get node"),
    # compared by effect, as kubectl parses them (the right answers that were rejected)
    ("kubectl expose pod nginx --type=NodePort --port=80", "kubectl expose pod nginx --type=NodePort --port=80 --target-port=80"),
    ("kubectl delete -f ~/_Lecture_k8s_starter.kit/ch4/4.1/del-deploy.yaml",
     "kubectl delete -f /root/_Lecture_k8s_starter.kit/ch4/4.1/del-deploy.yaml"),
    ("kubectl delete -f ~/_Lecture_k8s_starter.kit/ch4/4.1/del-deploy.yaml", "k delete --filename=del-deploy.yaml"),
    ("yum upgrade -y kubeadm-1.20.4", "yum install -y kubeadm-1.20.4-0"),
    ("yum upgrade -y kubeadm-1.20.4", "yum update kubeadm-1.20.4"),
    ("kubectl delete deployment del-deploy", "kubectl delete deployments.apps/del-deploy --namespace default"),
    ("kubectl create deployment x --image=nginx", "k create deploy x --image nginx --replicas=1"),
    ("kubectl rollout undo deployment rollout-nginx --to-revision=1", "k rollout undo deploy/rollout-nginx --to-revision 1"),
    ("kubectl set image deployment rollout-nginx nginx=nginx:1.16.0 --record",
     "k set image deploy/rollout-nginx nginx=nginx:1.16.0 --record=true"),
    ("kubectl scale deployment deploy-nginx --replicas=3", "kubectl --namespace=default scale --replicas=3 deploy deploy-nginx"),
]

DIFFERENT_COMMANDS = [
    ("kubectl get pods", "kubectl get services"),
    ("kubectl get pods -n kube-system", "kubectl get pods"),
    ("kubectl get pod -o wide", "kubectl get pod -o yaml"),
    ("kubectl scale deployment deploy-nginx --replicas=3", "kubectl scale deployment deploy-nginx --replicas=4"),
    ("kubectl expose pod nginx --type=NodePort --port=80", "kubectl expose pod nginx --type=LoadBalancer --port=80"),
    ("kubectl delete deployment del-deploy", "kubectl delete pod del-deploy"),
    ("kubeadm upgrade apply 1.20.4", "kubeadm apply upgrade 1.20.4"),              # positional order matters
    ("kubectl exec dnsutils -- ls -l", "kubectl exec dnsutils -- -l ls"),           # the pod's command is kept as is
    ("systemctl start kubelet", "systemctl start docker"),
    ("kubectl get pods", ""),
    ("kubectl expose pod nginx --type=NodePort --port=80", "kubectl expose pod nginx --type=NodePort --port=80 --target-port=8080"),
    ("kubectl run nginx --image=nginx", "kubectl run nginx --image=nginx --port=80"),
    ("kubectl get pods", "kubectl get pods --no-such-flag"),                          # kubectl refuses it
    ("kubectl delete -f ~/_Lecture_k8s_starter.kit/ch4/4.1/del-deploy.yaml", "kubectl apply -f del-deploy.yaml"),
    ("yum upgrade -y kubeadm-1.20.4", "yum install -y kubeadm-1.20.2-0"),
    ("yum upgrade -y kubeadm-1.20.4", "yum install -y kubelet-1.20.4"),
]


@pytest.mark.parametrize("accepted, answer", SAME_COMMANDS, ids=[a for _, a in SAME_COMMANDS])
def test_equivalent_commands_match(accepted, answer):
    assert matches("command", answer, [accepted])


@pytest.mark.parametrize("accepted, answer", DIFFERENT_COMMANDS, ids=[a or "empty" for _, a in DIFFERENT_COMMANDS])
def test_different_commands_do_not_match(accepted, answer):
    assert not matches("command", answer, [accepted])


@pytest.mark.parametrize("answer, unit, value", [
    ("300", "seconds", 300), ("300초", "seconds", 300), ("5분", "seconds", 300), ("5m", "seconds", 300),
    ("약 5 minutes", "seconds", 300), ("1m 30s", "seconds", 90), ("4", None, 4), ("4개", None, 4),
    ("9 services", None, 9), ("6,443", None, 6443),
])
def test_numbers_and_durations_are_read(answer, unit, value):
    assert parse_number(answer, unit) == value


@pytest.mark.parametrize("answer, unit", [("3 or 4", None), ("many", None), ("5 apples", "seconds"), ("", None)])
def test_unclear_numbers_are_not_read(answer, unit):
    assert parse_number(answer, unit) is None


def test_numbers_match_by_value_not_spelling():
    assert matches("number", "5분", [300], "seconds")
    assert not matches("number", "5", [300], "seconds")        # five seconds is not five minutes
    assert not matches("number", "40", [300], "seconds")


@pytest.mark.parametrize("answer, ok", [
    ("etcd", True), ("ETCD", True), ("  etcd. ", True), ('"etcd"', True), ("`etcd`", True),
    ("etc", False), ("etcd-m-k8s", False),
])
def test_names_forgive_case_spacing_and_quotes_only(answer, ok):
    assert matches("name", answer, ["etcd"]) is ok


def test_a_short_name_question_keeps_short_and_long_apart():
    """Asked for the short name of pods, `pods` is not `po`."""
    assert matches("name", "po", ["po"])
    assert not matches("name", "pods", ["po"])


def _question(kind, choices=(), answer=None):
    return Question("q", "pods", kind, Text("질문", "question"), Text("설명", "why"),
                    tuple(Text(c, c.upper()) for c in choices), answer)


def test_a_choice_can_be_given_by_number_circle_or_text():
    """`2`, `②`, the Korean or the English text all mean the second button."""
    q = _question("single", ("alpha", "beta", "gamma"), 2)
    layout = {"order": [1, 2, 3]}
    assert [present.read_choice(q, layout, a) for a in ("2", "②", "beta", "BETA", "2.")] == [2] * 5
    assert present.read_choice(q, layout, "4") is None
    assert present.read_choice(q, layout, "delta") is None


def test_true_false_reads_o_x_and_words():
    q = _question("truefalse", answer=False)
    for answer, right in [("X", True), ("x", True), ("틀리다", True), ("false", True), ("2", True),
                          ("O", False), ("맞다", False), ("1", False)]:
        assert present.grade(q, {}, answer) is right, answer
    assert present.grade(q, {}, "maybe") is None


def test_multi_offers_the_right_set_among_combinations_and_reads_letters():
    """The right statements are one of the buttons; `ㄱ, ㄷ` and `A C` name that button."""
    q = _question("multi", ("one", "two", "three", "four"), frozenset({1, 3}))
    layout = present.make_layout(q, random.Random(7))
    assert len(layout["combos"]) == present.MULTI_OPTIONS
    shown_right = sorted(layout["order"].index(i) + 1 for i in (1, 3))
    assert layout["combos"].count(shown_right) == 1
    letters_ko = ", ".join("ㄱㄴㄷㄹ"[i - 1] for i in shown_right)
    letters_en = " ".join("ABCD"[i - 1] for i in shown_right)
    assert present.grade(q, layout, letters_ko) is True
    assert present.grade(q, layout, letters_en) is True
    assert present.grade(q, layout, "ㄱ, ㄴ, ㄷ, ㄹ") is False


def test_shuffled_layouts_still_grade_the_right_choice():
    """Whatever the order shown, the button carrying the right text is the right one."""
    q = _question("single", ("alpha", "beta", "gamma", "delta"), 3)
    for seed in range(20):
        layout = present.make_layout(q, random.Random(seed))
        labels = present.choice_labels(q, layout, "ko")
        assert present.grade(q, layout, str(labels.index("gamma") + 1)) is True
