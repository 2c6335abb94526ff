"""The payments pages of the admin: upload, column mapping, confirmation and review of a
statement, only for the edition's organizers, never reaching another edition's import, line or
registration; the check-in warning and the dashboard's fees."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registration.enums import PaymentStatus, WaiverKind, WaiverStatus
from registration.models import BankImport, BankLine
from registration.organizer.selectors import fee_totals
from registration.payments.services import start_bank_import
from tests.factories.registration import RegistrationFactory, TicketTypeFactory
from tests.registration.admin_helpers import add_registrations, clear_registrations, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    client.force_login(user("tokyo-organizer"))
    return client


@pytest.fixture
def fee_ticket(open_edition):
    return TicketTypeFactory(edition=open_edition, name="Fee test", capacity=None)


def due(ticket, name="Tanaka Hanako", **fields):
    fields.setdefault("payment_status", PaymentStatus.DUE)
    return RegistrationFactory(ticket_type=ticket, name=name, fee=Decimal("20000.00"), **fields)


def url(name, edition, *args):
    return reverse(f"registration_admin_{name}", args=[edition.slug, *args])


def upload(client, edition, content: bytes, name="nov.csv"):
    return client.post(
        url("payments", edition), {"file": SimpleUploadedFile(name, content), "file_format": ""}
    )


def test_organizer_imports_a_csv_confirms_and_reviews(organizer, fee_ticket):
    edition = fee_ticket.edition
    tanaka = due(fee_ticket)
    kobayashi = due(fee_ticket, name="Kobayashi Testpayer")
    content = (
        "Date,Amount,Currency,Description\n"
        f"2009-11-03,20000,JPY,{tanaka.transfer_reference} TANAKA\n"
        "2009-11-04,20000,JPY,KOBAYASHI FEE\n"
    ).encode()
    response = upload(organizer, edition, content)
    bank_import = BankImport.objects.get(edition=edition)
    assert response["Location"] == url("bank_mapping", edition, bank_import.pk)
    mapping = organizer.get(response["Location"])
    # The columns are guessed from the header.
    assert mapping.context["form"].initial["date_column"] == 0
    assert mapping.context["form"].initial["text_columns"] == [3]
    response = organizer.post(
        response["Location"],
        {
            "delimiter": "comma",
            "date_column": 0,
            "date_format": "iso",
            "amount_column": 1,
            "currency_column": 2,
            "text_columns": [3],
        },
    )
    assert response["Location"] == url("bank_import", edition, bank_import.pk)
    page = organizer.get(response["Location"])
    assert [line.registration for line in page.context["matched"]] == [tanaka]
    assert [line.text for line in page.context["unmatched"]] == ["KOBAYASHI FEE"]
    matched = page.context["matched"][0]

    organizer.post(url("bank_import", edition, bank_import.pk), {"line": [matched.pk]})
    tanaka.refresh_from_db()
    assert tanaka.payment_status == PaymentStatus.PAID

    line = page.context["unmatched"][0]
    review = organizer.get(url("bank_line", edition, line.pk), {"q": "testpayer kobayashi"})
    assert review.context["results"] == [kobayashi]
    organizer.post(
        url("bank_line", edition, line.pk), {"action": "assign", "registration": kobayashi.pk}
    )
    kobayashi.refresh_from_db()
    assert kobayashi.payment_status == PaymentStatus.PAID
    assert BankLine.objects.get(pk=line.pk).status == BankLine.Status.RECORDED


def test_a_bad_file_gives_a_message_and_saves_nothing(organizer, fee_ticket):
    response = upload(organizer, fee_ticket.edition, b"<Document><oops>", name="nov.xml")
    assert response.status_code == 400
    assert "This XML file cannot be read" in response.content.decode()
    assert BankImport.objects.count() == 0


def test_search_and_assignment_stay_in_the_edition(organizer, fee_ticket, other_edition):
    edition = fee_ticket.edition
    manila = RegistrationFactory(
        ticket_type=TicketTypeFactory(edition=other_edition, name="Manila fee"),
        name="Kobayashi Manila",
        fee=Decimal("20000.00"),
        payment_status=PaymentStatus.DUE,
    )
    bank_import = start_bank_import(
        edition=edition,
        file_name="nov.xml",
        data=(
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
            b'<Stmt><Ntry><Amt Ccy="JPY">20000</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            b"<BookgDt><Dt>2009-11-03</Dt></BookgDt><AddtlNtryInf>KOBAYASHI</AddtlNtryInf>"
            b"</Ntry></Stmt></BkToCstmrStmt></Document>"
        ),
        actor=user("tokyo-organizer"),
    )
    line = bank_import.lines.get()
    review = organizer.get(url("bank_line", edition, line.pk), {"q": "Kobayashi Manila"})
    assert review.context["results"] == []
    response = organizer.post(
        url("bank_line", edition, line.pk), {"action": "assign", "registration": manila.pk}
    )
    assert response.status_code == 400
    assert "Choose a registration of this edition." in response.content.decode()
    manila.refresh_from_db()
    assert manila.payment_status == PaymentStatus.DUE
    # The import and the line are not reached through another edition's address.
    refused = organizer.get(url("bank_import", other_edition, bank_import.pk))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # not an organizer
    assert organizer.get(url("bank_line", edition, 999999)).status_code == 404


def test_payments_pages_need_the_organizer_role(client, fee_ticket):
    edition = fee_ticket.edition
    bank_import = BankImport.objects.create(
        edition=edition, file_name="x.csv", format="csv", parsed=True
    )
    pages = [
        url("payments", edition),
        url("bank_import", edition, bank_import.pk),
        url("bank_mapping", edition, bank_import.pk),
    ]
    for address in pages:
        assert client.get(address).status_code == 302  # to log in
        assert "/admin/login/" in client.get(address)["Location"]
    client.force_login(user("tokyo-programme"))
    for address in pages:
        response = client.get(address)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] == "/admin/"


def test_an_import_of_another_edition_is_not_found_here(organizer, fee_ticket, other_edition):
    foreign = BankImport.objects.create(
        edition=other_edition, file_name="manila.csv", format="csv", parsed=True
    )
    assert organizer.get(url("bank_import", fee_ticket.edition, foreign.pk)).status_code == 404
    assert organizer.get(url("bank_mapping", fee_ticket.edition, foreign.pk)).status_code == 404


def test_check_in_warns_on_an_unpaid_registration(organizer, fee_ticket):
    tanaka = due(fee_ticket)
    response = organizer.post(url("checkin", fee_ticket.edition), {"code": tanaka.badge_code})
    html = response.content.decode()
    assert "is checked in" in html
    assert (
        f"Not paid: 20,000.00 JPY is due (payment reference {tanaka.transfer_reference})."
        in html.replace("20000.00", "20,000.00")
    )
    paid = due(fee_ticket, name="Paid", payment_status=PaymentStatus.PAID)
    answer = organizer.post(
        url("checkin", fee_ticket.edition),
        {"code": paid.badge_code},
        HTTP_ACCEPT="application/json",
    )
    body = json.loads(answer.content)
    assert (body["ok"], body["paid"], body["warning"]) == (True, True, "")
    unpaid = due(fee_ticket, name="Unpaid")
    body = json.loads(
        organizer.post(
            url("checkin", fee_ticket.edition),
            {"code": unpaid.badge_code},
            HTTP_ACCEPT="application/json",
        ).content
    )
    assert (body["ok"], body["paid"], body["amount_due"], body["currency"]) == (
        True,
        False,
        "20000.00",
        "JPY",
    )
    assert body["warning"].startswith("Not paid: ")


def test_dashboard_shows_fees_due_paid_and_waived_per_currency(organizer, edition):
    clear_registrations(edition)
    ticket = TicketTypeFactory(edition=edition, name="Fees")
    add_registrations(edition, ticket, 2, fee=Decimal("100"), payment_status="due")
    add_registrations(
        edition,
        ticket,
        1,
        fee=Decimal("100"),
        payment_status="due",
        waiver_kind=WaiverKind.SUBSIDY,
        waiver_status=WaiverStatus.GRANTED,
        waiver_amount=Decimal("40"),
    )
    add_registrations(
        edition, ticket, 3, fee=Decimal("100"), payment_status="paid", amount_paid=Decimal("100")
    )
    add_registrations(
        edition,
        ticket,
        1,
        fee=Decimal("100"),
        payment_status="not_due",
        waiver_kind=WaiverKind.WAIVER,
        waiver_status=WaiverStatus.GRANTED,
        waiver_amount=Decimal("100"),
    )
    add_registrations(edition, ticket, 1, fee=Decimal("50"), currency="USD", payment_status="due")
    add_registrations(
        edition, ticket, 1, fee=Decimal("999"), payment_status="due", status="cancelled"
    )
    rows = organizer.get(url("dashboard", edition)).context["dashboard"].fees
    assert [(r.currency, r.due, r.paid, r.waived, r.n_due, r.n_paid, r.n_waived) for r in rows] == [
        ("JPY", Decimal("260"), Decimal("300"), Decimal("140"), 3, 3, 2),
        ("USD", Decimal("50"), Decimal("0"), Decimal("0"), 1, 0, 0),
    ]
    with CaptureQueriesContext(connection) as queries:
        fee_totals(edition.registrations.all())
    assert len(queries) == 1
