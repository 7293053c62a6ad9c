"""The Slack, Telegram and e-mail channels against real servers on loopback: what arrives, and how
each answer or failure is sorted into ok, retryable or not."""

from __future__ import annotations

import dataclasses
import email
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from services.alert.channels.base import Notification
from services.alert.channels.email import EmailChannel
from services.alert.channels.slack import SlackChannel
from services.alert.channels.telegram import TelegramChannel
from shared import codec, embedded
from shared.schema import CaseChange
from tests.conftest import EXAMPLES
from tests.harness import Webhook
from tests.unit.alert.test_channel_render import EVIDENCE

pytestmark = pytest.mark.integration
TOKEN = "123456:SECRET-token-value"
CHAT = -1001234
USER, PASSWORD = "netral", "s3cret"
RECIPIENTS = ("supervisor:ASN-0001", "hr:pemkab-sleman")


@pytest.fixture
def notification() -> Notification:
    raw = (EXAMPLES / "netral.cases" / "v1" / "opened-post-partisan.json").read_bytes()
    # Fixed evidence, so these tests follow the channels and not the classifier's current rules.
    change = codec.decode(raw, CaseChange)
    change = dataclasses.replace(change, case=dataclasses.replace(change.case, evidence=EVIDENCE))
    link = f"https://desk.example/cases/{change.case_id}"
    return Notification(change, RECIPIENTS, link, "summary")


# Slack


async def test_slack_posts_blocks(notification: Notification) -> None:
    async with Webhook() as hook:
        channel = SlackChannel(hook.url, timeout_s=5)
        delivery = await channel.send(notification)
        await channel.close()
    assert delivery.ok, delivery.reason
    headers, raw = hook.requests[0]
    body = orjson.loads(raw)
    assert headers["Content-Type"] == "application/json"
    assert body["text"] == "[Netral][MEDIUM] partisan_support — ASN-0007 (x1)"
    header, section, actions = body["blocks"]
    assert header["text"] == {"type": "plain_text", "text": "MEDIUM · partisan_support"}
    assert section["text"]["type"] == "mrkdwn"
    assert "mantap *dukung* *Prabowo*-Gibran" in section["text"]["text"]
    assert "*Rule:* PS-ENDORSE: SKB 2022 Lampiran II no. 2" in section["text"]["text"]
    assert "hr:pemkab-sleman" in section["text"]["text"]
    assert actions["elements"][0]["url"] == notification.link


@pytest.mark.parametrize(("status", "retryable"), [(500, True), (429, True), (400, False)])
async def test_slack_sorts_failures(
    notification: Notification, status: int, retryable: bool
) -> None:
    async with Webhook(status=status) as hook:
        channel = SlackChannel(hook.url, timeout_s=5)
        delivery = await channel.send(notification)
        await channel.close()
    assert (delivery.ok, delivery.retryable) == (False, retryable)
    assert f"HTTP {status}" in delivery.reason


async def test_slack_unreachable_is_retryable(notification: Notification) -> None:
    url = f"http://127.0.0.1:{embedded.free_port()}/services/T0/B0/XYZsecret"
    channel = SlackChannel(url, timeout_s=5)
    delivery = await channel.send(notification)
    await channel.close()
    assert (delivery.ok, delivery.retryable) == (False, True)
    assert "XYZsecret" not in delivery.reason


# Telegram


class FakeTelegram:
    """``/bot<token>/sendMessage`` answering like the Bot API: 401 for another token, 400 for an
    unknown chat or a missing parse mode, else the scripted answer."""

    def __init__(self, status: int = 200, answer: dict[str, Any] | None = None) -> None:
        self.status = status
        self.answer = answer or {"ok": True, "result": {"message_id": 1}}
        self.received: list[dict[str, Any]] = []
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_post("/bot{token}/sendMessage", self._send_message)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        port = embedded.free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _send_message(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return _error(401, "Unauthorized")
        body = await request.json()
        self.received.append(body)
        if body.get("chat_id") != CHAT:
            return _error(400, "Bad Request: chat not found")
        if body.get("parse_mode") != "HTML":
            return _error(400, "Bad Request: parse_mode must be HTML here")
        return web.json_response(self.answer, status=self.status)


def _error(code: int, description: str) -> web.Response:
    answer = {"ok": False, "error_code": code, "description": description}
    return web.json_response(answer, status=code)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


async def send_telegram(
    server: FakeTelegram, notification: Notification, token: str = TOKEN, chat: int = CHAT
) -> Any:
    channel = TelegramChannel(token, chat, base_url=server.base_url, timeout_s=5)
    try:
        return await channel.send(notification)
    finally:
        await channel.close()


async def test_telegram_sends_html(telegram: FakeTelegram, notification: Notification) -> None:
    delivery = await send_telegram(telegram, notification)
    assert delivery.ok, delivery.reason
    body = telegram.received[0]
    assert body["disable_web_page_preview"] is True
    assert body["text"].startswith("<b>MEDIUM · partisan_support</b>\n")
    assert "mantap <b>dukung</b> <b>Prabowo</b>-Gibran" in body["text"]
    assert f'<a href="{notification.link}">' in body["text"]


async def test_telegram_flood_control_is_retryable(
    telegram: FakeTelegram, notification: Notification
) -> None:
    telegram.status = 429
    telegram.answer = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    delivery = await send_telegram(telegram, notification)
    assert (delivery.ok, delivery.retryable) == (False, True)
    assert "retry after 7s" in delivery.reason


@pytest.mark.parametrize(
    ("token", "chat", "reason"),
    [(TOKEN, 42, "chat not found"), ("999:other-token", CHAT, "401: Unauthorized")],
)
async def test_telegram_client_errors_are_final(
    telegram: FakeTelegram, notification: Notification, token: str, chat: int, reason: str
) -> None:
    delivery = await send_telegram(telegram, notification, token, chat)
    assert (delivery.ok, delivery.retryable) == (False, False)
    assert reason in delivery.reason


async def test_telegram_unreachable_hides_the_token(notification: Notification) -> None:
    channel = TelegramChannel(TOKEN, CHAT, f"http://127.0.0.1:{embedded.free_port()}", 5)
    delivery = await channel.send(notification)
    await channel.close()
    assert (delivery.ok, delivery.retryable) == (False, True)
    assert TOKEN not in delivery.reason and "SECRET" not in delivery.reason


# E-mail


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1, trusted by the client's TLS context."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        + ["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key)]
        + ["-out", str(cert), "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


class Mailbox:
    """The SMTP server's DATA handler: keeps every message, or answers with ``reply``."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []
        self.reply = "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=policy.default)
        self.messages.append((envelope, parsed))
        return self.reply


def authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@pytest.fixture
def smtp_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Controller, Mailbox]]:
    """STARTTLS required before AUTH, AUTH required before MAIL."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=embedded.free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    yield controller, mailbox
    controller.stop()


def email_channel(
    port: int, certificate: tuple[Path, Path], password: str = PASSWORD, starttls: bool = True
) -> EmailChannel:
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    return EmailChannel(
        "127.0.0.1",
        port,
        "Netral <alerts@netral.example>",
        ["bkd@pemkab.example", "atasan@pemkab.example"],
        username=USER,
        password=password,
        starttls=starttls,
        timeout_s=5,
        tls_context=trust,
    )


async def test_email_over_starttls_with_auth(
    smtp_server: tuple[Controller, Mailbox],
    certificate: tuple[Path, Path],
    notification: Notification,
) -> None:
    controller, mailbox = smtp_server
    delivery = await email_channel(controller.port, certificate).send(notification)
    assert delivery.ok, delivery.reason
    envelope, message = mailbox.messages[0]
    assert envelope.mail_from == "alerts@netral.example"
    assert envelope.rcpt_tos == ["bkd@pemkab.example", "atasan@pemkab.example"]
    assert message["Subject"] == "[Netral][MEDIUM] partisan_support — ASN-0007 (x1)"
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and rich is not None
    assert "mantap *dukung* *Prabowo*-Gibran" in plain.get_content()
    assert "mantap <b>dukung</b> <b>Prabowo</b>-Gibran" in rich.get_content()
    assert notification.link in plain.get_content() and notification.link in rich.get_content()


@pytest.mark.parametrize(("reply", "retryable"), [("451 4.3.0 try later", True), ("554 no", False)])
async def test_email_reply_codes_are_sorted(
    smtp_server: tuple[Controller, Mailbox],
    certificate: tuple[Path, Path],
    notification: Notification,
    reply: str,
    retryable: bool,
) -> None:
    controller, mailbox = smtp_server
    mailbox.reply = reply
    delivery = await email_channel(controller.port, certificate).send(notification)
    assert (delivery.ok, delivery.retryable) == (False, retryable)
    assert delivery.reason.startswith(f"SMTP {reply[:3]}")


async def test_email_wrong_password_is_final(
    smtp_server: tuple[Controller, Mailbox],
    certificate: tuple[Path, Path],
    notification: Notification,
) -> None:
    controller, _ = smtp_server
    channel = email_channel(controller.port, certificate, password="wrong")
    delivery = await channel.send(notification)
    assert (delivery.ok, delivery.retryable) == (False, False)
    assert delivery.reason.startswith("SMTP 535")
    assert "wrong" not in delivery.reason


async def test_email_without_starttls_is_refused_before_auth(
    smtp_server: tuple[Controller, Mailbox],
    certificate: tuple[Path, Path],
    notification: Notification,
) -> None:
    controller, mailbox = smtp_server
    channel = email_channel(controller.port, certificate, starttls=False)
    delivery = await channel.send(notification)
    assert (delivery.ok, delivery.retryable) == (False, False)
    assert not mailbox.messages


async def test_email_server_down_is_retryable(
    certificate: tuple[Path, Path], notification: Notification
) -> None:
    delivery = await email_channel(embedded.free_port(), certificate).send(notification)
    assert (delivery.ok, delivery.retryable) == (False, True)
