"""How to pay: the edition's instructions with each registration's payment reference and the
amount due, on the confirmation page, in the "received" and "approved" emails and on My
registration; nothing for a free or waived registration; the receipt only once paid."""

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from registration.enums import PaymentStatus, RegistrationStatus, WaiverStatus
from registration.models import Registration, RegistrationSettings
from registration.services.registrations import (
    approve_registration,
    confirm_email,
    record_payment,
    submit_registration,
)
from tests.factories.registration import (
    RegistrationFactory,
    TicketTypeFactory,
    registration_data,
)
from tests.registration.admin_helpers import add_registrations
from tests.registration.conftest import pdf_text

pytestmark = pytest.mark.django_db

ME = "/2009-tokyo/register/me/"
REFERENCE = re.compile(r"^AFSE09-[A-HJ-NP-Z2-9]{5}$")


@pytest.fixture
def how_to_pay(open_edition):
    row = RegistrationSettings.objects.get(edition=open_edition)
    row.bank_account_holder = "AFSE 2009 Preparatory Committee"
    row.bank_account = "Ordinary 1234567"
    row.bank_swift = "MHCBJPJT"
    row.bank_name = "Mizuho Bank, Ikebukuro"
    row.bank_name_ja = "みずほ銀行 池袋支店"
    row.on_site_payment = "Cash at the desk on 7 November."
    row.payment_instructions = "Keep your bank slip."
    row.save()
    return row


@pytest.fixture
def fee_ticket(open_edition):
    return TicketTypeFactory(edition=open_edition, name="Fee test", capacity=None)


def register(ticket, language="en", **data):
    registration = submit_registration(
        edition=ticket.edition,
        ticket_type=ticket,
        data=registration_data(country="JP", email="hanako@example.org", **data),
        answers={},
        passport=None,
        language=language,
    )
    return registration


def test_every_registration_gets_a_short_stable_payment_reference(fee_ticket):
    first = RegistrationFactory(ticket_type=fee_ticket)
    second = RegistrationFactory(ticket_type=fee_ticket)
    assert REFERENCE.match(first.transfer_reference)
    assert first.transfer_reference != second.transfer_reference
    reference = first.transfer_reference
    first.name = "Renamed"
    first.save()
    first.refresh_from_db()
    assert first.transfer_reference == reference


def test_the_received_email_tells_how_to_pay(how_to_pay, fee_ticket, outbox):
    registration = register(fee_ticket)
    registration = confirm_email(registration=registration, token=registration.confirmation_token)
    assert registration.status == RegistrationStatus.CONFIRMED
    [email] = outbox(kind="registration_received")
    text = email.body_text
    assert "Amount due: 20000.00 JPY." in text
    assert (
        f"Payment reference: {registration.transfer_reference} (quote it with your payment)."
        in text
    )
    for line in (
        "Account holder: AFSE 2009 Preparatory Committee",
        "IBAN or account number: Ordinary 1234567",
        "SWIFT/BIC: MHCBJPJT",
        "Bank: Mizuho Bank, Ikebukuro",
        "Cash at the desk on 7 November.",
        "Keep your bank slip.",
    ):
        assert line in text
    assert registration.transfer_reference in email.body_html
    assert "<h2>How to pay</h2>" in email.body_html


def test_the_approved_email_in_japanese_gives_the_japanese_bank_name(
    how_to_pay, open_edition, outbox
):
    ticket = TicketTypeFactory(
        edition=open_edition, name="Approved test", capacity=None, requires_approval=True
    )
    registration = register(ticket, language="ja")
    registration = confirm_email(registration=registration, token=registration.confirmation_token)
    received = outbox(kind="registration_received")[0].body_text
    assert registration.transfer_reference in received  # told to pay once approved
    organizer = get_user_model().objects.get(username="tokyo-organizer")
    approve_registration(registration=registration, actor=organizer)
    [email] = outbox(kind="registration_approved")
    assert email.language == "ja"
    assert "みずほ銀行 池袋支店" in email.body_text
    assert registration.transfer_reference in email.body_text


def test_a_free_or_waived_registration_is_not_told_to_pay(how_to_pay, open_edition, outbox):
    free = TicketTypeFactory(edition=open_edition, name="Free test", capacity=None, fee_high=0)
    registration = register(free)
    registration = confirm_email(registration=registration, token=registration.confirmation_token)
    text = outbox(kind="registration_received")[0].body_text
    assert registration.transfer_reference not in text
    assert "Amount due" not in text
    waived = RegistrationFactory(
        ticket_type=TicketTypeFactory(edition=open_edition, name="Waived test"),
        fee=Decimal(20000),
        waiver_status=WaiverStatus.GRANTED,
        waiver_amount=Decimal(20000),
    )
    assert waived.shows_payment is False


def test_my_registration_shows_how_to_pay_until_paid(client, how_to_pay, fee_ticket):
    registration = register(fee_ticket)
    registration = confirm_email(registration=registration, token=registration.confirmation_token)
    client.force_login(registration.user)
    html = client.get(ME).content.decode()
    assert 'id="payment-heading"' in html
    assert (
        f'<strong class="payment-block__reference">{registration.transfer_reference}</strong>'
        in html
    )
    assert "Mizuho Bank, Ikebukuro" in html
    assert "Cash at the desk on 7 November." in html
    record_payment(registration=registration, amount="20000", actor=None)
    html = client.get(ME).content.decode()
    assert 'id="payment-heading"' not in html
    assert registration.transfer_reference in html  # still listed, as paid with


def test_the_confirmation_page_shows_how_to_pay(client, how_to_pay, fee_ticket):
    registration = register(fee_ticket)
    html = client.get(f"/2009-tokyo/register/confirm/{registration.confirmation_token}/")
    html = html.content.decode()
    assert (
        f'<strong class="payment-block__reference">{registration.transfer_reference}</strong>'
        in html
    )
    assert "20,000 JPY" in html


def test_the_receipt_follows_the_payment(client, how_to_pay, fee_ticket):
    registration = register(fee_ticket)
    registration = confirm_email(registration=registration, token=registration.confirmation_token)
    client.force_login(registration.user)
    assert client.get(f"{ME}receipt.pdf").status_code == 404
    # Paid late in the evening (UTC): already the next day in Tokyo.
    record_payment(
        registration=registration,
        amount="20000",
        reference="Bank 42",
        paid_at=datetime.datetime(2009, 11, 3, 23, 30, tzinfo=datetime.UTC),
        actor=None,
    )
    response = client.get(f"{ME}receipt.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)[0]
    assert "Date of payment Nov. 4, 2009 (Asia/Tokyo)" in text
    assert f"Payment reference {registration.transfer_reference}" in text
    assert "Amount received 20000.00 JPY" in text


def test_the_backfill_gives_older_registrations_unique_references(edition, fee_ticket):
    older = add_registrations(edition, fee_ticket, 30)  # written in bulk: no reference yet
    assert {r.transfer_reference for r in older} == {""}
    migration = importlib.import_module("registration.migrations.0010_backfill_transfer_references")
    migration.backfill(apps, None)
    references = list(
        Registration.objects.filter(pk__in=[r.pk for r in older]).values_list(
            "transfer_reference", flat=True
        )
    )
    assert len(set(references)) == 30
    assert all(REFERENCE.match(reference) for reference in references)
    assert not Registration.objects.filter(edition=edition, transfer_reference="").exists()


def test_the_payment_block_is_shown_only_while_something_is_due(fee_ticket):
    due = RegistrationFactory(
        ticket_type=fee_ticket, fee=Decimal(20000), payment_status=PaymentStatus.DUE
    )
    assert due.shows_payment is True
    due.status = RegistrationStatus.WAITLISTED
    assert due.shows_payment is False
    due.status = RegistrationStatus.CONFIRMED
    due.payment_status = PaymentStatus.PAID
    assert due.shows_payment is False
