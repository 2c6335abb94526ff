"""Sign-ups for sessions with limited seats and their waiting lists."""

import pytest

from registration.enums import RegistrationStatus, SignupStatus
from registration.models import SessionSignup
from registration.services.errors import RegistrationError
from registration.services.registrations import cancel_registration, refuse_registration
from registration.services.signups import (
    cancel_signup,
    promote_session_waitlist,
    sign_up_for_session,
    signup_position,
)
from sessions_app.enums import SessionKind, SessionStatus
from tests.factories.programme import SessionFactory
from tests.factories.registration import (
    RegistrationFactory,
    SessionCapacityFactory,
    TicketTypeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(open_edition):
    session = SessionFactory(edition=open_edition, kind=SessionKind.VISIT, title="Coop farm visit")
    SessionCapacityFactory(session=session, capacity=2)
    return session


@pytest.fixture
def people(open_edition):
    ticket = TicketTypeFactory(edition=open_edition, capacity=None)
    return [
        RegistrationFactory(ticket_type=ticket, email=f"p{i}@example.org", name=f"P{i}")
        for i in range(5)
    ]


def test_sign_up_takes_seats_then_waitlists_in_order(visit, people, outbox):
    signups = [sign_up_for_session(registration=r, session=visit) for r in people[:4]]
    assert [s.status for s in signups] == [SignupStatus.CONFIRMED] * 2 + [
        SignupStatus.WAITLISTED
    ] * 2
    assert [signup_position(s) for s in signups] == [None, None, 1, 2]
    emails = outbox(kind="registration_session_waitlisted")
    assert [e.to_email for e in emails] == ["p2@example.org", "p3@example.org"]
    assert emails[0].subject == "Waiting list: Coop farm visit"
    assert "Your position on the waiting list: 1." in emails[0].body_text


def test_cancel_signup_promotes_first_waiting_and_emails(visit, people, outbox):
    first, _second, third, fourth = (
        sign_up_for_session(registration=r, session=visit) for r in people[:4]
    )
    cancel_signup(signup=first)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == SignupStatus.CONFIRMED
    assert fourth.status == SignupStatus.WAITLISTED
    assert signup_position(fourth) == 1
    [promoted] = outbox(kind="registration_session_promoted")
    assert promoted.to_email == "p2@example.org"
    assert promoted.subject == "A seat is yours: Coop farm visit"
    with pytest.raises(RegistrationError, match="already cancelled"):
        cancel_signup(signup=first)


def test_signing_up_again_after_cancelling_reuses_the_row(visit, people):
    signup = sign_up_for_session(registration=people[0], session=visit)
    cancel_signup(signup=signup)
    again = sign_up_for_session(registration=people[0], session=visit)
    assert again.pk == signup.pk
    assert again.status == SignupStatus.CONFIRMED
    with pytest.raises(RegistrationError, match="already signed up"):
        sign_up_for_session(registration=people[0], session=visit)


def test_cancelling_the_registration_frees_its_session_seat(visit, people, outbox):
    sign_up_for_session(registration=people[0], session=visit)
    sign_up_for_session(registration=people[1], session=visit)
    waiting = sign_up_for_session(registration=people[2], session=visit)
    cancel_registration(registration=people[0], actor=None)
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED
    assert SessionSignup.objects.get(registration=people[0]).status == SignupStatus.CANCELLED


def test_refusing_the_registration_frees_its_session_seat(visit, people):
    sign_up_for_session(registration=people[0], session=visit)
    sign_up_for_session(registration=people[1], session=visit)
    waiting = sign_up_for_session(registration=people[2], session=visit)
    refuse_registration(registration=people[1], actor=None)
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED


def test_more_seats_promote_the_waiting(visit, people):
    signups = [sign_up_for_session(registration=r, session=visit) for r in people]
    visit.seats.capacity = 4
    visit.seats.save()
    promoted = promote_session_waitlist(session=visit)
    assert [s.pk for s in promoted] == [signups[2].pk, signups[3].pk]
    signups[4].refresh_from_db()
    assert signup_position(signups[4]) == 1


def test_only_confirmed_registrations_sign_up(visit, open_edition):
    for status in (
        RegistrationStatus.UNCONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.PENDING_APPROVAL,
        RegistrationStatus.CANCELLED,
    ):
        registration = RegistrationFactory(ticket_type__edition=open_edition, status=status)
        with pytest.raises(RegistrationError, match="once your registration is confirmed"):
            sign_up_for_session(registration=registration, session=visit)
    assert SessionSignup.objects.filter(session=visit).count() == 0


def test_session_of_another_edition_without_seats_closed_or_cancelled_refused(
    visit, people, other_edition
):
    foreign = SessionFactory(edition=other_edition)
    SessionCapacityFactory(session=foreign)
    free = SessionFactory(edition=visit.edition)
    closed = SessionFactory(edition=visit.edition)
    SessionCapacityFactory(session=closed, signup_open=False)
    cancelled = SessionFactory(edition=visit.edition, status=SessionStatus.CANCELLED)
    SessionCapacityFactory(session=cancelled)
    cases = [
        (foreign, "not part of your edition"),
        (free, "needs no sign-up"),
        (closed, "closed"),
        (cancelled, "cancelled"),
    ]
    for session, message in cases:
        with pytest.raises(RegistrationError, match=message):
            sign_up_for_session(registration=people[0], session=session)
    assert SessionSignup.objects.filter(registration=people[0]).count() == 0
