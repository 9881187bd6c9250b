"""Where real kubectl 1.20 answers differently from the course's study notes, say why — once.

The engine prints what real kubectl prints; a student comparing with the notes would think the
sandbox is wrong. An observer watches `!k` replies; when one matches a known difference, a short
tutor note follows it, the first time only for each student (remembered in the database).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reply import Reply
from bot.router import Context, Router
from engine.store import Migration, Store

# This feature's table (bot/wiring.py hands it to the store): which notes each student has had.
MIGRATIONS: tuple[Migration, ...] = (
    ("study_notes_0001_seen", """
    CREATE TABLE IF NOT EXISTS study_notes_seen (
        server TEXT NOT NULL,
        user_id TEXT NOT NULL,
        note TEXT NOT NULL,
        PRIMARY KEY (server, user_id, note)
    );
"""),
)


@dataclass(frozen=True)
class Difference:
    key: str                    # the catalogue key of the note (placeholders: the command's groups)
    command: re.Pattern         # the kubectl arguments, e.g. `delete pod del-deploy`
    output: re.Pattern          # what real kubectl printed for it


DIFFERENCES = (
    # 3장 "파드를 실수로 지웠다면?": the notes print `No resources found` for a Deployment's name
    # given as a pod; real 1.20.2 looks the pod up by its exact name and says NotFound.
    Difference("notes_delete_pod_by_deployment_name",
               re.compile(r"delete\s+(?:po|pod|pods)\s+(?P<name>del-deploy)"),
               re.compile(r'^Error from server \(NotFound\): pods "[^"]+" not found$', re.M)),
)


class StudyNotes:
    def __init__(self, store: Store):
        self.store = store

    async def observe(self, ctx: Context, replies: list[Reply]) -> list[Reply] | None:
        if ctx.command not in ("k", "kubectl") or not replies:
            return None
        parsed = ctx.router.parse(ctx.msg.content)
        args = " ".join(parsed[1].split()) if parsed else ""
        out = "\n".join(r.text for r in replies)
        for diff in DIFFERENCES:
            m = diff.command.fullmatch(args)
            if m is None or not diff.output.search(out):
                continue
            if await self._seen(ctx, diff.key):
                return None
            return [Reply(ctx.text(diff.key, **m.groupdict()), code=False)]
        return None

    async def _seen(self, ctx: Context, key: str) -> bool:
        """True when this student already had the note; otherwise remember that they have now."""
        server, user = ctx.key
        if await self.store.fetchone("SELECT 1 FROM study_notes_seen WHERE server = ? AND user_id = ? AND note = ?",
                                     (server, user, key)):
            return True
        await self.store.execute("INSERT INTO study_notes_seen (server, user_id, note) VALUES (?, ?, ?) "
                                 "ON CONFLICT DO NOTHING", (server, user, key))
        return False


def setup(router: Router) -> None:
    router.observers.append(StudyNotes(router.services["store"]).observe)
