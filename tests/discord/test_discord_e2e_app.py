"""The real app (open_app: router, engine, SQLite) behind the bot on dpytest's fake Discord."""
from __future__ import annotations

import discord.ext.test as dpytest
import pytest
from discord.ext.test import backend

from bot.app import open_app

NO_DEPLOYMENTS = "No resources found in default namespace."


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "kubetutor.db", rate_limit=None)
    yield app
    await app.close()


@pytest.fixture
async def bot(app, dpy):
    return await dpy(app)


async def say(text: str, member, channel, replies, **kw) -> str:
    await dpytest.message(text, channel=channel, member=member, **kw)
    return "\n".join(m.content for m in replies())


async def test_kubectl_get_nodes(bot, replies):
    config = dpytest.get_config()
    out = await say("!k get nodes", config.members[0], config.channels[0], replies)
    assert out.startswith("```\nNAME     STATUS   ROLES") and "w3-k8s   Ready" in out and out.endswith("```")


async def test_sandboxes_are_isolated_by_user_and_server(bot, replies):
    """A deployment made by one student in one server is invisible to anyone else, anywhere."""
    config = dpytest.get_config()
    g1 = config.guilds[1]
    a, b = config.members[0], config.members[1]
    c0 = config.channels[0]
    c1 = next(ch for ch in config.channels if ch.guild == g1)
    a_in_g1 = backend.make_member(a._user, g1)
    assert "deployment.apps/web created" in await say("!k create deployment web --image=nginx", a, c0, replies)
    assert NO_DEPLOYMENTS in await say("!k get deploy", b, c0, replies)
    assert NO_DEPLOYMENTS in await say("!k get deploy", a_in_g1, c1, replies)
    dm = await a.create_dm()
    assert NO_DEPLOYMENTS in await say("!k get deploy", a, dm, replies)
    assert "\nweb " in await say("!k get deploy", a, c0, replies)


async def test_apply_reads_an_attached_yaml_file(bot, replies, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
                        "  - name: nginx\n    image: nginx\n", encoding="utf-8")
    config = dpytest.get_config()
    out = await say("!k apply -f -", config.members[0], config.channels[0], replies, attachments=[str(manifest)])
    assert out == "```\npod/web created\n```"


async def test_student_chosen_name_cannot_break_the_fence(bot, replies):
    config = dpytest.get_config()
    out = await say("!k run x```y --image=nginx", config.members[0], config.channels[0], replies)
    assert out.startswith("```\n") and out.endswith("\n```") and out.count("```") == 2
    assert "x`\u200b`\u200b`y" in out


async def test_reset_asks_with_buttons_and_a_click_resets(app, mocks, config):
    """`!reset` offers buttons; clicking "1" sends `!answer KEY 1` as the clicker and resets their sandbox."""
    from bot.discord.gateway import Gateway
    from bot.discord.views import AnswerButton

    gateway = Gateway(app.router, config)
    guild = mocks.guild()
    student = mocks.member(guild)
    channel = mocks.channel(guild)
    await gateway.on_message(mocks.message("!k create deployment web --image=nginx", author=student,
                                           channel=channel), None)
    await gateway.on_message(mocks.message("!reset", author=student, channel=channel), None)
    view = channel.send.await_args_list[-1].kwargs["view"]
    first = view.children[0]
    assert isinstance(first, AnswerButton) and first.number == 1 and first.key.startswith("reset:")

    click = mocks.interaction(user=student, guild=guild, channel=channel)
    await gateway.on_answer(click, first.key, first.number)
    assert "초기화했어요" in click.followup.send.await_args.args[0]
    await gateway.on_message(mocks.message("!k get deploy", author=student, channel=channel), None)
    assert NO_DEPLOYMENTS in channel.send.await_args_list[-1].args[0]


async def test_a_reset_confirmation_is_single_use_and_expires(tmp_path, mocks, config):
    """Issue 16.3: `!reset`, Yes, create a deployment, Yes again on the same button: the work stays;
    a button older than a minute asks again instead of resetting."""
    from bot.discord.gateway import Gateway

    class Clock:
        now = 1_700_000_000.0

        def __call__(self):
            return self.now

    clock = Clock()
    app = await open_app(tmp_path / "reset.db", rate_limit=None, clock=clock)
    gateway = Gateway(app.router, config)
    guild = mocks.guild()
    student = mocks.member(guild)
    channel = mocks.channel(guild)

    async def say(text):
        await gateway.on_message(mocks.message(text, author=student, channel=channel), None)
        return channel.send.await_args_list[-1]

    async def click(button):
        interaction = mocks.interaction(user=student, guild=guild, channel=channel)
        await gateway.on_answer(interaction, button.key, button.number)
        return interaction.followup.send.await_args.args[0]

    yes = (await say("!reset")).kwargs["view"].children[0]
    assert "초기화했어요" in await click(yes)
    await say("!k create deployment web --image=nginx")
    again = await click(yes)
    assert "이미 사용" in again
    assert "web" in (await say("!k get deploy")).args[0]

    old = (await say("!reset")).kwargs["view"].children[0]
    clock.now += 61
    assert "만료" in await click(old)
    assert "web" in (await say("!k get deploy")).args[0]
    await app.close()


async def test_progress_attaches_its_chart_in_discord(bot, replies):
    """`!progress` in a server: the table in the message, the chart as a PNG attachment."""
    config = dpytest.get_config()
    await dpytest.message("!progress", channel=config.channels[0], member=config.members[0])
    got = replies()
    files = [a for m in got for a in m.attachments]
    assert [a.filename for a in files] == ["progress.png"]
    assert (await files[0].read()).startswith(b"\x89PNG\r\n\x1a\n")
    # (dpytest keeps no text on a message that carries files; the text is tested without Discord)
