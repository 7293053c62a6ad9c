"""The case desk's pages: plain HTML shells and static assets served by the alert service.

Every page is the same small shell; the browser module for the page (``static/<page>.js``) fetches
the JSON API and builds the DOM from text nodes, so nothing from an event ever becomes markup. The
signed-in pages share one header (``static/header.html``), put in where a page has the marker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).parent / "static"
PAGES = ("login", "inbox", "case", "feed", "silences")
HEADER_MARKER = "<!-- netral:header"


def page_routes() -> list[web.AbstractRouteDef]:
    """The routes for /, /login, /inbox, /cases/{case_id}, /feed, /silences and /static/."""
    header = (STATIC / "header.html").read_text(encoding="utf-8").rstrip("\n")
    return [
        web.get("/", _root),
        web.get("/login", _page("login", header)),
        web.get("/inbox", _page("inbox", header)),
        web.get("/cases/{case_id}", _page("case", header)),
        web.get("/feed", _page("feed", header)),
        web.get("/silences", _page("silences", header)),
        web.static("/static", STATIC, append_version=False),
    ]


async def _root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/inbox")


def _page(name: str, header: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    body = _with_header((STATIC / f"{name}.html").read_text(encoding="utf-8"), header).encode()

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body, content_type="text/html", charset="utf-8", headers=_HEADERS)

    return handler


def _with_header(page: str, header: str) -> str:
    lines = page.split("\n")
    return "\n".join(header if line.startswith(HEADER_MARKER) else line for line in lines)


_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
