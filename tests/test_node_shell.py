"""The node shell's grammar, filters and bounds (engine/node/): what bash and GNU coreutils print."""
from __future__ import annotations

import time

import pytest

from engine.node import expand, parser
from engine.node.shell import MAX_ITERATIONS


def sh(sb, line, node="m-k8s"):
    return sb.shell(line, node)


# -- grammar ------------------------------------------------------------------------------------------

def test_parser_shapes_and_syntax_errors():
    tree = parser.parse("a | b && c || d; for x in 1 2; do e $x; done")
    assert len(tree.items) == 2
    assert [op for op, _ in tree.items[0].rest] == ["&&", "||"]
    assert len(tree.items[0].first.commands) == 2
    for line, message in [("; a", "syntax error near unexpected token `;'"),
                          ("a |", "syntax error: unexpected end of file"),
                          ("for x in 1; do a", "syntax error: unexpected end of file"),
                          ("done", "syntax error near unexpected token `done'"),
                          ("echo 'open",
                           "unexpected EOF while looking for matching `''\n-bash: syntax error: unexpected end of file")]:
        with pytest.raises(parser.ParseError) as err:
            parser.parse(line)
        assert str(err.value) == message


def test_operators_route_k_lines_through_the_shell():
    assert parser.has_operators("get pods | grep nginx")
    assert parser.has_operators("get pods; get svc")
    assert not parser.has_operators("get pods -o jsonpath='{.items[*].metadata.name}'")
    assert not parser.has_operators("exec web -- sh -c 'ls | wc -l'")
    assert not parser.has_operators("run `whoami` --image=nginx")      # expansions stay kubectl's words


def test_brace_expansion():
    assert expand.braces("{1..5}") == ["1", "2", "3", "4", "5"]
    assert expand.braces("web-{a,b}{1,2}") == ["web-a1", "web-a2", "web-b1", "web-b2"]
    assert expand.braces("{05..10..5}") == ["05", "10"]
    assert expand.braces("'{1..3}'") == ["'{1..3}'"] and expand.braces("{x}") == ["{x}"]
    with pytest.raises(expand.TooMany):
        expand.braces("{1..100000}")


async def test_variables_quoting_and_substitution(sb):
    assert sh(sb, 'echo $HOSTNAME "$HOME" \'$PATH\' ${USER}') == ("m-k8s /root $PATH root", 0)
    assert sh(sb, "false; echo $?; true; echo $?") == ("1\n0", 0)
    assert sh(sb, "echo $(printf 'a   b') \"$(printf 'a   b')\"") == ("a b a   b", 0)
    assert sh(sb, "echo `hostname`-$((2*3+1))") == ("m-k8s-7", 0)
    assert sh(sb, "X=1; echo ${X:-none} ${Y:-none}") == ("1 none", 0)
    assert sh(sb, "echo $X") == ("1", 0)                       # a variable lasts for the session
    assert sh(sb, "ssh w2-k8s 'echo $HOSTNAME'") == ("w2-k8s", 0)


async def test_lists_loops_and_conditions(sb):
    assert sh(sb, "for n in a b c; do echo $n; done | tr -d '\\n'") == ("abc", 0)
    assert sh(sb, "i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i") == ("3", 0)
    assert sh(sb, "if [ -f /etc/hosts ]; then echo yes; else echo no; fi") == ("yes", 0)
    assert sh(sb, "! true; echo $?") == ("1", 0)
    assert sh(sb, "{ echo a; echo b; } | wc -l") == ("2", 0)


async def test_globs_on_the_nodes_files(sb):
    assert sh(sb, "echo /etc/host*") == ("/etc/hostname /etc/hosts", 0)
    assert sh(sb, "cd /etc; echo *-release; cd") == ("centos-release os-release redhat-release system-release", 0)
    assert sh(sb, "echo /nope/*.yaml '/etc/*'") == ("/nope/*.yaml /etc/*", 0)


async def test_redirections(sb):
    assert sh(sb, "echo one > /tmp/f; echo two >> /tmp/f; wc -l < /tmp/f") == ("2", 0)
    assert sh(sb, "cat /nope 2>&1 | wc -l; cat /nope 2>/dev/null; echo $?") == ("1\n1", 0)
    assert sh(sb, "echo x > /nope/f") == ("-bash: /nope/f: No such file or directory", 1)
    assert sh(sb, "foo > /tmp/never") == ("-bash: foo: command not found", 127)
    assert sh(sb, "ls /tmp") == ("f", 0)                       # a failed command leaves no file behind
    assert sh(sb, "cat < /nope") == ("-bash: /nope: No such file or directory", 1)


async def test_stderr_bypasses_the_pipe(sb):
    out, rc = sh(sb, "kubectl get pods nope | wc -l")
    assert out == 'Error from server (NotFound): pods "nope" not found\n0' and rc == 0
    assert sh(sb, "kubectl get pods | wc -l") == ("No resources found in default namespace.\n0", 0)
    assert sh(sb, "kubectl get nodes | grep -c Ready") == ("4", 0)


async def test_unknown_commands_and_paths(sb):
    assert sh(sb, "nosuch --x") == ("-bash: nosuch: command not found", 127)
    assert sh(sb, "./nosuch.sh") == ("-bash: ./nosuch.sh: No such file or directory", 127)
    assert sh(sb, "/etc/hosts") == ("-bash: /etc/hosts: Permission denied", 126)
    assert sh(sb, "/usr/bin/hostname") == ("m-k8s", 0)


# -- filters ----------------------------------------------------------------------------------------------

TEXT = "printf 'b 2\\na 10\\nB 1\\na 10\\nc 3\\n'"


async def test_grep_options(sb):
    assert sh(sb, f"{TEXT} | grep -i b") == ("b 2\nB 1", 0)
    assert sh(sb, f"{TEXT} | grep -v a | grep -c .") == ("3", 0)
    assert sh(sb, f"{TEXT} | grep -n 10") == ("2:a 10\n4:a 10", 0)
    assert sh(sb, f"{TEXT} | grep -o '[0-9]\\+' | head -2") == ("2\n10", 0)
    assert sh(sb, f"{TEXT} | grep -E 'b|c' ") == ("b 2\nc 3", 0)
    assert sh(sb, f"{TEXT} | grep -w 1") == ("B 1", 0)
    assert sh(sb, f"{TEXT} | grep zzz") == ("", 1)
    assert sh(sb, "grep k8s /etc/hosts /nope") == (
        "/etc/hosts:192.168.1.10 m-k8s\n/etc/hosts:192.168.1.101 w1-k8s\n/etc/hosts:192.168.1.102 w2-k8s\n"
        "/etc/hosts:192.168.1.103 w3-k8s\ngrep: /nope: No such file or directory", 2)
    assert sh(sb, "grep -Z x") == ("grep: invalid option -- 'Z'\nUsage: grep [OPTION]... PATTERN [FILE]...\n"
                                   "Try 'grep --help' for more information.", 2)


async def test_wc_layout_as_coreutils(sb):
    assert sh(sb, "wc -l /etc/hosts") == ("6 /etc/hosts", 0)
    assert sh(sb, "cat /etc/hosts | wc") == ("      6      18     240", 0)
    assert sh(sb, "wc /etc/hosts") == ("  6  18 240 /etc/hosts", 0)
    assert sh(sb, "wc -l /etc/hosts /etc/hostname") == ("  6 /etc/hosts\n  1 /etc/hostname\n  7 total", 0)
    assert sh(sb, "echo hello world | wc -w -c") == ("      2      12", 0)


async def test_sort_uniq_head_tail_cut_tr_awk(sb):
    assert sh(sb, f"{TEXT} | sort") == ("a 10\na 10\nB 1\nb 2\nc 3", 0)
    assert sh(sb, f"{TEXT} | sort -k2 -n") == ("B 1\nb 2\nc 3\na 10\na 10", 0)
    assert sh(sb, f"{TEXT} | sort -rnk2 -u") == ("a 10\nc 3\nb 2\nB 1", 0)
    assert sh(sb, f"{TEXT} | sort | uniq -c") == ("      2 a 10\n      1 B 1\n      1 b 2\n      1 c 3", 0)
    assert sh(sb, f"{TEXT} | head -n 2; {TEXT} | tail -1; {TEXT} | tail -n +5") == ("b 2\na 10\nc 3\nc 3", 0)
    assert sh(sb, f"{TEXT} | cut -d' ' -f2 | head -3 | tr '\\n' ,") == ("2,10,1,", 0)
    assert sh(sb, "echo a:b:c | cut -d: -f2-; echo abcdef | cut -c2-4") == ("b:c\nbcd", 0)
    assert sh(sb, f"{TEXT} | awk '{{print $2, $1}}' | head -1") == ("2 b", 0)
    assert sh(sb, f"{TEXT} | awk '$2 > 2 {{print NR\": \"$1}}'") == ("2: a\n4: a\n5: c", 0)
    assert sh(sb, "awk -F: '{print $NF}' /etc/hosts | head -1; awk 'END {print NR}' /etc/hosts") == (
        "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n6", 0)
    assert sh(sb, "echo x | awk '{print $1'")[1] == 1
    assert sh(sb, "echo Hello | tr a-z A-Z; echo aabbcc | tr -s a-c; echo abc | tr -d b") == ("HELLO\nabc\nac", 0)


async def test_xargs_tee_echo_printf_seq(sb):
    assert sh(sb, "seq 3 | xargs") == ("1 2 3", 0)
    assert sh(sb, "seq 4 | xargs -n 2 echo x") == ("x 1 2\nx 3 4", 0)
    assert sh(sb, "echo a b | xargs -I{} echo '<{}>'") == ("<a b>", 0)
    assert sh(sb, "echo a | xargs nosuch") == ("xargs: nosuch: No such file or directory", 127)
    assert sh(sb, "echo hi | tee /tmp/t | wc -c; cat /tmp/t") == ("3\nhi", 0)
    assert sh(sb, "echo -n a; echo -e 'b\\tc'; printf '%-4s|%03d\\n' ab 7") == ("ab\tc\nab  |007", 0)


async def test_sleep_moves_the_sandbox_clock(sb):
    before = sb.cluster.now
    assert sh(sb, "sleep 2m; sleep 30") == ("", 0)
    assert sb.cluster.now - before == pytest.approx(150)
    assert sh(sb, "sleep x")[1] == 1


async def test_editor_and_interactive_commands_leave_notes(sb):
    assert sh(sb, "vim deploy.yaml") == ("", 1)
    assert sb.notes == [("shell_editor", {"editor": "vim", "file": "deploy.yaml"})]


async def test_ls_recursive_numeric_and_pipe_layout(sb):
    out, rc = sh(sb, "ls -R /etc/kubernetes")
    assert (out, rc) == ("/etc/kubernetes:\nmanifests\n\n/etc/kubernetes/manifests:", 0)
    assert sh(sb, "ls -n /etc/hosts").__getitem__(0).startswith("-rw-r--r--. 1 0 0 240 ")
    assert sh(sb, "ls /etc | wc -l") == ("12", 0)                # one name a line into a pipe


# -- bounds -----------------------------------------------------------------------------------------------

async def test_loops_output_and_nesting_are_bounded(sb):
    out, rc = sh(sb, "while true; do :; done")
    assert rc == 1 and sb.notes[-1] == ("shell_limit_iterations", {"limit": MAX_ITERATIONS})
    out, rc = sh(sb, "for i in {1..100000}; do echo $i; done")
    assert sb.notes[-1][0] == "shell_limit_words"
    out, rc = sh(sb, "for i in {1..999}; do cat /etc/hosts /etc/hosts /etc/hosts; done")
    assert sb.notes[-1][0] == "shell_limit_output" and len(out) <= 256 * 1024
    sh(sb, "echo " + "$(echo " * 60 + "x" + ")" * 60)
    assert sb.notes[-1][0] == "shell_limit_depth"
    sh(sb, "sleep 25h")
    assert sb.notes[-1][0] == "shell_limit_sleep"


async def test_a_long_ssh_chain_is_followed_without_recursion(sb):
    started = time.perf_counter()
    assert sh(sb, "ssh w1-k8s " * 400 + "hostname") == ("w1-k8s", 0)
    assert time.perf_counter() - started < 5


async def test_ls_of_a_large_directory_is_linear(sb):
    sb.cluster.meta["nfs"]["exports"] = [f"/nfs_shared/dir{i:04d}" for i in range(2800)]
    started = time.perf_counter()
    out, rc = sh(sb, "ls /nfs_shared")
    assert rc == 0 and out.count("dir") == 2800
    assert time.perf_counter() - started < 2


async def test_exit_which_and_pagers(sb):
    assert sh(sb, "exit 3; echo never") == ("logout", 3)
    assert sh(sb, "ssh w1-k8s 'exit 2'; echo $?") == ("2", 0)
    assert sh(sb, "which kubectl nosuch") == (
        "/usr/bin/kubectl\n/usr/bin/which: no nosuch in (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/root/bin)",
        1)
    assert sh(sb, "less /etc/hostname") == ("m-k8s", 0)
    assert sh(sb, "curl -s 192.168.1.12; echo $?") == ("7", 0)


@pytest.mark.parametrize("line, expected", [
    ("echo $((1/0))", ('-bash: 1/0: division by 0 (error token is "0")', 1)),
    ("echo ${", ("-bash: unexpected EOF while looking for matching `}'\n-bash: syntax error: unexpected end of file", 2)),
    ("printf '%*d|' 3 1; printf '%999999999d' 1 | wc -c", ("  1|1000", 0)),
    ("grep '[' /etc/hosts", ("grep: Unmatched [ or [^", 2)),
    ("grep -E '(' /etc/hosts", ("grep: Unmatched ( or \\(", 2)),
    ("cut -f", ("cut: option requires an argument -- 'f'\nTry 'cut --help' for more information.", 2)),
    ("tail -n abc /etc/hosts", ("tail: invalid number of lines: ‘abc’", 1)),
    ("seq 1 0 5", ("seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.", 1)),
    ("cat <<EOF", ("", 2)),
])
async def test_hostile_lines_get_bash_answers(sb, line, expected):
    assert sh(sb, line) == expected


async def test_a_huge_stream_stops_at_its_bound(sb):
    out, rc = sh(sb, "seq 99999999 | wc -l")
    assert rc == 1 and sb.notes == [("shell_limit_output", {"limit": 256})]


async def test_nothing_reaches_the_host(sb, tmp_path):
    probe = tmp_path / "probe"
    assert sh(sb, f"echo hi > {probe}") == (f"-bash: {probe}: No such file or directory", 1)
    assert sh(sb, "echo hi > /tmp/probe; cat /tmp/probe; sudo ls /tmp") == ("hi\nprobe", 0)
    assert not probe.exists() and sb.cluster.meta["written"]["m-k8s"] == {"/tmp/probe": "hi\n"}
    assert sh(sb, "sudo nosuch") == ("sudo: nosuch: command not found", 1)


async def test_following_a_log_leaves_a_note(sb):
    out, rc = sh(sb, "journalctl -u kubelet -f")
    assert rc == 0 and out.endswith("-- No entries --") and sb.notes == [("shell_follow", {})]
