"""`!k edit` in chat: the bot shows the YAML, the student's next message with a YAML block is the edit."""
from __future__ import annotations

import time

from bot.app import open_app
from bot.reply import Message

NOW = 1795000000.0
EDITED = """```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: del-deploy
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels:
      app: del-deploy
  template:
    metadata:
      labels:
        app: del-deploy
    spec:
      containers:
      - image: nginx
        name: nginx
```"""


async def _say(app, text, user="u"):
    return "\n".join(r.text for r in await app.router.handle(Message(content=text, user=user, server="s")))


async def test_next_message_with_yaml_is_the_edit(tmp_path):
    app = await open_app(tmp_path / "e.db", clock=lambda: NOW, rate_limit=None)
    try:
        await _say(app, "!k create deployment del-deploy --image=nginx --replicas=9")
        await _say(app, "!wait 10s")
        shown = await _say(app, "!k edit deployment del-deploy")
        assert "replicas: 9" in shown and shown.startswith("# Please edit the object below.")
        assert await _say(app, "nice, editing now", user="u") == ""          # chatter is ignored
        assert await _say(app, EDITED, user="someone-else") == ""            # another student's block is not an edit
        assert await _say(app, EDITED) == "deployment.apps/del-deploy edited"
        await _say(app, "!wait 10s")
        assert "del-deploy   3/3" in await _say(app, "!k get deploy")
        assert await _say(app, EDITED) == ""                                 # nothing pending any more
    finally:
        await app.close()


async def test_a_new_command_closes_the_editor_and_a_late_edit_times_out(tmp_path, monkeypatch):
    app = await open_app(tmp_path / "e.db", clock=lambda: NOW, rate_limit=None)
    try:
        await _say(app, "!k create deployment del-deploy --image=nginx --replicas=2")
        await _say(app, "!k edit deploy del-deploy")
        assert (await _say(app, "!k get deploy")).startswith("NAME")
        assert await _say(app, EDITED) == ""                                 # the edit was abandoned
        await _say(app, "!k edit deploy del-deploy")
        later = time.monotonic() + 3600
        monkeypatch.setattr(time, "monotonic", lambda: later)
        assert "10분 동안 답이 없어" in await _say(app, EDITED)
        assert "del-deploy   0/2" in await _say(app, "!k get deploy") or "/2" in await _say(app, "!k get deploy")
    finally:
        await app.close()
