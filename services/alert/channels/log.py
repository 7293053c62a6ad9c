"""The log channel: one human-readable line per notification on stdout, for operators watching."""

from __future__ import annotations

import sys

from services.alert.channels.base import Delivery, Notification


class LogChannel:
    name = "log"

    async def send(self, notification: Notification) -> Delivery:
        change = notification.change
        line = (
            f"ALERT [{change.severity}] {change.category} account={change.account_id} "
            f"count={change.count} to={','.join(notification.recipients) or '-'} "
            f"| {notification.summary} | {notification.link}\n"
        )
        sys.stdout.write(line)
        sys.stdout.flush()
        return Delivery(ok=True)

    async def close(self) -> None:
        return None
