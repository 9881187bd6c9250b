"""Chapter 6.1's tips in !sh: completion script, aliases appended to ~/.bashrc, the k alias."""
from __future__ import annotations






async def test_completion_and_aliases_as_the_notes_type_them(sb):
    assert sb.shell("kubectl completion bash >/etc/bash_completion.d/kubectl") == ("", 0)
    out, rc = sb.shell("cat /etc/bash_completion.d/kubectl")
    assert rc == 0 and out.startswith("# bash completion for kubectl") and "__start_kubectl" in out
    assert sb.shell("echo 'alias k=kubectl' >> ~/.bashrc") == ("", 0)
    assert sb.shell("echo 'complete -F __start_kubectl k' >> ~/.bashrc") == ("", 0)
    assert sb.shell("cat ~/.bashrc") == ("alias k=kubectl\ncomplete -F __start_kubectl k", 0)
    out, rc = sb.shell("k get no")
    assert rc == 0 and out.splitlines()[0].startswith("NAME     STATUS")


async def test_completion_errors(sb):
    assert sb.kubectl("completion") == ("error: Shell not specified.\nSee 'kubectl completion -h' for help and examples", 1)
    assert sb.kubectl("completion fish")[0].startswith('error: Unsupported shell type "fish".')


async def test_redirect_without_target_is_a_syntax_error(sb):
    assert sb.shell("echo hi >") == ("-bash: syntax error near unexpected token `newline'", 2)
