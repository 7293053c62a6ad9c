"""The case desk's pages: plain HTML shells and static assets served by the alert service.

Every page is the same small shell; the browser module for the page (``static/<page>.js``) fetches
the JSON API and builds the DOM from text nodes, so nothing from an event ever becomes markup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).parent / "static"
PAGES = ("login", "inbox", "case", "feed", "silences")


def page_routes() -> list[web.AbstractRouteDef]:
    """The routes for /, /login, /inbox, /cases/{case_id}, /feed, /silences and /static/."""
    return [
        web.get("/", _root),
        web.get("/login", _page("login")),
        web.get("/inbox", _page("inbox")),
        web.get("/cases/{case_id}", _page("case")),
        web.get("/feed", _page("feed")),
        web.get("/silences", _page("silences")),
        web.static("/static", STATIC, append_version=False),
    ]


async def _root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/inbox")


def _page(name: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / f"{name}.html", headers=_HEADERS)

    return handler


_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
