"""No overbooking: 50 people at once for 10 seats, on a real PostgreSQL (SQLite ignores
select_for_update). Each thread has its own connection and transaction."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from registration.enums import RegistrationStatus, SignupStatus
from registration.models import Registration, SessionSignup
from registration.services.registrations import confirm_email, submit_registration
from registration.services.signups import sign_up_for_session
from sessions_app.enums import SessionKind
from tests.factories import EditionFactory
from tests.factories.programme import SessionFactory
from tests.factories.registration import (
    RegistrationFactory,
    RegistrationSettingsFactory,
    SessionCapacityFactory,
    TicketTypeFactory,
    registration_data,
)

PEOPLE = 50
SEATS = 10

pytestmark = [pytest.mark.postgres]


def _all_at_once(work, count: int) -> list:
    """Run work(i) in `count` threads released together; each closes its own connection."""
    barrier = threading.Barrier(count)

    def run(i):
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_fifty_people_register_for_ten_seats(transactional_db):
    edition = EditionFactory()
    RegistrationSettingsFactory(edition=edition)
    ticket = TicketTypeFactory(edition=edition, capacity=SEATS)

    def register(i):
        registration = submit_registration(
            edition=edition,
            ticket_type=ticket,
            data=registration_data(email=f"p{i}@example.org", name=f"Person {i}"),
            answers={},
            passport=None,
            language="en",
        )
        return confirm_email(registration=registration, token=registration.confirmation_token)

    results = _all_at_once(register, PEOPLE)

    statuses = [r.status for r in results]
    assert statuses.count(RegistrationStatus.CONFIRMED) == SEATS
    assert statuses.count(RegistrationStatus.WAITLISTED) == PEOPLE - SEATS
    stored = Registration.objects.filter(ticket_type=ticket)
    assert stored.filter(status=RegistrationStatus.CONFIRMED).count() == SEATS
    assert stored.filter(status=RegistrationStatus.WAITLISTED).count() == PEOPLE - SEATS
    # The waiting list has one distinct, gap-free order.
    waiting = list(
        stored.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlisted_at", "pk")
    )
    assert len({(r.waitlisted_at, r.pk) for r in waiting}) == PEOPLE - SEATS


def test_fifty_people_sign_up_for_ten_session_seats(transactional_db):
    edition = EditionFactory()
    ticket = TicketTypeFactory(edition=edition, capacity=None)
    people = [
        RegistrationFactory(ticket_type=ticket, email=f"p{i}@example.org") for i in range(PEOPLE)
    ]
    visit = SessionFactory(edition=edition, kind=SessionKind.VISIT)
    SessionCapacityFactory(session=visit, capacity=SEATS)

    results = _all_at_once(
        lambda i: sign_up_for_session(registration=people[i], session=visit), PEOPLE
    )

    statuses = [s.status for s in results]
    assert statuses.count(SignupStatus.CONFIRMED) == SEATS
    assert statuses.count(SignupStatus.WAITLISTED) == PEOPLE - SEATS
    stored = SessionSignup.objects.filter(session=visit)
    assert stored.filter(status=SignupStatus.CONFIRMED).count() == SEATS
    assert stored.filter(status=SignupStatus.WAITLISTED).count() == PEOPLE - SEATS
