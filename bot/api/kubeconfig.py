"""`!kubeconfig`: the lab's kubeconfig for the student's own sandbox — cluster `kubernetes`, user
`kubernetes-admin`, context `kubernetes-admin@kubernetes`, as on m-k8s — pointing at `kubetutor api`.
In Discord it arrives by DM (it holds a secret); in the console it is printed."""
from __future__ import annotations

import base64
import os
import time
from urllib.parse import urlsplit

import yaml

from bot.api import pki, tokens
from bot.i18n import lang_of, t
from bot.reply import Reply
from bot.router import Context, Router

DEFAULT_URL = "https://127.0.0.1:6443"


def api_url() -> str:
    return os.environ.get("KUBETUTOR_API_URL", "").strip() or DEFAULT_URL


def api_hosts() -> list[str]:
    """Names the server certificate must cover: the URL's host and KUBETUTOR_API_HOSTS."""
    extra = [h.strip() for h in os.environ.get("KUBETUTOR_API_HOSTS", "").split(",") if h.strip()]
    return [urlsplit(api_url()).hostname or "127.0.0.1", *extra]


def render(url: str, ca_pem: str, token: str) -> str:
    config = {
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": base64.b64encode(ca_pem.encode()).decode(),
                                  "server": url}, "name": "kubernetes"}],
        "contexts": [{"context": {"cluster": "kubernetes", "user": "kubernetes-admin"},
                      "name": "kubernetes-admin@kubernetes"}],
        "current-context": "kubernetes-admin@kubernetes",
        "kind": "Config",
        "preferences": {},
        "users": [{"name": "kubernetes-admin", "user": {"token": token}}],
    }
    return yaml.safe_dump(config, sort_keys=False, default_flow_style=False)


async def kubeconfig_command(ctx: Context, args: str) -> Reply:
    store = ctx.router.services["store"]
    lang = lang_of(ctx.router, ctx.msg)
    word = args.strip().lower()
    if word in ("revoke", "폐기"):
        gone = await tokens.revoke(store, ctx.msg.server, ctx.msg.user)
        return Reply(t(lang, "kubeconfig_revoked" if gone else "kubeconfig_none"), code=False)
    if word:
        return Reply(t(lang, "kubeconfig_usage"), code=False, ok=False)
    wall = ctx.router.services.get("clock") or time.time
    token = await tokens.issue(store, ctx.msg.server, ctx.msg.user, wall())
    certs = await pki.load_or_create(store, api_hosts())
    text = render(api_url(), certs.ca_cert, token)
    return Reply(t(lang, "kubeconfig_intro", url=api_url()) + "\n```yaml\n" + text + "```", code=False, dm=True)


def setup(router: Router) -> None:
    router.command("kubeconfig", uses_sandbox=False,
                   summary="a kubeconfig for your own kubectl (kubetutor api); revoke with !kubeconfig revoke")(
        kubeconfig_command)
