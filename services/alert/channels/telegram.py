"""Telegram Bot API ``sendMessage`` in HTML parse mode, to one chat (a group, or a channel by
``@name``). The bot token is a credential: it is in the request path and in no reason."""

from __future__ import annotations

import html
from dataclasses import dataclass

import aiohttp

from services.alert.channels.base import Delivery, Notification
from services.alert.channels.render import Facts, facts, mark
from shared import codec
from shared.errors import InvalidMessage


@dataclass(frozen=True, slots=True)
class Parameters:
    retry_after: int | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """The Bot API's reply envelope; ``result`` is not needed and is ignored."""

    ok: bool
    error_code: int | None = None
    description: str = ""
    parameters: Parameters | None = None


def message(facts: Facts) -> str:
    esc = html.escape
    lines = [
        f"<b>{esc(facts.severity)} · {esc(facts.category)}</b>",
        f"<b>Who:</b> {esc(facts.who)}",
        f"<b>What:</b> {esc(facts.what)}",
    ]
    if facts.excerpt:
        quote = mark(facts.excerpt, esc, "<b>", "</b>")
        lines.append(f"<b>Why:</b> “{quote}” ({esc(facts.field)})")
    lines += [f"<b>Rule:</b> {esc(rule)}" for rule in facts.rules]
    lines.append(f"<b>Count:</b> {facts.count}")
    lines.append(f"<b>Recipients:</b> {esc(', '.join(facts.recipients) or '-')}")
    lines.append(f'<a href="{esc(facts.link)}">Open case {esc(facts.case_id)}</a>')
    return "\n".join(lines)


def delivery(status: int, answer: Answer | None) -> Delivery:
    """Sort a reply: ok, retryable (429 flood control, 5xx) or not (any other error)."""
    if answer is not None and answer.ok and status < 300:
        return Delivery(ok=True)
    code = answer.error_code if answer and answer.error_code else status
    reason = f"telegram {code}: {answer.description if answer else 'no JSON answer'}"
    wait = answer.parameters.retry_after if answer and answer.parameters else None
    if wait is not None:
        reason += f" (retry after {wait}s)"
    return Delivery(False, code == 429 or code >= 500, reason)


class TelegramChannel:
    name = "telegram"

    def __init__(
        self,
        token: str,
        chat_id: int | str,
        base_url: str = "https://api.telegram.org",
        timeout_s: float = 10.0,
    ) -> None:
        self.chat_id = chat_id
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._token = token
        self._url = f"{base_url.rstrip('/')}/bot{token}/sendMessage"
        self._session: aiohttp.ClientSession | None = None

    async def send(self, notification: Notification) -> Delivery:
        body = codec.encode(
            {
                "chat_id": self.chat_id,
                "text": message(facts(notification)),
                "parse_mode": "HTML",
                "disable_web_page_preview": True,
            }
        )
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        try:
            async with self._session.post(
                self._url, data=body, headers={"Content-Type": "application/json"}
            ) as response:
                status, raw = response.status, await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Delivery(False, True, self._scrub(repr(exc)))
        result = delivery(status, _answer(raw))
        return Delivery(result.ok, result.retryable, self._scrub(result.reason))

    def _scrub(self, reason: str) -> str:
        return reason.replace(self._token, "<token>") if self._token else reason

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _answer(raw: bytes) -> Answer | None:
    try:
        return codec.decode(raw, Answer)
    except InvalidMessage:  # a proxy's HTML error page, say
        return None
