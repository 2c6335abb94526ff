"""Registration services: submit, confirm, seats and the waiting list, decisions, payment."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.questions import QuestionKind
from registration.enums import (
    LetterStatus,
    PaymentStatus,
    RegistrationStatus,
    WaiverKind,
    WaiverStatus,
)
from registration.models import Answer, PassportDetails, Registration, RegistrationSettings
from registration.services.errors import RegistrationError
from registration.services.registrations import (
    approve_registration,
    cancel_registration,
    change_ticket_type,
    confirm_email,
    decide_waiver,
    promote_waitlisted,
    record_payment,
    refuse_registration,
    request_waiver,
    submit_registration,
    transition_registration,
    update_details,
    waitlist_position,
)
from tests.factories import UserFactory
from tests.factories.registration import (
    QuestionFactory,
    RegistrationFactory,
    TicketTypeFactory,
    passport_data,
    registration_data,
)

S = RegistrationStatus
pytestmark = pytest.mark.django_db


def submit(ticket, language="en", passport=None, answers=None, **data):
    return submit_registration(
        edition=ticket.edition,
        ticket_type=ticket,
        data=registration_data(**data),
        answers=answers or {},
        passport=passport,
        language=language,
    )


def register(ticket, email, **data):
    registration = submit(ticket, email=email, **data)
    return confirm_email(registration=registration, token=registration.confirmation_token)


def test_submit_saves_unconfirmed_with_fee_of_income_group_and_emails_confirm_link(
    ticket, outbox, settings
):
    settings.SITE_URL = "https://forum.example"
    registration = submit(ticket)

    registration.refresh_from_db()
    assert registration.status == S.UNCONFIRMED
    assert registration.income_group == "lower_middle"  # the Philippines
    assert registration.fee == Decimal("5000.00")
    assert registration.currency == "JPY"
    assert registration.user is None
    [email] = outbox()
    assert email.kind == "registration_confirm_address"
    assert email.to_email == "amara@example.org"
    assert email.subject == "Confirm your email address for AFSE 2009"
    link = f"https://forum.example/2009-tokyo/register/confirm/{registration.confirmation_token}/"
    assert link in email.body_text
    assert f'href="{link}"' in email.body_html


def test_confirm_link_ignores_the_request_host_and_uses_the_language(ticket, outbox, settings):
    settings.SITE_URL = "https://forum.example"
    registration = submit(ticket, language="ja")
    [email] = outbox()
    assert email.language == "ja"
    assert "https://forum.example/ja/2009-tokyo/register/confirm/" in email.body_text
    assert "メール" in email.subject
    assert registration.language == "ja"


def test_submit_refused_when_closed_and_nothing_saved(ticket, outbox):
    RegistrationSettings.objects.filter(edition=ticket.edition).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(RegistrationError, match="closed"):
        submit(ticket)
    assert Registration.objects.filter(email="amara@example.org").count() == 0
    assert outbox() == []


def test_submit_refused_before_opening(ticket):
    RegistrationSettings.objects.filter(edition=ticket.edition).update(
        opens_at=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(RegistrationError, match="closed"):
        submit(ticket)


def test_submit_refuses_ticket_type_of_another_edition_or_not_public(ticket, other_edition):
    foreign = TicketTypeFactory(edition=other_edition)
    hidden = TicketTypeFactory(edition=ticket.edition, is_public=False)
    for forged in (foreign, hidden):
        with pytest.raises(RegistrationError, match="ticket types offered"):
            submit_registration(
                edition=ticket.edition,
                ticket_type=forged,
                data=registration_data(),
                answers={},
                passport=None,
                language="en",
            )
    assert Registration.objects.filter(email="amara@example.org").count() == 0


def test_duplicate_address_saves_nothing_and_tells_the_owner_case_insensitive(ticket, outbox):
    first = submit(ticket, language="ja")
    again = submit(ticket, email="AMARA@example.org", language="en")
    assert again == first
    assert Registration.objects.filter(email__iexact="amara@example.org").count() == 1
    assert [(m.kind, m.to_email, m.language) for m in outbox()] == [
        ("registration_confirm_address", "amara@example.org", "ja"),
        ("registration_already_registered", "amara@example.org", "ja"),
    ]


def test_after_cancelling_the_same_address_may_register_again(ticket):
    first = register(ticket, "amara@example.org")
    cancel_registration(registration=first, actor=first.user)
    second = submit(ticket)
    assert second.status == S.UNCONFIRMED


def test_invalid_data_refused_with_field_errors(ticket):
    with pytest.raises(RegistrationError) as caught:
        submit(ticket, email="not an address", name="")
    assert set(caught.value.message_dict) == {"email", "name"}
    with pytest.raises(RegistrationError) as caught:
        submit(
            ticket,
            arrival_date=datetime.date(2009, 11, 8),
            departure_date=datetime.date(2009, 11, 6),
        )
    assert caught.value.message_dict == {
        "departure_date": ["Departure must not be before arrival."]
    }
    assert Registration.objects.filter(email="amara@example.org").count() == 0


def test_visa_letter_needs_passport_and_creates_requested_letter(ticket):
    with pytest.raises(RegistrationError, match="passport details"):
        submit(ticket, needs_visa_letter=True)
    registration = submit(
        ticket,
        needs_visa_letter=True,
        passport=passport_data(),
        arrival_date=datetime.date(2009, 11, 6),
        departure_date=datetime.date(2009, 11, 11),
    )
    assert registration.passport.passport_number == "P1234567"
    letter = registration.visa_letter
    assert letter.status == LetterStatus.REQUESTED
    assert letter.holder_name == "AMARA OKAFOR"
    assert (letter.stay_from, letter.stay_until) == (
        datetime.date(2009, 11, 6),
        datetime.date(2009, 11, 11),
    )


def test_passport_number_never_in_the_email(ticket, outbox):
    submit(ticket, needs_visa_letter=True, passport=passport_data())
    [email] = outbox()
    assert "P1234567" not in email.body_text + email.body_html + email.subject


def test_answers_to_the_editions_questions(ticket, other_edition):
    text = QuestionFactory(edition=ticket.edition, label="Why do you come?", required=True)
    choice = QuestionFactory(
        edition=ticket.edition, kind=QuestionKind.CHOICE, choices="Bus\nTrain", label="Transport"
    )
    box = QuestionFactory(edition=ticket.edition, kind=QuestionKind.CHECKBOX, label="Photos ok")
    foreign = QuestionFactory(edition=other_edition)
    with pytest.raises(RegistrationError, match=r"Please answer: Why do you come\?"):
        submit(ticket, answers={choice.pk: "Bus"})
    with pytest.raises(RegistrationError, match="not one of the choices"):
        submit(ticket, answers={text.pk: "To learn", choice.pk: "Plane"})
    with pytest.raises(RegistrationError, match="unknown question"):
        submit(ticket, answers={text.pk: "To learn", foreign.pk: "x"})
    assert Registration.objects.filter(email="amara@example.org").count() == 0
    registration = submit(ticket, answers={text.pk: " To learn ", choice.pk: "Train", box.pk: True})
    assert dict(
        Answer.objects.filter(registration=registration).values_list("question", "value")
    ) == {
        text.pk: "To learn",
        choice.pk: "Train",
        box.pk: "yes",
    }


def test_confirm_creates_an_account_without_password_and_confirms_with_a_seat(ticket, outbox):
    registration = submit(ticket)
    registration = confirm_email(registration=registration, token=registration.confirmation_token)
    assert registration.status == S.CONFIRMED
    assert registration.email_confirmed_at is not None
    assert registration.payment_status == PaymentStatus.DUE
    user = registration.user
    assert user.email == "amara@example.org"
    assert not user.has_usable_password()
    assert [e.kind for e in outbox()] == [
        "registration_confirm_address",
        "registration_received",
    ]
    assert "is confirmed" in outbox()[-1].body_text
    assert "Amount due: 5000.00 JPY." in outbox()[-1].body_text


def test_confirm_links_the_existing_account_with_that_address(ticket):
    user = UserFactory(username="amara", email="Amara@Example.org")
    registration = register(ticket, "amara@example.org")
    assert registration.user == user
    assert get_user_model().objects.filter(email__iexact="amara@example.org").count() == 1


def test_confirm_gives_a_new_account_a_username_of_its_own(ticket):
    other = UserFactory(username="Amara", email="someone.else@example.org")
    registration = register(ticket, "amara@example.org")
    assert registration.user != other
    assert registration.user.username.startswith("amara-")
    assert registration.user.email == "amara@example.org"


def test_confirming_reads_the_ticket_type_once_and_counts_the_seats_in_one_query(ticket):
    ticket.capacity = 3
    ticket.save()
    registration = submit(ticket)
    registration = Registration.objects.select_related("edition").get(pk=registration.pk)
    with CaptureQueriesContext(connection) as queries:
        confirm_email(registration=registration, token=registration.confirmation_token)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([q for q in sql if 'FROM "registration_tickettype"' in q]) == 1  # the lock
    assert len([q for q in sql if "COUNT(" in q]) == 1
    assert not [q for q in sql if 'FROM "forum_edition"' in q]
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


@pytest.mark.parametrize("country", ["XX", ""])
def test_a_country_not_in_the_list_is_refused(ticket, country):
    with pytest.raises(RegistrationError) as refused:
        submit(ticket, country=country)
    assert "country" in refused.value.error_dict
    assert not Registration.objects.filter(email="amara@example.org").exists()


def test_confirm_with_wrong_token_refused(ticket):
    registration = submit(ticket)
    with pytest.raises(RegistrationError, match="not valid"):
        confirm_email(registration=registration, token="x" * 43)
    registration.refresh_from_db()
    assert registration.status == S.UNCONFIRMED


def test_confirming_twice_changes_nothing(ticket, outbox):
    registration = register(ticket, "amara@example.org")
    again = confirm_email(registration=registration, token=registration.confirmation_token)
    assert again.status == S.CONFIRMED
    assert len(outbox(kind="registration_received")) == 1


def test_ticket_needing_approval_waits_then_approved(ticket, outbox):
    ticket.requires_approval = True
    ticket.save()
    registration = register(ticket, "amara@example.org")
    assert registration.status == S.PENDING_APPROVAL
    assert "will review it" in outbox(kind="registration_received")[0].body_text
    organizer = UserFactory()
    approve_registration(registration=registration, actor=organizer)
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert registration.decided_by == organizer
    assert len(outbox(kind="registration_approved")) == 1


def test_full_ticket_type_waitlists_in_order_and_tells_the_position(ticket, outbox):
    first, second = (register(ticket, f"p{i}@example.org") for i in range(2))
    third = register(ticket, "p3@example.org")
    fourth = register(ticket, "p4@example.org")
    assert [r.status for r in (first, second, third, fourth)] == [S.CONFIRMED] * 2 + [
        S.WAITLISTED
    ] * 2
    assert (waitlist_position(third), waitlist_position(fourth)) == (1, 2)
    assert third.payment_status == PaymentStatus.NOT_DUE
    emails = outbox(kind="registration_waitlisted")
    assert [e.to_email for e in emails] == ["p3@example.org", "p4@example.org"]
    assert "Your position on the waiting list: 2." in emails[1].body_text


def test_cancelling_promotes_the_first_waiting_and_emails_them(ticket, outbox):
    first = register(ticket, "p1@example.org")
    register(ticket, "p2@example.org")
    third = register(ticket, "p3@example.org")
    fourth = register(ticket, "p4@example.org")
    cancel_registration(registration=first, actor=first.user)
    first.refresh_from_db()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert first.status == S.CANCELLED
    assert first.cancelled_at is not None
    assert third.status == S.CONFIRMED
    assert third.payment_status == PaymentStatus.DUE
    assert fourth.status == S.WAITLISTED
    assert waitlist_position(fourth) == 1
    assert [e.to_email for e in outbox(kind="registration_promoted")] == ["p3@example.org"]
    assert [e.to_email for e in outbox(kind="registration_cancelled")] == ["p1@example.org"]


def test_refusing_a_confirmed_registration_promotes_and_gives_the_reason(ticket, outbox):
    first = register(ticket, "p1@example.org")
    register(ticket, "p2@example.org")
    third = register(ticket, "p3@example.org")
    refuse_registration(registration=first, actor=UserFactory(), reason="Duplicate person")
    third.refresh_from_db()
    assert third.status == S.CONFIRMED
    [refused] = outbox(kind="registration_refused")
    assert "Reason: Duplicate person" in refused.body_text


def test_capacity_increase_promotes_as_many_as_new_seats(ticket, outbox):
    people = [register(ticket, f"p{i}@example.org") for i in range(5)]
    ticket.capacity = 4
    ticket.save()
    promoted = promote_waitlisted(ticket_type=ticket)
    assert [r.email for r in promoted] == ["p2@example.org", "p3@example.org"]
    people[4].refresh_from_db()
    assert people[4].status == S.WAITLISTED
    assert waitlist_position(people[4]) == 1


def test_unlimited_ticket_type_never_waitlists(open_edition):
    unlimited = TicketTypeFactory(edition=open_edition, capacity=None)
    for i in range(3):
        assert register(unlimited, f"p{i}@example.org").status == S.CONFIRMED


def test_newcomer_does_not_jump_the_queue_when_a_seat_is_free(ticket):
    register(ticket, "p1@example.org")
    register(ticket, "p2@example.org")
    waiting = register(ticket, "p3@example.org")
    # Capacity raised without promoting: the seat is owed to the one waiting.
    ticket.capacity = 3
    ticket.save()
    newcomer = register(ticket, "p4@example.org")
    assert newcomer.status == S.WAITLISTED
    promote_waitlisted(ticket_type=ticket)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_transition_refuses_moves_not_allowed(ticket):
    registration = RegistrationFactory(ticket_type=ticket, status=S.CANCELLED)
    with pytest.raises(RegistrationError, match="cannot become"):
        transition_registration(registration=registration, to_status=S.CONFIRMED, actor=None)
    with pytest.raises(RegistrationError, match="Only a registration awaiting approval"):
        approve_registration(registration=registration, actor=None)


def test_change_ticket_type_moves_fee_and_frees_seat(ticket, outbox):
    observer = TicketTypeFactory(
        edition=ticket.edition, capacity=5, fee_lower_middle=1000, is_public=False
    )
    first = register(ticket, "p1@example.org")
    register(ticket, "p2@example.org")
    third = register(ticket, "p3@example.org")
    change_ticket_type(registration=first, ticket_type=observer, actor=UserFactory())
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.ticket_type, first.status, first.fee) == (observer, S.CONFIRMED, Decimal(1000))
    assert third.status == S.CONFIRMED
    assert len(outbox(kind="registration_promoted")) == 1


def test_change_to_a_full_ticket_type_waitlists(ticket, open_edition):
    tiny = TicketTypeFactory(edition=open_edition, capacity=1)
    register(tiny, "holder@example.org")
    mover = register(ticket, "mover@example.org")
    change_ticket_type(registration=mover, ticket_type=tiny, actor=None)
    mover.refresh_from_db()
    assert mover.status == S.WAITLISTED


def test_change_to_ticket_type_of_another_edition_refused(ticket, other_edition):
    registration = register(ticket, "p1@example.org")
    with pytest.raises(RegistrationError, match="another edition"):
        change_ticket_type(
            registration=registration,
            ticket_type=TicketTypeFactory(edition=other_edition),
            actor=None,
        )


def test_record_payment_numbers_receipts_per_edition(ticket, other_edition):
    first = register(ticket, "p1@example.org")
    second = register(ticket, "p2@example.org")
    # The demo has receipts already: numbering goes on from the last.
    before = Registration.objects.filter(
        edition=ticket.edition, receipt_number__isnull=False
    ).count()
    record_payment(registration=first, amount="5000", reference="bank 1", actor=None)
    record_payment(registration=second, amount=Decimal(5000), actor=None)
    foreign = RegistrationFactory(ticket_type=TicketTypeFactory(edition=other_edition))
    record_payment(registration=foreign, amount=10, actor=None)
    first.refresh_from_db()
    second.refresh_from_db()
    foreign.refresh_from_db()
    assert (first.receipt_number, second.receipt_number) == (
        f"2009-tokyo-R{before + 1:04d}",
        f"2009-tokyo-R{before + 2:04d}",
    )
    assert foreign.receipt_number == "2007-manila-R0001"
    assert first.payment_status == PaymentStatus.PAID
    assert first.amount_paid == Decimal("5000.00")
    assert first.payment_reference == "bank 1"
    with pytest.raises(RegistrationError, match="already recorded"):
        record_payment(registration=first, amount=1, actor=None)


@pytest.mark.parametrize("amount", ["-5", "0", "abc", None])
def test_record_payment_refuses_bad_amounts(ticket, amount):
    registration = register(ticket, "p1@example.org")
    with pytest.raises(RegistrationError):
        record_payment(registration=registration, amount=amount, actor=None)
    registration.refresh_from_db()
    assert registration.payment_status == PaymentStatus.DUE


def test_waiver_requested_on_the_form_then_granted(ticket):
    registration = submit(ticket, waiver_kind=WaiverKind.WAIVER, waiver_reason="Small coop")
    registration = confirm_email(registration=registration, token=registration.confirmation_token)
    assert registration.waiver_status == WaiverStatus.REQUESTED
    assert registration.payment_status == PaymentStatus.DUE
    decide_waiver(registration=registration, grant=True, actor=None)
    registration.refresh_from_db()
    assert registration.waiver_amount == Decimal("5000.00")
    assert registration.amount_due == 0
    assert registration.payment_status == PaymentStatus.NOT_DUE


def test_subsidy_needs_an_amount_up_to_the_fee(ticket):
    registration = register(ticket, "p1@example.org")
    with pytest.raises(RegistrationError, match="why you ask"):
        request_waiver(registration=registration, kind=WaiverKind.SUBSIDY, reason=" ")
    request_waiver(registration=registration, kind=WaiverKind.SUBSIDY, reason="Travel costs")
    with pytest.raises(RegistrationError, match="already asked"):
        request_waiver(registration=registration, kind=WaiverKind.SUBSIDY, reason="Again")
    with pytest.raises(RegistrationError, match="exceed"):
        decide_waiver(registration=registration, grant=True, amount="6000", actor=None)
    decide_waiver(registration=registration, grant=True, amount="2000", actor=None)
    registration.refresh_from_db()
    assert registration.amount_due == Decimal("3000.00")
    assert registration.payment_status == PaymentStatus.DUE


def test_waiver_refused(ticket):
    registration = register(ticket, "p1@example.org")
    request_waiver(registration=registration, kind=WaiverKind.WAIVER, reason="Please")
    decide_waiver(registration=registration, grant=False, actor=None)
    registration.refresh_from_db()
    assert (registration.waiver_status, registration.amount_due) == (
        WaiverStatus.REFUSED,
        Decimal("5000.00"),
    )
    with pytest.raises(RegistrationError, match="No request"):
        decide_waiver(registration=registration, grant=True, actor=None)


def test_update_details_changes_fee_with_country_and_visa_letter(ticket):
    registration = register(ticket, "p1@example.org")
    update_details(
        registration=registration,
        data={"country": "NZ", "name": "Amara O.", "needs_visa_letter": True},
        answers={},
        passport=passport_data(),
    )
    registration.refresh_from_db()
    assert (registration.name, registration.fee, registration.income_group) == (
        "Amara O.",
        Decimal("20000.00"),
        "high",
    )
    assert registration.visa_letter.status == LetterStatus.REQUESTED
    update_details(
        registration=registration, data={"needs_visa_letter": False}, answers={}, passport=None
    )
    assert not PassportDetails.objects.filter(registration=registration).exists()


def test_update_details_of_cancelled_registration_refused(ticket):
    registration = register(ticket, "p1@example.org")
    cancel_registration(registration=registration, actor=None)
    with pytest.raises(RegistrationError, match="no longer active"):
        update_details(registration=registration, data={"name": "X"}, answers={}, passport=None)
    registration.refresh_from_db()
    assert registration.name == "Amara Okafor"


def test_issued_letter_cannot_be_withdrawn_by_the_participant(ticket):
    registration = submit(ticket, needs_visa_letter=True, passport=passport_data())
    registration.visa_letter.status = LetterStatus.ISSUED
    registration.visa_letter.save()
    with pytest.raises(RegistrationError, match="issued"):
        update_details(
            registration=registration,
            data={"needs_visa_letter": False},
            answers={},
            passport=None,
        )
    registration.refresh_from_db()
    assert registration.needs_visa_letter is True


def test_japanese_participant_gets_japanese_emails(ticket, outbox):
    register(ticket, "p1@example.org")
    register(ticket, "p2@example.org")
    waiting = register(ticket, "taro@example.jp", language="ja")
    assert waiting.status == S.WAITLISTED
    [email] = outbox(kind="registration_waitlisted")
    assert email.language == "ja"
    assert "キャンセル待ち" in email.subject


def test_logged_in_person_owns_only_a_registration_with_their_own_address(ticket):
    person = UserFactory(email="me@example.org")
    for_someone_else = submit_registration(
        edition=ticket.edition,
        ticket_type=ticket,
        data=registration_data(email="friend@example.org"),
        answers={},
        passport=None,
        language="en",
        user=person,
    )
    assert for_someone_else.user is None
    confirmed = confirm_email(
        registration=for_someone_else, token=for_someone_else.confirmation_token
    )
    assert confirmed.user != person
    assert confirmed.user.email == "friend@example.org"
    mine = submit_registration(
        edition=ticket.edition,
        ticket_type=ticket,
        data=registration_data(email="ME@example.org"),
        answers={},
        passport=None,
        language="en",
        user=person,
    )
    assert mine.user == person
