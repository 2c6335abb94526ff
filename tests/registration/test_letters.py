"""The visa letter review queue (issue with a number, refuse with a reason, emails) and the
public verification page."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection

from forum.models import Edition
from mail.models import OutboxEmail
from registration.documents.services.letters import (
    LetterError,
    issue_letter,
    letter_number_prefix,
    refuse_letter,
)
from registration.enums import LetterStatus, RegistrationStatus
from registration.models import VisaLetter
from tests.factories.documents import (
    PassportDetailsFactory,
    RegistrationFactory,
    TicketTypeFactory,
    VisaLetterFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(db):
    return get_user_model().objects.get(username="tokyo-organizer")


def requested_letter(ticket_type, **registration_fields) -> VisaLetter:
    registration = RegistrationFactory(
        ticket_type=ticket_type, needs_visa_letter=True, **registration_fields
    )
    PassportDetailsFactory(
        registration=registration,
        full_name=registration.name.upper(),
        passport_number=f"NP{registration.pk:07d}",
    )
    return VisaLetterFactory(registration=registration)


def test_number_prefix_is_the_edition_name_without_spaces(edition):
    assert letter_number_prefix(edition) == "AFSE2009"


def test_issue_numbers_letters_per_edition_and_copies_holder_and_stay(edition, delegate, organizer):
    first = requested_letter(
        delegate,
        name="Ram Shrestha",
        arrival_date=datetime.date(2009, 11, 5),
        departure_date=datetime.date(2009, 11, 12),
    )
    second = requested_letter(delegate, name="Anan Chaiyasit")

    issued = issue_letter(letter=first, actor=organizer)
    issue_letter(letter=second, actor=organizer)

    first.refresh_from_db()
    second.refresh_from_db()
    assert issued.number == first.number == "AFSE2009-0001"
    assert second.number == "AFSE2009-0002"
    assert first.status == LetterStatus.ISSUED
    assert first.decided_by == organizer
    assert first.decided_at is not None
    assert (first.holder_name, first.stay_from, first.stay_until) == (
        "RAM SHRESTHA",
        datetime.date(2009, 11, 5),
        datetime.date(2009, 11, 12),
    )
    # Without travel dates, the stay is the edition's days.
    assert (second.stay_from, second.stay_until) == (edition.start_date, edition.end_date)


def test_issue_follows_the_highest_number_ever_given(delegate, organizer, other_edition):
    old = requested_letter(delegate)
    old.status, old.number = LetterStatus.ISSUED, "AFSE2009-0041"
    old.save()
    manila = TicketTypeFactory(edition=other_edition)
    manila_letter = requested_letter(manila)
    letter = requested_letter(delegate)

    assert issue_letter(letter=letter, actor=organizer).number == "AFSE2009-0042"
    assert issue_letter(letter=manila_letter, actor=organizer).number == "AFSE2007-0001"
    # A deleted registration takes its letter with it; its number is not given again.
    old.registration.delete()
    assert issue_letter(letter=requested_letter(delegate), actor=organizer).number == (
        "AFSE2009-0043"
    )


def test_issue_emails_the_participant_in_their_language_without_passport_data(delegate, organizer):
    letter = requested_letter(delegate, name="Hiroshi Tanaka", language="ja")
    issue_letter(letter=letter, actor=organizer)

    email = OutboxEmail.objects.get(registration=letter.registration)
    assert email.kind == "letter_issued"
    assert email.to_email == letter.registration.email
    assert email.language == "ja"
    assert "AFSE2009-0001" in email.subject
    assert "AFSE2009-0001" in email.body_text
    assert "http://127.0.0.1:8000/2009-tokyo/register/me/" in email.body_text
    for secret in (letter.registration.passport.passport_number, "1980"):
        assert secret not in email.body_text
        assert secret not in email.body_html
        assert secret not in email.subject


def test_refuse_needs_a_reason_and_emails_it(delegate, organizer):
    letter = requested_letter(delegate)
    with pytest.raises(LetterError, match="Give the reason"):
        refuse_letter(letter=letter, actor=organizer, reason="   ")
    assert OutboxEmail.objects.filter(registration=letter.registration).count() == 0

    refuse_letter(letter=letter, actor=organizer, reason="The registration is incomplete.")

    letter.refresh_from_db()
    assert letter.status == LetterStatus.REFUSED
    assert letter.number is None
    assert letter.refusal_reason == "The registration is incomplete."
    email = OutboxEmail.objects.get(registration=letter.registration)
    assert email.kind == "letter_refused"
    assert "Reason: The registration is incomplete." in email.body_text


def test_a_decided_letter_is_not_decided_again(delegate, organizer):
    letter = requested_letter(delegate)
    issue_letter(letter=letter, actor=organizer)
    with pytest.raises(LetterError, match="already been decided"):
        issue_letter(letter=letter, actor=organizer)
    with pytest.raises(LetterError, match="already been decided"):
        refuse_letter(letter=letter, actor=organizer, reason="No.")
    letter.refresh_from_db()
    assert (letter.status, letter.number) == (LetterStatus.ISSUED, "AFSE2009-0001")
    assert OutboxEmail.objects.filter(registration=letter.registration).count() == 1


@pytest.mark.parametrize("status", [RegistrationStatus.UNCONFIRMED, RegistrationStatus.WAITLISTED])
def test_only_a_confirmed_participant_gets_a_letter(delegate, organizer, status):
    letter = requested_letter(delegate, status=status)
    with pytest.raises(LetterError, match="Only a confirmed participant"):
        issue_letter(letter=letter, actor=organizer)
    letter.refresh_from_db()
    assert (letter.status, letter.number) == (LetterStatus.REQUESTED, None)


def test_no_letter_without_passport_details(delegate, organizer):
    letter = VisaLetterFactory(registration=RegistrationFactory(ticket_type=delegate))
    with pytest.raises(LetterError, match="No passport details"):
        issue_letter(letter=letter, actor=organizer)
    assert OutboxEmail.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_share_a_number(demo_site):
    edition = Edition.objects.get(slug="2009-tokyo")
    organizer = get_user_model().objects.get(username="tokyo-organizer")
    ticket = TicketTypeFactory(edition=edition)
    letters = [requested_letter(ticket) for _ in range(12)]
    # The numbers the edition gave before (the demo's letters, if it issued any).
    given = [
        int(number.rpartition("-")[2])
        for number in VisaLetter.objects.filter(
            registration__edition=edition, number__isnull=False
        ).values_list("number", flat=True)
    ]
    first = max(given, default=0) + 1
    barrier = threading.Barrier(len(letters))
    errors = []

    def issue(letter):
        try:
            barrier.wait(timeout=10)
            issue_letter(letter=letter, actor=organizer)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=issue, args=(letter,)) for letter in letters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(
        VisaLetter.objects.filter(pk__in=[letter.pk for letter in letters]).values_list(
            "number", flat=True
        )
    )
    assert numbers == [f"AFSE2009-{n:04d}" for n in range(first, first + 12)]


# --- The verification page ------------------------------------------------------------------


def verify_url(letter) -> str:
    return f"/verify/letter/{letter.verification_token}/"


def test_verification_shows_number_holder_and_dates_only(client, delegate, organizer):
    letter = requested_letter(
        delegate,
        name="Ram Shrestha",
        organization_name="Nepal Cooperative Federation",
        arrival_date=datetime.date(2009, 11, 5),
        departure_date=datetime.date(2009, 11, 12),
    )
    issue_letter(letter=letter, actor=organizer)
    passport = letter.registration.passport

    response = client.get(verify_url(letter))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert "This letter is valid" in html
    assert "<dd>AFSE2009-0001</dd>" in html
    assert "<dd>RAM SHRESTHA</dd>" in html
    assert '<time datetime="2009-11-05">Nov. 5, 2009</time>' in html
    assert '<time datetime="2009-11-12">Nov. 12, 2009</time>' in html
    for private in (
        passport.passport_number,
        "Nepal",
        "1980",
        letter.registration.email,
        "Nepal Cooperative Federation",
        letter.registration.reference,
    ):
        assert private not in html


def test_verification_in_japanese(client, delegate, organizer):
    letter = requested_letter(delegate)
    issue_letter(letter=letter, actor=organizer)
    response = client.get(f"/ja{verify_url(letter)}")
    assert response.status_code == 200
    assert "AFSE2009-0001" in response.content.decode()


def test_verification_of_a_refused_or_pending_letter_says_it_is_not_valid(
    client, delegate, organizer
):
    pending = requested_letter(delegate, name="Pending Person")
    refused = requested_letter(delegate, name="Refused Person")
    refuse_letter(letter=refused, actor=organizer, reason="Incomplete.")
    for letter in (pending, refused):
        response = client.get(verify_url(letter))
        assert response.status_code == 200
        html = response.content.decode()
        assert "This letter is not valid" in html
        assert "Person" not in html
        assert "Incomplete." not in html


def test_verification_of_a_cancelled_participant_letter_says_it_is_not_valid(
    client, delegate, organizer
):
    letter = requested_letter(delegate)
    issue_letter(letter=letter, actor=organizer)
    letter.registration.status = RegistrationStatus.CANCELLED
    letter.registration.save()
    html = client.get(verify_url(letter)).content.decode()
    assert "This letter is not valid" in html
    assert "AFSE2009-0001" not in html


@pytest.mark.parametrize(
    "path",
    # A well-formed token no letter has (fixed: pytest-xdist workers must collect the same ids).
    [
        "/verify/letter/5f0c7e9a-3b1d-4c2e-9a8f-6d4b2e1c0a97/",
        "/verify/letter/not-a-token/",
        "/verify/letter/1/",
    ],
)
def test_verification_of_an_unknown_token_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_verification_answers_get_only(client, delegate, organizer):
    letter = requested_letter(delegate)
    assert client.post(verify_url(letter)).status_code == 405
