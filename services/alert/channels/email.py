"""E-mail over SMTP: one message per notification, plain text with an HTML alternative, sent with
the stdlib ``smtplib`` in a worker thread (STARTTLS first when asked, then AUTH when credentials
are given). Reply codes sort the failures: 4xx and lost connections may pass, 5xx will not."""

from __future__ import annotations

import asyncio
import html
import re
import smtplib
import ssl
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from services.alert.channels.base import Delivery, Notification
from services.alert.channels.render import Facts, facts, mark


def compose(
    facts: Facts, sender: str, recipients: Sequence[str], delivery_id: str = ""
) -> EmailMessage:
    """The message; a ``delivery_id`` makes the Message-ID, so a retried send is one message."""
    message = EmailMessage()
    message["Subject"] = facts.headline
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = _message_id(delivery_id, _domain(sender))
    message.set_content(plain_text(facts))
    message.add_alternative(html_text(facts), subtype="html")
    return message


def plain_text(facts: Facts) -> str:
    rows = _rows(facts, mark(facts.excerpt, str, "*", "*"), str)
    lines = [facts.headline, ""] + [f"{label + ':':<12}{value}" for label, value in rows]
    return "\n".join([*lines, f"{'Case:':<12}{facts.link}", ""])


def html_text(facts: Facts) -> str:
    esc = html.escape
    rows = _rows(facts, mark(facts.excerpt, esc, "<b>", "</b>"), esc)
    cells = "".join(
        f'<tr><th align="left" valign="top">{label}</th><td>{value}</td></tr>'
        for label, value in rows
    )
    return (
        "<!doctype html><html><body>"
        f"<h3>{esc(facts.severity)} · {esc(facts.category)}</h3><table>{cells}</table>"
        f'<p><a href="{esc(facts.link)}">Open case {esc(facts.case_id)}</a></p>'
        "</body></html>\n"
    )


def _rows(facts: Facts, quote: str, escape: Callable[[str], str]) -> list[tuple[str, str]]:
    rows = [("Who", escape(facts.who)), ("What", escape(facts.what))]
    if facts.excerpt:
        rows.append(("Why", f"“{quote}” ({escape(facts.field)})"))
    rows += [("Rule", escape(rule)) for rule in facts.rules]
    rows += [
        ("Severity", facts.severity),
        ("Count", str(facts.count)),
        ("Recipients", escape(", ".join(facts.recipients) or "-")),
    ]
    return rows


def failure(exc: Exception) -> Delivery:
    """Sort an SMTP failure: a 4xx reply or a lost connection is retryable, a 5xx is not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return Delivery(False, any(c < 500 for c in codes), f"recipients refused: {codes}")
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
        return Delivery(False, exc.smtp_code < 500, f"SMTP {exc.smtp_code}: {text}")
    # Neither comes right by itself: the server lacks STARTTLS or its certificate is not trusted.
    permanent = isinstance(exc, smtplib.SMTPNotSupportedError | ssl.SSLCertVerificationError)
    return Delivery(False, not permanent, repr(exc))


class EmailChannel:
    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        recipients: Sequence[str],
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout_s: float = 10.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if not recipients:
            raise ValueError("the email channel needs at least one recipient")
        self.host, self.port, self.sender = host, port, sender
        self.recipients = tuple(recipients)
        self.starttls, self.timeout_s = starttls, timeout_s
        self._credentials: tuple[str, str] | None = None
        if username is not None and password is not None:
            self._credentials = (username, password)
        self._tls = tls_context if tls_context is not None else ssl.create_default_context()

    async def send(self, notification: Notification) -> Delivery:
        message = compose(
            facts(notification), self.sender, self.recipients, notification.delivery_id
        )
        try:
            refused = await asyncio.to_thread(self._send, message)
        except (OSError, smtplib.SMTPException) as exc:
            return failure(exc)
        if refused:  # accepted for the others; a retry would repeat it to them
            return Delivery(True, False, f"recipients refused: {sorted(refused)}")
        return Delivery(ok=True)

    def _send(self, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls(context=self._tls)
            if self._credentials is not None:
                smtp.login(*self._credentials)
            return smtp.send_message(message, parseaddr(self.sender)[1], list(self.recipients))

    async def close(self) -> None:
        return None


def _message_id(delivery_id: str, domain: str) -> str:
    if not delivery_id:
        return make_msgid(domain=domain)
    return f"<{re.sub(r'[^A-Za-z0-9._-]', '.', delivery_id)}@{domain}>"


def _domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "netral.invalid"
