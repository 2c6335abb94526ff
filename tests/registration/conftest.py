"""Fixtures for registration: the Tokyo edition with registration open (registration
services); ticket types, a participant and PDF helpers (documents)."""

import datetime
import io
import logging

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from registration.models import OutboxEmail, RegistrationSettings
from tests.factories.documents import RegistrationFactory
from tests.factories.documents import TicketTypeFactory as DocumentTicketTypeFactory
from tests.factories.registration import TicketTypeFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, whatever language an earlier request left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def open_edition(edition):
    """2009 Tokyo with registration open since yesterday, in yen."""
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "opens_at": timezone.now() - datetime.timedelta(days=1),
            "closes_at": timezone.now() + datetime.timedelta(days=30),
            "currency": "JPY",
        },
    )
    return edition


@pytest.fixture
def ticket(open_edition):
    """A public ticket type with 2 seats, no approval."""
    return TicketTypeFactory(edition=open_edition, name="Test delegate", capacity=2)


@pytest.fixture
def outbox():
    """The outbox rows written during the test, oldest first."""

    def rows(**filters):
        return list(OutboxEmail.objects.filter(**filters).order_by("pk"))

    OutboxEmail.objects.all().delete()
    return rows


@pytest.fixture
def reg_settings(edition):
    return RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "currency": "JPY",
            "letterhead": "AFSE 2009 Preparatory Committee\n2-3-4 Kanda, Chiyoda-ku, Tokyo",
            "letter_signatory": "Yuki Sato, Secretary General",
        },
    )[0]


@pytest.fixture
def delegate(edition):
    return DocumentTicketTypeFactory(edition=edition, name="Delegate", colour="#1d5c4d")


@pytest.fixture
def observer(edition):
    return DocumentTicketTypeFactory(edition=edition, name="Observer", colour="#f5c518")


@pytest.fixture
def tanaka(delegate):
    return RegistrationFactory(
        ticket_type=delegate,
        name="Hiroshi Tanaka",
        name_native="田中 博",
        name_native_language="ja",
        organization_name="Japan Workers' Co-operative Union",
        organization_name_native="日本労働者協同組合連合会",
        country="JP",
        arrival_date=datetime.date(2009, 11, 6),
        departure_date=datetime.date(2009, 11, 11),
    )


def pdf_reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text with every run of white space as one space."""
    return [" ".join(page.extract_text().split()) for page in pdf_reader(pdf).pages]


def font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def page_sizes_mm(reader: PdfReader) -> set[tuple[int, int]]:
    return {
        (round(float(p.mediabox.width) * 25.4 / 72), round(float(p.mediabox.height) * 25.4 / 72))
        for p in reader.pages
    }


@pytest.fixture
def fetched(caplog):
    """The URLs the safe fetcher served and refused while the test ran, from its log (but the
    data: URLs of the QR codes)."""
    caplog.set_level(logging.DEBUG, logger="sessions_app.pdf.fetcher")

    def records(prefix: str) -> list[str]:
        return [
            r.getMessage().removeprefix(prefix)
            for r in caplog.records
            if r.name == "sessions_app.pdf.fetcher"
            and r.getMessage().startswith(prefix)
            and not r.getMessage().startswith(prefix + "data:")
        ]

    return records


def qr_modules(reader: PdfReader, page: int = 0) -> list[list[bool]]:
    """The QR code printed on `page`, as rows of dark (True) modules, read back from the PNG
    embedded in the PDF (one pixel per module, a border of two)."""
    images = reader.pages[page].images
    assert len(images) == 1
    image = images[0].image.convert("L")
    width, height = image.size
    pixels = image.load()
    return [[pixels[x, y] < 128 for x in range(2, width - 2)] for y in range(2, height - 2)]


def segno_modules(data: str, *, mask: int | None = None) -> list[list[bool]]:
    import segno

    code = segno.make(data, error="m", micro=False, mask=mask)
    return [[bool(m) for m in row] for row in code.matrix]
