"""Slash commands: each is the router text it stands for (`/k command:get po` -> `!k get po`).

Defined here only because Discord needs each one declared with typed options; the work is
the router's. A command whose router word is not registered is left out of the sync.
"""
from __future__ import annotations

from typing import Literal, Optional

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.gateway import Gateway

# slash command name -> the router command word it maps to
ROUTER_WORDS: dict[str, str] = {
    "k": "k", "kubectl": "kubectl", "sh": "sh", "ssh": "ssh", "wait": "wait", "sandbox": "sandbox",
    "reset": "reset", "help": "help", "quiz": "quiz", "lab": "lab", "progress": "progress",
    "leaderboard": "leaderboard", "lang": "lang",
}

_YAML_FILE = "apply -f - 에 쓸 YAML 파일 (YAML file for apply -f -)"
_PRIVATE = "나에게만 보이는 답 (a reply only you can see)"


def _join(*words: Optional[str]) -> str:
    return " ".join(w.strip() for w in words if w and w.strip())


class SlashCommands(commands.Cog):
    """The chat commands as Discord slash commands."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    @app_commands.command(name="k", description="kubectl 실행 (run kubectl in your sandbox)")
    @app_commands.describe(command="예: get pods -o wide", file=_YAML_FILE, private=_PRIVATE)
    async def k(self, interaction: discord.Interaction, command: str,
                file: Optional[discord.Attachment] = None, private: Optional[bool] = None) -> None:
        await self.gateway.on_slash(interaction, _join("k", command), [file], private=private)

    @app_commands.command(name="kubectl", description="kubectl 실행 (run kubectl in your sandbox)")
    @app_commands.describe(command="예: get nodes", file=_YAML_FILE, private=_PRIVATE)
    async def kubectl(self, interaction: discord.Interaction, command: str,
                      file: Optional[discord.Attachment] = None, private: Optional[bool] = None) -> None:
        await self.gateway.on_slash(interaction, _join("kubectl", command), [file], private=private)

    @k.autocomplete("command")
    @kubectl.autocomplete("command")
    async def complete_kubectl(self, interaction: discord.Interaction,
                               current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=text, value=text) for text in await self.gateway.complete(interaction, current)]

    @app_commands.command(name="sh", description="m-k8s 의 root 셸 명령 (a root shell command on m-k8s)")
    @app_commands.describe(command="예: systemctl stop kubelet")
    async def sh(self, interaction: discord.Interaction, command: str) -> None:
        await self.gateway.on_slash(interaction, _join("sh", command))

    @app_commands.command(name="ssh", description="다른 노드에서 명령 실행 (run a command on another node)")
    @app_commands.describe(node="예: w1-k8s", command="예: systemctl stop kubelet")
    async def ssh(self, interaction: discord.Interaction, node: str, command: str) -> None:
        await self.gateway.on_slash(interaction, _join("ssh", node, command))

    @app_commands.command(name="wait", description="샌드박스 시계 빨리 감기 (fast-forward your sandbox clock)")
    @app_commands.describe(duration="예: 5m, 1h")
    async def wait(self, interaction: discord.Interaction, duration: str) -> None:
        await self.gateway.on_slash(interaction, _join("wait", duration))

    @app_commands.command(name="sandbox", description="내 샌드박스 상태 (your sandbox's status)")
    async def sandbox(self, interaction: discord.Interaction) -> None:
        await self.gateway.on_slash(interaction, "sandbox")

    @app_commands.command(name="reset", description="샌드박스 초기화 (start your sandbox afresh)")
    async def reset(self, interaction: discord.Interaction) -> None:
        await self.gateway.on_slash(interaction, "reset")

    @app_commands.command(name="help", description="도움말 (help)")
    @app_commands.describe(topic="명령 또는 주제 (a command or topic)")
    async def help(self, interaction: discord.Interaction, topic: Optional[str] = None) -> None:
        await self.gateway.on_slash(interaction, _join("help", topic))

    @app_commands.command(name="quiz", description="퀴즈 (a quiz question)")
    @app_commands.describe(topic="주제 (topic)")
    async def quiz(self, interaction: discord.Interaction, topic: Optional[str] = None) -> None:
        await self.gateway.on_slash(interaction, _join("quiz", topic))

    @app_commands.command(name="lab", description="실습 (labs)")
    @app_commands.describe(action="예: list, start 1, check")
    async def lab(self, interaction: discord.Interaction, action: Optional[str] = None) -> None:
        await self.gateway.on_slash(interaction, _join("lab", action))

    @app_commands.command(name="progress", description="내 진도 (your progress)")
    async def progress(self, interaction: discord.Interaction) -> None:
        await self.gateway.on_slash(interaction, "progress")

    @app_commands.command(name="leaderboard", description="순위표 (leaderboard)")
    async def leaderboard(self, interaction: discord.Interaction) -> None:
        await self.gateway.on_slash(interaction, "leaderboard")

    @app_commands.command(name="lang", description="응답 언어 (reply language)")
    @app_commands.describe(language="ko 또는 en")
    async def lang(self, interaction: discord.Interaction, language: Optional[Literal["ko", "en"]] = None) -> None:
        await self.gateway.on_slash(interaction, _join("lang", language))

