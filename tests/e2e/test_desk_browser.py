"""The case desk in a real headless Chromium (Debian's package, driven by Playwright) against the
whole pipeline as separate processes: an event goes in through ingest's HTTP API and a person
works the case it opens through the pages.

Screenshots of the inbox, the case page (laptop and phone width) and the live feed are written to
``test-output/screenshots/``. Chromium comes from Debian: when it is missing and the tests run as
root, ``apt-get install chromium`` provides it; otherwise the tests fail and say how to get it.
Playwright never downloads a browser here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from services.alert.desk.users import hash_password
from shared.kafka import ensure_topics
from shared.settings import KafkaSettings, RedisSettings
from tests.conftest import REPO, routing_file, unique_kafka_settings
from tests.harness import Webhook, running

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-output" / "screenshots"
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 812}
FEED_WITHIN_S = 2.0

# ASN-0007 heads a division of Dinas Pendidikan (Sleman) and supervises the teachers ASN-0008 and
# ASN-0009; ASN-0011 heads a division of Dinas Kesehatan, a sibling unit.
PASSWORD = "kata-sandi-uji-123"
USERS = [
    ("bu.pendidikan", "supervisor", "ASN-0007", "Kepala Bidang Pendidikan"),
    ("pak.kesehatan", "supervisor", "ASN-0011", "Kepala Bidang Kesehatan"),
    ("ops", "operations", None, "Petugas Operasional"),
]
# Emoji before the match: code-point offsets (the API's) and UTF-16 offsets (JS's) differ by 3.
TEACHER_POST = "🗳️🔥 Ayo coblos Ganjar Mahfud 14 Februari, sat set! 💯 <b>bukan markup</b>"
MONEY_POST = "Bagi-bagi amplop 100rb buat warga yang mau pilih paslon 01 besok ya"
SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1, "none": 0}
SECOND_POST = "Pokoknya dukung Prabowo-Gibran sampai menang 💪🇮🇩"


# --- browser -----------------------------------------------------------------------------------


def chromium_binary() -> str:
    """Debian's chromium, installed with apt-get when missing and running as root."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.geteuid() != 0:
        pytest.fail(
            f"{CHROMIUM} is missing and these tests are not running as root, so they cannot "
            "install it: run `apt-get install chromium` (Debian). Playwright's own browser "
            "download is not used.",
            pytrace=False,
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
    install = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]
        + ["fonts-noto-color-emoji"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium is missing and `apt-get install chromium` did not provide {CHROMIUM} "
            f"(exit {install.returncode}):\n{install.stderr[-2000:]}",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    executable = chromium_binary()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS, headless=True
        )
        yield launched
        await launched.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile per test (no cookies carried over), failing on page errors."""
    ctx = await browser.new_context(viewport=LAPTOP, locale="id-ID", timezone_id="Asia/Jakarta")
    errors: list[str] = []
    outside: list[str] = []
    ctx.on("weberror", lambda e: errors.append(str(e.error)))
    ctx.on("request", lambda r: None if _loopback(r.url) else outside.append(r.url))
    yield ctx
    await ctx.close()
    assert not errors, f"uncaught errors in the pages: {errors}"
    assert not outside, f"the pages asked for something off this machine: {outside}"


def _loopback(url: str) -> bool:
    return url.startswith(("http://127.0.0.1:", "data:", "about:"))


# --- pipeline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Desk:
    ingest: str
    url: str
    webhook: Webhook


@pytest.fixture(scope="module")
def desk_settings(broker: str, redis_url: str) -> Iterator[tuple[KafkaSettings, RedisSettings]]:
    unique = f"desk-{uuid.uuid4().hex[:8]}"
    kafka = unique_kafka_settings(broker, unique)
    redis = RedisSettings(url=redis_url, prefix=f"netral-test:{unique}:")
    yield kafka, redis
    from redis import Redis

    client = Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=redis.prefix + "*"))
    if keys:
        client.unlink(*keys)
    client.close()


@pytest.fixture(scope="module")
async def desk(
    desk_settings: tuple[KafkaSettings, RedisSettings], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Desk]:
    """ingest, classify and alert as processes; the alert service serves the desk."""
    kafka, redis = desk_settings
    folder = tmp_path_factory.mktemp("desk")
    await ensure_topics(kafka)
    async with Webhook() as hook:
        env = _service_env(
            kafka,
            redis,
            NETRAL_ALERT_WEBHOOK_URL=hook.url,
            NETRAL_REF_ROUTING=str(routing_file(folder)),
            NETRAL_ALERT_DESK_USERS=str(_users_file(folder)),
        )
        with ExitStack() as stack:
            ingest = stack.enter_context(running("ingest", env, folder))
            stack.enter_context(running("classify", env, folder))
            alert = stack.enter_context(running("alert", env, folder))
            yield Desk(ingest.url, alert.url, hook)


def _service_env(kafka: KafkaSettings, redis: RedisSettings, **extra: str) -> dict[str, str]:
    from services import runtime

    return runtime.service_env(kafka, redis.url, redis.prefix, **extra)


def _users_file(folder: Path) -> Path:
    hashed = hash_password(PASSWORD)
    users = [
        {"username": name, "role": role, "password": hashed, "display_name": display}
        | ({"employee_id": employee} if employee else {})
        for name, role, employee, display in USERS
    ]
    path = folder / "desk-users.yaml"
    path.write_text(json.dumps({"version": "test", "users": users}))  # JSON is YAML
    return path


async def send_event(desk: Desk, account_id: str, platform: str, text: str) -> str:
    event_id = f"desk-{uuid.uuid4().hex[:12]}"
    body = {
        "event_id": event_id,
        "platform": platform,
        "kind": "post",
        "account_id": account_id,
        "created_at": "2024-01-10T08:00:00+07:00",
        "text": text,
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{desk.ingest}/v1/events", data=orjson.dumps([body])) as response,
    ):
        assert response.status == 200, await response.text()
        assert (await response.json())["results"][0]["status"] == "accepted"
    return event_id


# --- pages -------------------------------------------------------------------------------------


async def log_in(context: BrowserContext, desk: Desk, username: str, then: str = "/inbox") -> Page:
    page = await context.new_page()
    await page.goto(f"{desk.url}{then}")
    await page.wait_for_url("**/login?**")
    await page.get_by_label("Nama pengguna").fill(username)
    await page.get_by_label("Kata sandi").fill(PASSWORD)
    await page.get_by_role("button", name="Masuk").click()
    await page.wait_for_url(f"**{then}")
    return page


async def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


UNLABELLED = """() => [...document.querySelectorAll("input, select, textarea, button, a[href]")]
    .filter((el) => el.getClientRects().length > 0)
    .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim()))
    .map((el) => el.outerHTML.slice(0, 120))"""


async def assert_usable(page: Page) -> None:
    """The landmarks are there and every visible control has a name (a label or its text)."""
    for landmark in ("banner", "navigation", "main"):
        assert await page.get_by_role(landmark).count() >= 1, landmark
    assert await page.evaluate(UNLABELLED) == []


async def api_get(page: Page, url: str) -> tuple[int, Any]:
    """GET with the browser context's own session cookie."""
    response = await page.request.get(url)
    return response.status, await response.json()


async def wait_for_row(page: Page, text: str, within_s: float) -> None:
    """Reload the inbox until a row mentions ``text`` (the inbox does not update by itself)."""
    deadline = time.monotonic() + within_s
    rows = page.locator("tr[data-case]", has_text=text)
    while await rows.count() == 0:
        assert time.monotonic() < deadline, f"no inbox row for {text} within {within_s} s"
        await page.wait_for_timeout(500)
        await page.reload()
        await page.wait_for_selector("#case-list table, #case-list .state")


# --- tests -------------------------------------------------------------------------------------


async def test_supervisor_works_a_case_the_pipeline_just_opened(
    desk: Desk, context: BrowserContext
) -> None:
    page = await log_in(context, desk, "bu.pendidikan")
    await expect(page.locator("#who")).to_contain_text("Kepala Bidang Pendidikan")
    await send_event(desk, "fb-100041150208", "facebook", MONEY_POST)  # older, more severe
    await send_event(desk, "ig-bu.guru.kelas4", "instagram", TEACHER_POST)

    await wait_for_row(page, "ig-bu.guru.kelas4", within_s=30)
    await wait_for_row(page, "fb-100041150208", within_s=10)
    ranks = [
        SEVERITY_RANK[s]
        for s in await page.locator("tr[data-severity]").evaluate_all(
            "rows => rows.map((r) => r.dataset.severity)"
        )
    ]
    assert ranks == sorted(ranks, reverse=True), "the inbox is not most severe first"
    row = page.locator("tr[data-case]", has_text="ig-bu.guru.kelas4")
    await expect(row).to_contain_text("Dukungan partisan")
    await expect(page.locator(".counts a[data-status=open] .n")).not_to_have_text("0")
    await assert_usable(page)
    await shoot(page, "inbox")

    await row.get_by_role("link").click()
    await page.wait_for_url("**/cases/**")
    case_id = page.url.rsplit("/", 1)[1]
    quote = page.locator("blockquote.evidence-text").first
    await expect(quote).to_contain_text("<b>bukan markup</b>")  # shown as text, never as markup
    assert await quote.locator("b").count() == 0
    marks = await quote.locator("mark").all_text_contents()
    assert "coblos" in marks, marks  # the code-point offsets landed on the right characters
    assert "".join(await quote.all_text_contents()) == TEACHER_POST
    await expect(page.locator(".rules")).to_contain_text("PS-ENDORSE")
    await expect(page.locator("#case-head")).to_contain_text("Sedang")
    await desk.webhook.want(1, within_s=15)
    await page.reload()
    await expect(page.locator("#notified li").first).to_be_visible()
    await assert_usable(page)
    await shoot(page, "case")
    await page.set_viewport_size(PHONE)
    await shoot(page, "case-phone")
    await page.set_viewport_size(LAPTOP)

    await page.get_by_label("Komentar").fill("Sudah saya terima, saya periksa dulu.")
    await page.keyboard.press("Tab")  # from the comment straight to the first action, by keyboard
    await expect(page.get_by_role("button", name="Akui")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#action-status")).to_contain_text("Tersimpan")
    await expect(page.locator("#case-head")).to_contain_text("Diakui")

    await page.get_by_label("Selesaikan sebagai").select_option("false_positive")
    await page.get_by_role("button", name="Selesaikan", exact=True).click()
    await expect(page.locator("#action-error")).to_contain_text("wajib")  # comment required
    await page.get_by_label("Komentar").fill("Unggahan ulang berita, bukan ajakan memilih.")
    await page.get_by_role("button", name="Selesaikan", exact=True).click()
    await expect(page.locator("#case-head")).to_contain_text("Selesai")
    await expect(page.locator("#summary")).to_contain_text("Salah deteksi")
    timeline = page.locator("#timeline li")
    await expect(timeline.filter(has_text="diakui")).to_contain_text("bu.pendidikan")
    await expect(timeline.filter(has_text="diselesaikan")).to_contain_text("bukan ajakan")

    status, body = await api_get(page, f"{desk.url}/api/v1/cases/{case_id}")
    assert status == 200
    assert (body["status"], body["outcome"]) == ("resolved", "false_positive")
    assert [e["by"] for e in body["timeline"] if e["action"] == "resolved"] == ["bu.pendidikan"]


async def test_live_feed_shows_a_new_case_within_two_seconds_and_not_to_other_units(
    desk: Desk, browser: Browser, context: BrowserContext
) -> None:
    ops = await log_in(context, desk, "ops", then="/feed")
    other_context = await browser.new_context(viewport=LAPTOP)
    own_context = await browser.new_context(viewport=LAPTOP)
    try:
        other = await log_in(other_context, desk, "pak.kesehatan", then="/feed")
        own = await log_in(own_context, desk, "bu.pendidikan")  # the inbox, left open
        for page in (ops, other):
            await expect(page.locator("#connection.live")).to_be_visible(timeout=10_000)
        await expect(own.locator("body[data-stream=live]")).to_have_count(1, timeout=10_000)
        await send_event(desk, "x-1480077", "x", "Pemanasan: selamat pagi")  # warm every hop
        await ops.wait_for_timeout(1500)

        started = time.monotonic()
        await send_event(desk, "fb-100041150209", "facebook", SECOND_POST)
        fresh = ops.locator("#feed li.fresh", has_text="ASN-0009")
        await fresh.first.wait_for(timeout=10_000)
        delay = time.monotonic() - started
        _record("feed_delay_s", round(delay, 3))
        assert delay < FEED_WITHIN_S, f"the feed showed the case after {delay:.2f} s"
        rate = ops.locator("[data-metric=events_per_s] dd")
        await expect(rate).to_have_text(re.compile(r"^\d"), timeout=15_000)  # two samples taken
        await assert_usable(ops)
        await shoot(ops, "feed")

        case_id = await fresh.first.get_attribute("data-case")
        arrived = own.locator("#arrived")  # the open inbox says so, and shows it when asked
        await expect(arrived).to_be_visible(timeout=5_000)
        await arrived.click()
        await expect(own.locator(f'tr[data-case="{case_id}"]')).to_be_visible()
        await other.wait_for_timeout(1000)
        assert await other.locator(f'#feed li[data-case="{case_id}"]').count() == 0
        await other.goto(f"{desk.url}/inbox?status=")
        await other.wait_for_selector("#case-list table, #case-list .state")
        assert await other.locator(f'tr[data-case="{case_id}"]').count() == 0
        await other.goto(f"{desk.url}/cases/{case_id}")
        await expect(other.locator(".state.error")).to_be_visible()
        assert await other.locator("blockquote.evidence-text").count() == 0
        status, _ = await api_get(other, f"{desk.url}/api/v1/cases/{case_id}")
        assert status == 403
    finally:
        await other_context.close()
        await own_context.close()


async def test_inbox_at_phone_width_and_in_english(desk: Desk, context: BrowserContext) -> None:
    page = await log_in(context, desk, "bu.pendidikan")
    await page.get_by_label("Bahasa").select_option("en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    await page.goto(f"{desk.url}/inbox?status=")
    await page.wait_for_selector("#case-list table")
    await page.set_viewport_size(PHONE)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the inbox scrolls sideways at 375 px ({width} px wide)"
    await shoot(page, "inbox-phone")
    await page.keyboard.press("Tab")
    await expect(page.locator(".skip")).to_be_focused()


def _record(name: str, value: float) -> None:
    path = REPO / "test-output" / "desk-measurements.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = value
    path.write_text(json.dumps(data, indent=2) + "\n")


async def test_operations_silence_and_expire_supervisors_only_read(
    desk: Desk, browser: Browser, context: BrowserContext
) -> None:
    page = await log_in(context, desk, "ops", then="/silences")
    await page.get_by_label("Pencocok").fill("hoax")
    await page.get_by_label("Alasan").fill("Klarifikasi hoaks sedang berjalan")
    await page.get_by_role("button", name="Buat senyap").click()
    await expect(page.locator("#s-error")).to_contain_text("nama=nilai")
    await page.get_by_label("Pencocok").fill("category=hoax\nunit=pemkab-sleman/dinas-pendidikan")
    await page.get_by_role("button", name="Buat senyap").click()
    await expect(page.locator("#silence-status")).to_contain_text("Senyap dibuat")
    entry = page.locator("#silences li", has_text="Klarifikasi hoaks")
    await expect(entry).to_contain_text("category=hoax")
    await assert_usable(page)
    await shoot(page, "silences")
    await entry.get_by_role("button", name="Akhiri").click()
    await expect(page.locator("#silence-status")).to_contain_text("diakhiri")
    await expect(entry.get_by_role("button")).to_have_count(0)

    reader_context = await browser.new_context(viewport=LAPTOP)
    try:
        reader = await log_in(reader_context, desk, "bu.pendidikan", then="/silences")
        await expect(reader.locator("#main")).to_contain_text("Hanya petugas operasional")
        await expect(reader.locator("#silence-form")).to_have_count(0)
    finally:
        await reader_context.close()


async def test_highlights_are_cut_on_code_points(desk: Desk, context: BrowserContext) -> None:
    """The API counts code points; JS strings are UTF-16. Emoji, flags and joiners must not
    shift a highlight, overlaps merge, and bad offsets are clamped rather than trusted."""
    page = await context.new_page()
    await page.goto(f"{desk.url}/login")
    cases = [
        (
            "🗳️🔥 coblos",
            [{"start": 4, "end": 10, "rule_id": "a"}],
            [("🗳️🔥 ", []), ("coblos", ["a"])],
        ),
        (
            "👨‍👩‍👧 dukung 02",
            [{"start": 6, "end": 12, "rule_id": "a"}, {"start": 9, "end": 15, "rule_id": "b"}],
            [("👨‍👩‍👧 ", []), ("duk", ["a"]), ("ung", ["a", "b"]), (" 02", ["b"])],
        ),
        (
            "🇮🇩ok",
            [{"start": 2, "end": 99, "rule_id": "a"}, {"start": 3, "end": 1, "rule_id": "x"}],
            [("🇮🇩", []), ("ok", ["a"])],
        ),
    ]
    for text, spans, want in cases:
        got = await page.evaluate(
            """async ([text, spans]) => {
                const { segments } = await import("/static/highlight.js");
                return segments(text, spans).map((s) => [s.text, s.rules]);
            }""",
            [text, spans],
        )
        assert [tuple(g) for g in got] == [(t, r) for t, r in want], text
