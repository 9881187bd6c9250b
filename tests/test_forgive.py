"""bot/forgive: how a chat message is read (pastes, prompts, full-width forms, Korean keyboard slips)."""
import pytest

from bot.app import open_app
from bot.forgive import Note, Understood, fold, qwerty, suggest, understand
from bot.reply import Message

NAMES = {"k", "kubectl", "sh", "ssh", "wait", "help", "quiz", "answer", "kgp"}


def read(content, addressed=True):
    return understand(content, "!", NAMES, addressed=addressed)


@pytest.mark.parametrize("typed, keys", [
    ("ㅏ", "k"), ("ㅔㅐㅇㄴ", "pods"), ("햣", "git"), ("ㅎㄷㅅ", "get"), ("ㅏㅕㅠㄷㅊ시", "kubectl"),
    ("ㅜㅐㅇㄷㄴ", "nodes"), ("ㄴㅍㅊ", "svc"), ("값", "rkqt"), ("ㄲ", "R"), ("get", "get"),
])
def test_two_beolsik_reads_back_the_keys(typed, keys):
    assert qwerty(typed) == keys


def test_fold_is_nfkc_but_leaves_hangul_alone():
    assert fold("！ｋ\u3000ｇｅｔ") == "!k get"
    assert fold("ㅇㅇ 파드") == "ㅇㅇ 파드"          # NFKC would make conjoining jamo of `ㅇㅇ`


def test_suggest_allows_one_edit_for_short_words_and_two_for_longer():
    assert suggest("kubect", NAMES) == ["kubectl"]
    assert suggest("qiuz", NAMES) == ["quiz"]                 # a swap is one edit
    assert suggest("wiat", NAMES) == ["wait"]
    assert suggest("play", NAMES) == []                      # another bot's command: no false friend
    assert suggest("", NAMES) == []


def test_a_plain_command_is_left_exactly_as_typed():
    content = "!k apply -f -\n```yaml\nkind: Pod\n```"
    assert read(content) == [Understood(content, None, "!k apply -f -")]


def test_each_pasted_line_runs_with_its_block_and_one_header():
    units = read("!k apply -f -\n```yaml\n!k get pods\n```\n!k get pods")
    assert units[0] == Understood(note=Note("forgive_lines", {"count": 2}))
    assert [u.content for u in units[1:]] == ["!k apply -f -\n```yaml\n!k get pods\n```", "!k get pods"]


def test_a_pasted_prompts_output_is_dropped_but_text_under_a_command_is_kept():
    assert [u.content for u in read("$ kubectl get pods\nNAME  READY\nweb  1/1")] == ["!k get pods"]
    assert [u.content for u in read("!quiz schedule\nmore words")] == ["!quiz schedule\nmore words"]


def test_blank_lines_invisible_characters_and_tabs_are_not_in_the_way():
    assert [u.content for u in read("\n!k get pods\n\n!k get nodes\r\n")][1:] == ["!k get pods", "!k get nodes"]
    assert read("\u200b!k\tget pods") == [Understood("!k get pods", None, "!k get pods")]
    assert read("!") == [] and read("[root@m-k8s ~]# ") == [] and read("！") == []


def test_a_prompt_of_an_unknown_host_is_m_k8s():
    assert read("[vagrant@localhost ~]$ hostname")[0].content == "!sh hostname"


def test_at_most_ten_commands_run_from_one_message():
    units = read("\n".join(["!k get pods"] * 12))
    assert sum(1 for u in units if u.content) == 10
    assert units[-1].note.key == "forgive_too_many"


def test_unprefixed_lines_count_only_where_the_bot_is_addressed():
    for content in ("kubectl get pods", "[root@m-k8s ~]# kubectl get nodes", "$ hostname", "ㅏㅕㅠㄷㅊ시 get pods"):
        assert read(content, addressed=False) == []
    assert read("k 알겠어요") == [] and read("# 제목") == [] and read("안녕") == []
    assert read("ㅏㅕㅠㄷㅊ시 get pods")[0].note == Note("forgive_keyboard", {"typed": "ㅏㅕㅠㄷㅊ시 get pods",
                                                                          "meant": "!kubectl get pods"})


def test_a_prompt_after_the_prefix_runs_anywhere():
    """`@kubetutor [root@m-k8s ~]# kubectl get nodes` arrives as `![root@m-k8s ~]# kubectl get nodes`."""
    for addressed in (False, True):
        unit, = read("![root@m-k8s ~]# kubectl get nodes", addressed=addressed)
        assert unit.content == "!k get nodes" and unit.note.values["reasons"] == ("prompt",)


def test_a_shell_command_typed_in_korean_is_a_slip():
    for typed, meant in (("!sh 뇬ㅅ듳시 status kubelet", "!sh systemctl status kubelet"),
                         ("!ssh w1-k8s ㅙㄴ수믇", "!ssh w1-k8s hostname")):
        assert read(typed) == [Understood(note=Note("forgive_keyboard", {"typed": typed, "meant": meant}))]
    assert read("!sh echo 안녕")[0].content == "!sh echo 안녕"


def test_korean_arguments_that_are_not_slips_run():
    assert read("!answer ㅇㅇ") == [Understood("!answer ㅇㅇ", None, "!answer ㅇㅇ")]
    assert read("!k get pods 파드")[0].content == "!k get pods 파드"


async def test_in_a_server_channel_an_unknown_word_is_quiet_unless_a_name_is_close(tmp_path):
    app = await open_app(tmp_path / "t.db", rate_limit=None)
    try:
        async def say(content, addressed=False):
            return await app.router.handle(Message(content, "ann", "srv", addressed=addressed))
        assert await say("!play despacito") == []
        assert await say("kubectl get pods") == []
        assert "!kubectl get pods" in (await say("!kubect get pods"))[0].text
        assert "!help" in (await say("!play", addressed=True))[0].text
    finally:
        await app.close()


async def test_a_server_can_turn_unprefixed_lines_off(tmp_path):
    app = await open_app(tmp_path / "t.db", rate_limit=None)
    try:
        async def say(content):
            return await app.router.handle(Message(content, "ann", "srv", addressed=True, is_admin=True))
        assert "`!k get pods`" in (await say("kubectl get pods"))[0].text
        await say("!config set unprefixed off")
        assert await say("kubectl get pods") == [] and await say("$ hostname") == []
        assert (await say("!k get pods"))[0].text == "No resources found in default namespace."
    finally:
        await app.close()


def test_huge_words_cost_nothing():
    """A 20,000-character word is refused by length before any distance is computed."""
    import time
    started = time.perf_counter()
    assert suggest("x" * 20_000, NAMES) == []
    assert read("!k " + "ㅔ" * 19_000 + " ㅔㅐㅇㄴ")[0].note.key == "forgive_keyboard"
    assert time.perf_counter() - started < 0.5
