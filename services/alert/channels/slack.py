"""Slack incoming webhook (or a Slack-compatible one): a Block Kit message with a one-line ``text``
fallback for notifications and clients that do not show blocks."""

from __future__ import annotations

from typing import Any

import aiohttp

from services.alert.channels.base import Delivery, Notification
from services.alert.channels.render import Facts, Span, facts
from shared import codec

ZWSP = "\u200b"
SECTION_LIMIT = 3000  # Slack rejects a longer section text with 400 invalid_blocks


def escape(text: str) -> str:
    """Slack's three control characters; ``<`` and ``>`` would otherwise make links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message(facts: Facts) -> dict[str, Any]:
    button = {"type": "plain_text", "text": "Open case"}
    return {
        "text": escape(facts.headline),
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": f"{facts.severity} · {facts.category}"},
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": _section(facts)}},
            {
                "type": "actions",
                "elements": [{"type": "button", "text": button, "url": facts.link}],
            },
        ],
    }


def _section(facts: Facts) -> str:
    lines = [f"*Who:* {escape(facts.who)}", f"*What:* {escape(facts.what)}"]
    if facts.excerpt:
        lines.append(f"*Why:* “{emphasise(facts.excerpt)}” ({escape(facts.field)})")
    lines += [f"*Rule:* {escape(rule)}" for rule in facts.rules]
    recipients = escape(", ".join(facts.recipients) or "-")
    lines.append(f"*Count:* {facts.count}   *Recipients:* {recipients}")
    text = "\n".join(lines)
    # Clipped rather than rejected: a 400 is not retried, so the alert would be lost.
    return text if len(text) <= SECTION_LIMIT else text[: SECTION_LIMIT - 1] + "…"


def emphasise(spans: tuple[Span, ...]) -> str:
    """The excerpt in mrkdwn, matched spans in ``*bold*``.

    Slack only opens and closes bold next to a non-word character, so a span inside a word (a
    match within a hashtag) is fenced with zero-width spaces.
    """
    out: list[str] = []
    for i, span in enumerate(spans):
        text = escape(span.text)
        if span.emphasised:
            before = i > 0 and spans[i - 1].text[-1:].isalnum()
            after = i + 1 < len(spans) and spans[i + 1].text[:1].isalnum()
            text = (ZWSP if before else "") + f"*{text}*" + (ZWSP if after else "")
        out.append(text)
    return "".join(out)


class SlackChannel:
    name = "slack"

    def __init__(self, url: str, timeout_s: float) -> None:
        self.url = url
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    async def send(self, notification: Notification) -> Delivery:
        body = codec.encode(message(facts(notification)))
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        try:
            async with self._session.post(
                self.url, data=body, headers={"Content-Type": "application/json"}
            ) as response:
                if response.status < 300:
                    return Delivery(ok=True)
                detail = (await response.text(errors="replace"))[:200]
                wait = response.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Delivery(False, True, self._scrub(repr(exc)))
        retryable = response.status >= 500 or response.status == 429
        reason = f"HTTP {response.status}: {detail}" + (f" (retry after {wait}s)" if wait else "")
        return Delivery(False, retryable, self._scrub(reason))

    def _scrub(self, reason: str) -> str:
        """The webhook URL is the credential; an error naming it must not carry it into a log."""
        return reason.replace(self.url, "<slack webhook url>")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
