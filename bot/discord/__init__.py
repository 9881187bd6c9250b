"""The Discord front-end: turns messages, slash commands and button clicks into router calls.

`main.run_bot` is the entry point (`kubetutor bot`); see docs/discord.md.
"""
