"""The registration's PDFs, parsed back with pypdf: what each prints (and what only the visa
letter prints), page sizes and counts, native-script names, QR codes, and the safe fetcher."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from registration.documents.pdf.badges import (
    BADGE_QR_MASK,
    render_badge,
    render_badge_sheets,
    sheet_count,
)
from registration.documents.pdf.certificates import render_certificate
from registration.documents.pdf.letters import letter_verification_url, render_visa_letter
from registration.documents.pdf.receipts import render_receipt
from registration.enums import LetterStatus, PaymentStatus, WaiverStatus
from tests.factories.documents import (
    PassportDetailsFactory,
    RegistrationFactory,
    VisaLetterFactory,
)
from tests.registration.conftest import (
    font_names,
    page_sizes_mm,
    pdf_reader,
    pdf_text,
    qr_modules,
    segno_modules,
)

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return "".join(text.split())


NAMES = [
    ("Hiroshi Tanaka", "田中 博", "ja", "JP"),
    ("Kim Min-jung", "김민정", "ko", "KR"),
    ("Anan Chaiyasit", "อนันต์ ชัยสิทธิ์", "th", "TH"),
    ("Ram Shrestha", "राम श्रेष्ठ", "ne", "NP"),
    ("Maria Santos", "", "", "PH"),
]


@pytest.fixture
def issued_letter(tanaka, reg_settings):
    PassportDetailsFactory(
        registration=tanaka,
        full_name="TANAKA HIROSHI",
        passport_number="TK1234567",
        nationality="JP",
        date_of_birth=datetime.date(1962, 3, 14),
    )
    return VisaLetterFactory(
        registration=tanaka,
        status=LetterStatus.ISSUED,
        number="AFSE2009-0007",
        decided_at=datetime.datetime(2009, 9, 1, 3, 0, tzinfo=datetime.UTC),
        holder_name="TANAKA HIROSHI",
        stay_from=datetime.date(2009, 11, 6),
        stay_until=datetime.date(2009, 11, 11),
    )


# --- Badges ---------------------------------------------------------------------------------


def test_badge_prints_the_person_ticket_and_check_in_code(tanaka, fetched):
    pdf = render_badge(tanaka)
    reader = pdf_reader(pdf)
    assert len(reader.pages) == 1
    assert page_sizes_mm(reader) == {(90, 130)}
    # (The organization's native name wraps: compared without white space.)
    assert squash(pdf_text(pdf)[0]) == squash(
        "AFSE 2009 DELEGATE Hiroshi Tanaka 田中 博 Japan Workers' Co-operative Union "
        f"(日本労働者協同組合連合会) Japan Check-in code {tanaka.badge_code}"
    )
    assert pdf_text(pdf)[0].startswith("AFSE 2009 DELEGATE Hiroshi Tanaka 田中 博 Japan")
    assert reader.metadata.title == "Badge of Hiroshi Tanaka, AFSE 2009"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    # The QR code holds the badge code, module for module.
    assert qr_modules(reader) == segno_modules(tanaka.badge_code, mask=BADGE_QR_MASK)
    assert fetched("PDF resource served: ") == [
        f"{settings.SITE_URL}/static/css/registration-badges.css"
    ]
    assert fetched("PDF resource refused: ") == []


def test_badge_in_japanese_names_the_country_in_japanese(tanaka):
    tanaka.language = "ja"
    reader = pdf_reader(render_badge(tanaka))
    assert "日本" in reader.pages[0].extract_text()
    assert reader.trailer["/Root"]["/Lang"] == "ja"


@pytest.mark.parametrize(("name", "native", "lang", "country"), NAMES[:4])
def test_badge_renders_native_scripts(delegate, name, native, lang, country):
    registration = RegistrationFactory(
        ticket_type=delegate,
        name=name,
        name_native=native,
        name_native_language=lang,
        country=country,
    )
    pdf = render_badge(registration)
    assert f"{name} {native}" in pdf_text(pdf)[0]


def test_badges_use_the_fonts_of_each_script(delegate):
    registrations = [
        RegistrationFactory(ticket_type=delegate, name=n, name_native=nn, name_native_language=lang)
        for n, nn, lang, _country in NAMES
    ]
    reader = pdf_reader(render_badge_sheets(registrations, language="en"))
    assert {
        "Noto-Sans-JP",
        "Noto-Sans-KR",
        "Noto-Sans-Thai",
        "Noto-Sans-Devanagari",
    } <= font_names(reader)


def test_markup_in_a_name_is_printed_as_text_and_fetches_nothing(delegate, fetched):
    registration = RegistrationFactory(
        ticket_type=delegate,
        name='Eve <img src="https://example.com/x.png">',
        organization_name='<link rel="stylesheet" href="file:///etc/passwd">',
    )
    text = squash(pdf_text(render_badge(registration))[0])
    assert squash('Eve <img src="https://example.com/x.png">') in text
    assert squash('<link rel="stylesheet" href="file:///etc/passwd">') in text
    assert fetched("PDF resource refused: ") == []
    assert fetched("PDF resource served: ") == [
        f"{settings.SITE_URL}/static/css/registration-badges.css"
    ]


@pytest.mark.parametrize(("count", "sheets"), [(1, 1), (4, 1), (5, 2), (25, 7)])
def test_badge_sheets_hold_four_badges_to_an_a4_page(delegate, observer, count, sheets):
    registrations = [
        RegistrationFactory(
            ticket_type=delegate if i % 2 == 0 else observer, name=f"Participant {i:02d}"
        )
        for i in range(count)
    ]
    pdf = render_badge_sheets(registrations, language="en")
    reader = pdf_reader(pdf)
    assert sheet_count(count) == sheets
    assert len(reader.pages) == sheets
    assert page_sizes_mm(reader) == {(210, 297)}
    pages = pdf_text(pdf)
    for index, text in enumerate(pages):
        on_sheet = [f"Participant {i:02d}" for i in range(index * 4, min(count, index * 4 + 4))]
        assert [name for name in on_sheet if name in text] == on_sheet
        assert text.count("Check-in code") == len(on_sheet)
    # Each badge's QR code and the sheet's cut marks: one image each, drawn on every sheet.
    drawn = [len(re.findall(rb" Do\b", page.get_contents().get_data())) for page in reader.pages]
    assert drawn == [min(4, count - index * 4) + 1 for index in range(sheets)]


def test_badge_sheet_cut_marks_come_from_the_site_and_colours_from_the_ticket(
    delegate, observer, fetched
):
    registrations = [
        RegistrationFactory(ticket_type=delegate),
        RegistrationFactory(ticket_type=observer),
    ]
    pdf = render_badge_sheets(registrations, language="en")
    assert fetched("PDF resource served: ") == [
        f"{settings.SITE_URL}/static/css/registration-badges.css",
        f"{settings.SITE_URL}/static/img/badge-cut-marks.svg",
    ]
    content = pdf_reader(pdf).pages[0].get_contents().get_data()
    # The bands, filled with each ticket type's colour (#1d5c4d and #f5c518 as PDF RGB).
    assert b"0.113725 0.360784 0.301961 rg" in content
    assert b"0.960784 0.772549 0.094118 rg" in content


# --- Visa letter ----------------------------------------------------------------------------


def test_visa_letter_prints_the_holder_passport_stay_and_signatory(issued_letter, fetched):
    pdf = render_visa_letter(issued_letter)
    reader = pdf_reader(pdf)
    assert page_sizes_mm(reader) == {(210, 297)}
    text = " ".join(pdf_text(pdf))
    url = letter_verification_url(issued_letter)
    assert url == f"{settings.SITE_URL}/verify/letter/{issued_letter.verification_token}/"
    for expected in [
        "AFSE 2009 Preparatory Committee 2-3-4 Kanda, Chiyoda-ku, Tokyo",
        "Letter number AFSE2009-0007 Date Sept. 1, 2009",
        "Invitation letter for a visa application",
        "take part in AFSE 2009, held in Tokyo, Japan from Nov. 7, 2009 to Nov. 10, 2009.",
        "Name as in the passport TANAKA HIROSHI",
        "Nationality Japan",
        "Passport number TK1234567",
        "Date of birth March 14, 1962",
        "Dates of stay Nov. 6, 2009 \N{EN DASH} Nov. 11, 2009",
        "Yuki Sato, Secretary General",
        url,
    ]:
        assert expected in text, expected
    assert qr_modules(reader, page=len(reader.pages) - 1) == segno_modules(url)
    assert fetched("PDF resource refused: ") == []
    assert fetched("PDF resource served: ") == [
        f"{settings.SITE_URL}/static/css/registration-print.css"
    ]


def test_visa_letter_after_passport_erasure_keeps_name_and_dates_only(issued_letter):
    issued_letter.registration.passport.delete()
    issued_letter.registration.refresh_from_db()
    text = " ".join(pdf_text(render_visa_letter(issued_letter)))
    assert "Name as in the passport TANAKA HIROSHI" in text
    assert "TK1234567" not in text
    assert "Date of birth" not in text


def test_visa_letter_in_japanese(issued_letter):
    pdf = render_visa_letter(issued_letter, language="ja")
    text = " ".join(pdf_text(pdf))
    assert "AFSE2009-0007" in text
    assert "2009年11月6日" in text
    assert pdf_reader(pdf).trailer["/Root"]["/Lang"] == "ja"


def test_only_the_visa_letter_prints_passport_data(issued_letter):
    tanaka = issued_letter.registration
    tanaka.payment_status = PaymentStatus.PAID
    tanaka.receipt_number = "2009-tokyo-R9001"
    tanaka.fee = tanaka.amount_paid = Decimal(20000)
    tanaka.paid_at = timezone.now()
    tanaka.checked_in_at = timezone.now()
    for render in (render_badge, render_receipt, render_certificate):
        text = " ".join(pdf_text(render(tanaka)))
        assert "TK1234567" not in text
        assert "TANAKA HIROSHI" not in text
        assert "1962" not in text
    assert "TK1234567" in " ".join(pdf_text(render_visa_letter(issued_letter)))


# --- Receipt and certificate ----------------------------------------------------------------


def test_receipt_prints_number_amounts_and_currency(tanaka, reg_settings):
    tanaka.currency = "JPY"
    tanaka.fee = Decimal("20000.00")
    tanaka.waiver_status = WaiverStatus.GRANTED
    tanaka.waiver_amount = Decimal("5000.00")
    tanaka.amount_paid = Decimal("15000.00")
    tanaka.payment_status = PaymentStatus.PAID
    tanaka.payment_reference = "Bank transfer 0042"
    tanaka.receipt_number = "2009-tokyo-R9003"
    tanaka.paid_at = datetime.datetime(2009, 10, 2, 1, 0, tzinfo=datetime.UTC)
    tanaka.save()
    pdf = render_receipt(tanaka)
    assert len(pdf_reader(pdf).pages) == 1
    text = pdf_text(pdf)[0]
    for expected in [
        "Receipt",
        "Receipt number 2009-tokyo-R9003",
        "Date of payment Oct. 2, 2009",
        f"Registration {tanaka.reference}",
        "Received from Hiroshi Tanaka (田中 博), Japan Workers' Co-operative Union",
        "Paid with Bank transfer 0042",
        "Registration fee, Delegate, AFSE 2009 20000.00 JPY",
        "Waiver or subsidy granted \N{MINUS SIGN}5000.00 JPY",
        "Amount received 15000.00 JPY",
        "Yuki Sato, Secretary General",
    ]:
        assert expected in text, expected


def test_certificate_names_the_participant_and_the_edition(tanaka, reg_settings):
    tanaka.checked_in_at = timezone.now()
    pdf = render_certificate(tanaka)
    reader = pdf_reader(pdf)
    assert len(reader.pages) == 1
    # No page counter ("1 / 1") on a one-page certificate.
    assert pdf_text(pdf) == [
        "Asian Forum for Solidarity Economy Certificate of attendance This is to certify that "
        "Hiroshi Tanaka 田中 博 Japan Workers' Co-operative Union attended AFSE 2009, held in "
        "Tokyo, Japan from Nov. 7, 2009 to Nov. 10, 2009. "
        "Solidarity Economy from the Asian Perspective Yuki Sato, Secretary General"
    ]


def _text_heights(page) -> list[float]:
    """The baseline heights (points from the bottom) of the page's non-blank text runs."""
    heights: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            heights.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return heights


def test_certificate_fills_the_page_centred_and_keeps_each_date_on_one_line(tanaka, reg_settings):
    tanaka.checked_in_at = timezone.now()
    page = pdf_reader(render_certificate(tanaka)).pages[0]
    lines = page.extract_text().splitlines()
    for date in ("Nov. 7, 2009", "Nov. 10, 2009"):
        assert any(date in " ".join(line.split()) for line in lines), (date, lines)
    height = float(page.mediabox.height)
    heights = _text_heights(page)
    # The text spreads over the page (not the top half only), its middle near the page's.
    assert max(heights) - min(heights) > height * 0.45
    assert abs((max(heights) + min(heights)) / 2 - height / 2) < height * 0.1


def test_certificate_stays_on_one_page_with_long_texts(tanaka, reg_settings):
    tanaka.checked_in_at = timezone.now()
    tanaka.organization_name = "Federation of Workers' Cooperatives " * 12
    tanaka.edition.theme = "Solidarity Economy from the Asian Perspective, " * 20
    pdf = render_certificate(tanaka)
    assert len(pdf_reader(pdf).pages) == 1
    assert "Hiroshi Tanaka" in pdf_text(pdf)[0]
