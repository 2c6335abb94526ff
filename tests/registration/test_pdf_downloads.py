"""The participant's own documents beneath the edition page (/<edition>/register/me/*.pdf) and
the list of them for the "My registration" page."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registration.documents.selectors import documents_for
from registration.enums import LetterStatus, PaymentStatus, RegistrationStatus
from tests.factories.documents import (
    PassportDetailsFactory,
    RegistrationFactory,
    TicketTypeFactory,
    VisaLetterFactory,
)
from tests.registration.conftest import pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/register/me/"


@pytest.fixture
def participant(db):
    return get_user_model().objects.create_user("ram", "ram@example.org", "pw-ram-2009")


@pytest.fixture
def registration(delegate, participant):
    return RegistrationFactory(
        ticket_type=delegate, user=participant, email=participant.email, name="Ram Shrestha"
    )


def issue(registration):
    PassportDetailsFactory(registration=registration, passport_number="NP7654321")
    return VisaLetterFactory(
        registration=registration,
        status=LetterStatus.ISSUED,
        number="AFSE2009-0003",
        decided_at=timezone.now(),
        holder_name="RAM SHRESTHA",
        stay_from=datetime.date(2009, 11, 6),
        stay_until=datetime.date(2009, 11, 11),
    )


def pay(registration):
    registration.payment_status = PaymentStatus.PAID
    registration.receipt_number = "2009-tokyo-R9001"
    registration.fee = registration.amount_paid = Decimal("8000.00")
    registration.currency = "JPY"
    registration.paid_at = timezone.now()
    registration.save()


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(f"{BASE}badge.pdf")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={BASE}badge.pdf"


def test_confirmed_participant_downloads_their_badge(client, registration, participant):
    client.force_login(participant)
    response = client.get(f"{BASE}badge.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="2009-tokyo-badge-{registration.reference}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-cache"
    text = pdf_text(response.content)[0]
    assert "Ram Shrestha" in text
    assert registration.badge_code in text


def test_badge_in_the_language_of_the_page(client, registration, participant):
    client.force_login(participant)
    response = client.get(f"/ja{BASE}badge.pdf")
    assert response.status_code == 200
    assert pdf_reader(response.content).trailer["/Root"]["/Lang"] == "ja"


@pytest.mark.parametrize(
    "status",
    [
        RegistrationStatus.UNCONFIRMED,
        RegistrationStatus.PENDING_APPROVAL,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REFUSED,
    ],
)
def test_no_badge_before_confirmation(client, registration, participant, status):
    registration.status = status
    registration.save()
    client.force_login(participant)
    assert client.get(f"{BASE}badge.pdf").status_code == 404


def test_someone_without_a_registration_gets_nothing(client, registration):
    other = get_user_model().objects.create_user("eve", "eve@example.org", "pw-eve-2009")
    client.force_login(other)
    for kind in ("badge", "letter", "receipt", "certificate"):
        assert client.get(f"{BASE}{kind}.pdf").status_code == 404


def test_a_registration_for_another_edition_gives_nothing_here(client, participant, other_edition):
    manila = TicketTypeFactory(edition=other_edition)
    RegistrationFactory(ticket_type=manila, user=participant)
    client.force_login(participant)
    assert client.get(f"{BASE}badge.pdf").status_code == 404
    assert client.get("/2007-manila/register/me/badge.pdf").status_code == 200


def test_letter_only_once_issued_and_never_cached(client, registration, participant):
    client.force_login(participant)
    letter = VisaLetterFactory(registration=registration)
    assert client.get(f"{BASE}letter.pdf").status_code == 404
    letter.delete()
    issue(registration)
    response = client.get(f"{BASE}letter.pdf")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = " ".join(pdf_text(response.content))
    assert "AFSE2009-0003" in text
    assert "NP7654321" in text


def test_refused_letter_is_not_downloadable(client, registration, participant):
    VisaLetterFactory(
        registration=registration, status=LetterStatus.REFUSED, refusal_reason="Incomplete."
    )
    client.force_login(participant)
    assert client.get(f"{BASE}letter.pdf").status_code == 404


def test_receipt_only_once_paid(client, registration, participant):
    client.force_login(participant)
    assert client.get(f"{BASE}receipt.pdf").status_code == 404
    pay(registration)
    response = client.get(f"{BASE}receipt.pdf")
    assert response.status_code == 200
    assert "Amount received 8000.00 JPY" in pdf_text(response.content)[0]


def test_certificate_only_after_check_in(client, registration, participant):
    client.force_login(participant)
    assert client.get(f"{BASE}certificate.pdf").status_code == 404
    registration.checked_in_at = timezone.now()
    registration.save()
    response = client.get(f"{BASE}certificate.pdf")
    assert response.status_code == 200
    assert "Certificate of attendance" in pdf_text(response.content)[0]


@pytest.mark.parametrize("path", ["passport.pdf", "badge.png", "../badge.pdf", "badge.pdf.pdf"])
def test_unknown_documents_are_not_found(client, registration, participant, path):
    client.force_login(participant)
    assert client.get(f"{BASE}{path}").status_code == 404


def test_documents_answer_get_only(client, registration, participant):
    client.force_login(participant)
    assert client.post(f"{BASE}badge.pdf").status_code == 405


def test_documents_for_lists_what_is_available(registration):
    assert [d["kind"] for d in documents_for(registration)] == ["badge"]
    issue(registration)
    pay(registration)
    registration.checked_in_at = timezone.now()
    registration.save()
    registration.refresh_from_db()
    assert documents_for(registration) == [
        {"kind": kind, "label": label, "title": label, "url": f"{BASE}{kind}.pdf"}
        for kind, label in [
            ("badge", "Badge (PDF)"),
            ("letter", "Visa invitation letter (PDF)"),
            ("receipt", "Receipt (PDF)"),
            ("certificate", "Certificate of attendance (PDF)"),
        ]
    ]


def test_documents_for_an_unconfirmed_registration_is_empty(registration):
    registration.status = RegistrationStatus.UNCONFIRMED
    assert documents_for(registration) == []


def test_documents_for_runs_a_constant_number_of_queries(registration):
    from registration.pages import RegistrationPage

    def queries(registration, *, with_page: bool) -> tuple[int, int]:
        registration = (
            type(registration)
            .objects.select_related("edition", "ticket_type", "visa_letter")
            .get(pk=registration.pk)
        )
        kwargs = {}
        if with_page:
            kwargs["page"] = RegistrationPage.objects.get(
                edition=registration.edition, locale__language_code="en"
            )
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            documents = documents_for(registration, **kwargs)
        return len(documents), len(context.captured_queries)

    one = (queries(registration, with_page=False), queries(registration, with_page=True))
    issue(registration)
    pay(registration)
    registration.checked_in_at = timezone.now()
    registration.save()
    four = (queries(registration, with_page=False), queries(registration, with_page=True))
    # The edition page (when not given) and the site's root paths (cached after the first).
    assert one == ((1, 3), (1, 2))
    assert four == ((4, 3), (4, 2))


def test_documents_of_a_registration_made_through_the_services(client, ticket):
    """The whole way with reg-core's services: register with a passport, confirm the address,
    the letter issued, the fee paid; each document appears in its turn."""
    from registration.documents.services.letters import issue_letter
    from registration.services.registrations import (
        confirm_email,
        record_payment,
        submit_registration,
    )
    from tests.factories.registration import passport_data, registration_data

    registration = submit_registration(
        edition=ticket.edition,
        ticket_type=ticket,
        data=registration_data(
            email="amara@example.org",
            needs_visa_letter=True,
            arrival_date=datetime.date(2009, 11, 6),
            departure_date=datetime.date(2009, 11, 11),
        ),
        answers={},
        passport=passport_data(),
        language="en",
    )
    registration = confirm_email(registration=registration, token=registration.confirmation_token)
    assert registration.status == RegistrationStatus.CONFIRMED
    client.force_login(registration.user)
    assert [d["kind"] for d in documents_for(registration)] == ["badge"]
    assert client.get(f"{BASE}letter.pdf").status_code == 404

    organizer = get_user_model().objects.get(username="tokyo-organizer")
    letter = issue_letter(letter=registration.visa_letter, actor=organizer)
    record_payment(registration=registration, amount="20000", actor=organizer)
    registration.refresh_from_db()
    assert [d["kind"] for d in documents_for(registration)] == ["badge", "letter", "receipt"]

    text = " ".join(pdf_text(client.get(f"{BASE}letter.pdf").content))
    assert f"Letter number {letter.number}" in text
    assert "Passport number P1234567" in text
    assert "Dates of stay Nov. 6, 2009 \N{EN DASH} Nov. 11, 2009" in text
    receipt = pdf_text(client.get(f"{BASE}receipt.pdf").content)[0]
    assert f"Receipt number {registration.receipt_number}" in receipt
    assert "Amount received 20000.00 JPY" in receipt
    # "My registration" links them.
    page = client.get(BASE).content.decode()
    for kind in ("badge", "letter", "receipt"):
        assert f'href="{BASE}{kind}.pdf"' in page
