"""ASGI middleware around every response: the Host check and the security headers.

Host check: on a loopback address only requests naming a loopback host are answered, so a web page
the user visits cannot reach the server through a DNS name rebound to 127.0.0.1.

Headers: the Content-Security-Policy of kg/web/pages.py (same-origin scripts and styles only,
nothing inline, framed only by this server), nosniff, and no referrer sent to other sites.
"""

from __future__ import annotations

from kg.web.pages import CSP

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"SAMEORIGIN"), (b"referrer-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin")]


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def host_name(header: str) -> str:
    """The name part of a Host header: `localhost:8765` → localhost, `[::1]:8765` → [::1]."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[:header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if ":" in header else header


class Guard:
    def __init__(self, app, loopback: bool) -> None:
        self.app = app
        self.loopback = loopback

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.loopback:
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if host_name(host) not in LOOPBACK_NAMES:
                body = (b"403 Forbidden: this server answers requests for 127.0.0.1 and localhost only "
                        b"(it listens on a loopback address)\n")
                await send({"type": "http.response.start", "status": 403, "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    *SECURITY_HEADERS]})
                await send({"type": "http.response.body", "body": body})
                return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in present]
            await send(message)

        await self.app(scope, receive, with_headers)
