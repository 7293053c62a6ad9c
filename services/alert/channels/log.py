"""The log channel: one human-readable line per notification on stdout, for operators watching."""

from __future__ import annotations

import sys

from services.alert.channels.base import Delivery, Notification


class LogChannel:
    name = "log"

    async def send(self, notification: Notification) -> Delivery:
        case = notification.change.case
        to = ",".join(notification.recipients) or "-"
        self._write(
            f"ALERT [{case.severity}] {case.category} account={case.account_id} "
            f"count={case.count} to={to} | {notification.summary} | {notification.link}"
        )
        return Delivery(ok=True)

    async def notice(self, text: str) -> Delivery:
        self._write(f"NOTICE {text}")
        return Delivery(ok=True)

    def _write(self, line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    async def close(self) -> None:
        return None
