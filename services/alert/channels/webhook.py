"""Generic JSON webhook. The body is the notification as JSON; when a secret is set, the request
carries ``X-Netral-Timestamp`` and ``X-Netral-Signature: sha256=<hex HMAC of "ts.body">``."""

from __future__ import annotations

import hashlib
import hmac
import time

import aiohttp

from services.alert.channels.base import Delivery, Notification
from shared import codec


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    return (
        "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    )


class WebhookChannel:
    name = "webhook"

    def __init__(self, url: str, secret: bytes | None, timeout_s: float) -> None:
        self.url = url
        self.secret = secret
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    async def send(self, notification: Notification) -> Delivery:
        body = codec.encode(
            {
                "version": "netral.notification/1",
                "summary": notification.summary,
                "link": notification.link,
                "recipients": notification.recipients,
                "action": notification.change.action,
                "case": notification.change.case,
            }
        )
        return await self._post(body, notification.delivery_id)

    async def notice(self, text: str) -> Delivery:
        """An operational notice that is not about one case (e.g. a silence expired)."""
        return await self._post(codec.encode({"version": "netral.notice/1", "text": text}), "")

    async def _post(self, body: bytes, delivery_id: str) -> Delivery:
        headers = {"Content-Type": "application/json"}
        if delivery_id:
            headers["X-Netral-Delivery"] = delivery_id
        if self.secret is not None:
            timestamp = str(int(time.time()))
            headers["X-Netral-Timestamp"] = timestamp
            headers["X-Netral-Signature"] = sign(self.secret, timestamp, body)
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        try:
            async with self._session.post(self.url, data=body, headers=headers) as response:
                if response.status < 300:
                    return Delivery(ok=True)
                # 5xx and 429 are the receiver's trouble and may pass; other 4xx will not.
                retryable = response.status >= 500 or response.status == 429
                return Delivery(False, retryable, f"HTTP {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Delivery(False, True, repr(exc))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
