"""The outbox builds an SMTP message as bytes itself: the bytes Django's EmailMultiAlternatives
makes for the same row (headers, parts and encodings), the Date and the MIME boundary aside."""

import re

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from mail.services.mime import message_bytes


def django_bytes(subject: str, text: str, html: str, to: str, message_id: str) -> bytes:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.message().as_bytes(linesep="\r\n")


def comparable(message: bytes) -> bytes:
    message = re.sub(rb"===============[0-9a-f]+==", b"BOUNDARY", message)
    return re.sub(rb"Date: [^\r]*", b"Date: -", message)


CASES = {
    "ascii": (
        "AFSE 2009 starts in 7 days",
        "Dear Ana,\n\nSee you.\n",
        "<p>Dear Ana,</p>",
        "a@x.org",
    ),
    "japanese": (
        "AFSE 2031の開催まであと7日です",
        "山田 花子 様\n\n会場: Bangkok Hall\n",
        '<html lang="ja"><p>山田 花子 様</p>\n</html>\n',
        "hanako@example.jp",
    ),
    "text only, mixed line endings": ("Notice", "one\r\ntwo\rthree\nfour", "", "b@x.org"),
    "long ascii subject": ("A subject long enough to be folded " * 3, "x\n", "", "c@x.org"),
    "non-ascii address": ("Subject", "x\n", "<p>x</p>", "ana@exämple.org"),
    "named address": ("Subject", "x\n", "", "Ana Cruz <ana@example.org>"),
    "dots and accents": ("R&D: café", "é\n\n.\n.. two dots\n", "<b>é</b>", "d@x.org"),
}


@pytest.mark.parametrize("case", CASES)
def test_the_bytes_are_djangos(case):
    subject, text, html, to = CASES[case]
    sender, recipient, message = message_bytes(
        subject=subject, text=text, html=html, to=to, message_id="<m@example.org>"
    )
    assert comparable(message) == comparable(
        django_bytes(subject, text, html, to, "<m@example.org>")
    )
    assert sender == "AFSE <forum@localhost>"
    assert recipient == {"non-ascii address": "ana@xn--exmple-cua.org"}.get(case, to)


def test_a_line_too_long_for_8bit_is_left_to_django():
    assert (
        message_bytes(subject="s", text="x" * 999, html="", to="a@x.org", message_id="<m>") is None
    )
    assert (
        message_bytes(subject="s", text="x\n", html="y" * 999, to="a@x.org", message_id="<m>")
        is None
    )
    assert message_bytes(subject="s", text="x" * 998, html="", to="a@x.org", message_id="<m>")


def test_a_line_break_in_a_header_is_refused_as_django_refuses_it():
    from django.core.mail import BadHeaderError

    with pytest.raises(BadHeaderError):
        message_bytes(subject="a\nBcc: x@y.org", text="x", html="", to="a@x.org", message_id="<m>")
