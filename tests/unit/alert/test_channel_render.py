"""What the human channels show: the facts taken from a notification, the matched span emphasised,
hostile text escaped for each format, and the one-line subject."""

from __future__ import annotations

import dataclasses
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest

from services.alert.channels import email, slack, telegram
from services.alert.channels.base import Notification
from services.alert.channels.render import Span, excerpt_spans, facts, headline, mark
from shared import codec
from shared.schema import AsnRef, CaseChange, Evidence
from tests.conftest import EXAMPLES

RECIPIENTS = ("supervisor:ASN-0001", "hr:pemkab-sleman")
LINK = "https://desk.example/cases/5d543f05f1b6c7483ccd829d"
HOSTILE = "<script>alert(1)</script> & <!channel> dukung <b>x</b>"


def notification(**case: Any) -> Notification:
    raw = (EXAMPLES / "netral.cases" / "v1" / "opened-post-partisan.json").read_bytes()
    change = codec.decode(raw, CaseChange)
    change = dataclasses.replace(change, case=dataclasses.replace(change.case, **case))
    return Notification(change, RECIPIENTS, LINK, "")


def evidence(excerpt: str, match: str, start: int, field: str = "text") -> Evidence:
    end = start + len(match)
    return Evidence("partisan_support", "PS-X", field, start, end, match, excerpt, "SKB", 0.8)


def emphasised(spans: tuple[Span, ...]) -> list[str]:
    return [s.text for s in spans if s.emphasised]


TEXT = "Bismillah, sudah mantap dukung Prabowo-Gibran sampai menang!! ✌️"
EVIDENCE = (
    Evidence(
        "partisan_support",
        "PS-ENDORSE",
        "text",
        24,
        30,
        "dukung",
        TEXT,
        "SKB 2022 Lampiran II no. 2; ikrar netralitas poin 2",
        0.8,
    ),
    Evidence(
        "partisan_support",
        "PS-ENDORSE",
        "text",
        31,
        38,
        "Prabowo",
        TEXT,
        "SKB 2022 Lampiran II no. 2; ikrar netralitas poin 2",
        0.8,
    ),
    Evidence(
        "partisan_support",
        "PS-SLOGAN-TAG",
        "hashtags[0]",
        1,
        18,
        "PrabowoGibran2024",
        "#PrabowoGibran2024",
        "SKB 2022 Lampiran II no. 2",
        0.7,
    ),
)


def test_facts_of_the_example() -> None:
    got = facts(notification(evidence=EVIDENCE))
    assert got.headline == "[Netral][MEDIUM] partisan_support — ASN-0007 (x1)"
    assert got.who == "ASN-0007, pemkab-sleman/dinas-pendidikan (account x-1480021)"
    assert emphasised(got.excerpt) == ["dukung", "Prabowo"]  # both spans quote the same text
    assert "".join(s.text for s in got.excerpt).startswith("Bismillah, sudah mantap dukung")
    assert got.field == "text"
    assert got.rules == (
        "PS-ENDORSE: SKB 2022 Lampiran II no. 2; ikrar netralitas poin 2",
        "PS-SLOGAN-TAG: SKB 2022 Lampiran II no. 2",
    )
    assert (got.count, got.recipients) == (1, RECIPIENTS)
    assert got.link == LINK


@pytest.mark.parametrize(
    ("changes", "subject"),
    [
        (
            {"severity": "high", "category": "money_politics", "count": 3},
            "[Netral][HIGH] money_politics — ASN-0025 (x3)",
        ),
        ({"asn": None, "count": 2}, "[Netral][MEDIUM] partisan_support — x-1480021 (x2)"),
        (
            {"account_id": "x-1\r\nBcc: all@example.org", "asn": None},
            "[Netral][MEDIUM] partisan_support — x-1 Bcc: all@example.org (x1)",
        ),
    ],
)
def test_headline_is_one_line(changes: dict[str, Any], subject: str) -> None:
    asn = AsnRef("ASN-0025", "pemkab-sleman", "pemkab-sleman/bappeda", "34.04")
    case = notification(asn=asn).change.case
    assert headline(dataclasses.replace(case, **changes)) == subject


@pytest.mark.parametrize(
    ("excerpt", "found", "want"),
    [
        ("dukung 02", [("dukung", 0)], ["dukung"]),
        # a windowed excerpt: the offsets count in the whole text, the match is found by search
        ("…mantap dukung 02", [("dukung", 140)], ["dukung"]),
        ("a dukung Prabowo b", [("dukung", 2), ("dukung Prabowo", 2)], ["dukung Prabowo"]),
        ("ab", [("a", 0), ("b", 1)], ["ab"]),
        ("nothing here", [("dukung", 3)], []),
    ],
)
def test_excerpt_spans(excerpt: str, found: list[tuple[str, int]], want: list[str]) -> None:
    items = [evidence(excerpt, match, start) for match, start in found]
    spans = excerpt_spans(items[0], items)
    assert emphasised(spans) == want
    assert "".join(s.text for s in spans) == excerpt


def test_excerpt_spans_only_from_the_same_excerpt() -> None:
    first = evidence("dukung 02", "dukung", 0)
    other = evidence("#dukung02", "02", 7, field="hashtags[0]")
    assert emphasised(excerpt_spans(first, [first, other])) == ["dukung"]


def test_mark_escapes_every_span() -> None:
    spans = (Span("a<"), Span("&b", emphasised=True), Span(">"))
    assert mark(spans, lambda t: t.replace("<", "&lt;").replace("&", "+"), "[", "]") == "a+lt;[+b]>"


def hostile() -> Notification:
    return notification(evidence=(evidence(HOSTILE, "dukung", HOSTILE.index("dukung")),))


def test_slack_escapes_and_emphasises() -> None:
    body = slack.message(facts(hostile()))
    section = body["blocks"][1]["text"]["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; *dukung*" in section
    assert "<" not in section and ">" not in section
    assert body["text"] == "[Netral][MEDIUM] partisan_support — ASN-0007 (x1)"
    assert body["blocks"][0]["text"]["text"] == "MEDIUM · partisan_support"
    assert body["blocks"][2]["elements"][0]["url"] == LINK


def test_slack_fences_a_span_inside_a_word() -> None:
    spans = (Span("#"), Span("Prabowo", True), Span("Gibran2024"))
    assert slack.emphasise(spans) == "#*Prabowo*\u200bGibran2024"


def test_telegram_escapes_and_emphasises() -> None:
    text = telegram.message(facts(hostile()))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; <b>dukung</b>" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text
    assert f'<a href="{LINK}">' in text


def parsed(message: EmailMessage) -> EmailMessage:
    parser = BytesParser(policy=policy.default)
    return parser.parsebytes(message.as_bytes())


def test_email_has_text_and_html_with_the_same_facts() -> None:
    message = parsed(email.compose(facts(hostile()), "Netral <netral@example.org>", ["a@b.c"]))
    assert message["Subject"] == "[Netral][MEDIUM] partisan_support — ASN-0007 (x1)"
    assert message["Message-ID"].endswith("@example.org>")
    plain = message.get_body(("plain",))
    rich = message.get_body(("html",))
    assert plain is not None and rich is not None
    text, markup = plain.get_content(), rich.get_content()
    assert "<script>alert(1)</script> & <!channel> *dukung*" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; <b>dukung</b>" in markup
    assert "<script>" not in markup
    for fact in ("ASN-0007, pemkab-sleman/dinas-pendidikan", "MEDIUM", "hr:pemkab-sleman"):
        assert fact in text and fact in markup
    assert LINK in markup


def test_email_message_id_follows_the_delivery() -> None:
    first = email.compose(facts(notification()), "a@example.org", ["b@c.d"], "case-1:notify/2")
    again = email.compose(facts(notification()), "a@example.org", ["b@c.d"], "case-1:notify/2")
    assert first["Message-ID"] == again["Message-ID"] == "<case-1.notify.2@example.org>"
