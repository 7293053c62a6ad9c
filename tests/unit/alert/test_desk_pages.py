"""The case desk's pages as files: every page is served with its security headers, every asset a
page names exists, nothing points off the machine, and both languages have every string."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from services.alert.desk.pages import PAGES, STATIC, page_routes

PATHS = {"login": "/login", "inbox": "/inbox", "case": "/cases/abc123", "feed": "/feed"}
PATHS["silences"] = "/silences"


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    app = web.Application()
    app.add_routes(page_routes())
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


@pytest.mark.parametrize("page", PAGES)
async def test_each_page_is_its_shell_with_a_strict_policy(client: TestClient, page: str) -> None:
    response = await client.get(PATHS[page])
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    body = await response.text()
    assert f'src="/static/{page}.js"' in body
    assert 'class="skip" href="#main"' in body and 'id="main"' in body


async def test_root_goes_to_the_inbox(client: TestClient) -> None:
    response = await client.get("/", allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (302, "/inbox")


async def test_every_asset_a_page_or_module_names_is_served(client: TestClient) -> None:
    named = set()
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        named |= set(re.findall(r'(?:href|src)="(/static/[^"]+)"', text))
        named |= {f"/static/{m}" for m in re.findall(r'from "\./([\w.]+\.js)"', text)}
    assert len(named) > 8
    for url in sorted(named):
        assert (await client.get(url)).status == 200, url


def test_nothing_is_fetched_from_outside() -> None:
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"https?://|//[a-z0-9-]+\.[a-z]{2,}/", text), path.name


def test_no_page_turns_strings_into_markup() -> None:
    for path in STATIC.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{path.name} uses {sink}"


def test_indonesian_and_english_have_the_same_strings() -> None:
    source = (STATIC / "i18n.js").read_text(encoding="utf-8")
    blocks = re.split(r"^  (id|en): \{$", source, flags=re.M)
    keys = {blocks[i]: set(re.findall(r'^    "([\w.]+)":', blocks[i + 1], re.M)) for i in (1, 3)}
    assert keys["id"] and keys["id"] == keys["en"], keys["id"] ^ keys["en"]
    used = set()
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'data-i18n="([\w.]+)"', text))
        used |= set(re.findall(r'\bt\("([\w.]+)"', text))
    assert used <= keys["id"], used - keys["id"]
