"""A mail server that answers "451 try again later" for ten minutes (simulated: the outbox's
clock is moved on, nobody waits) loses nothing: every email is delivered once it accepts, and
exactly once."""

import datetime

import pytest
from django.db.models import F

from mail.enums import EmailStatus
from mail.models import OutboxEmail
from mail.services.outbox import queue_email, send_outbox_email, sweep_outbox
from tests.factories.mail import MailRegistrationFactory, MailTicketTypeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MINUTE = datetime.timedelta(minutes=1)


def pass_time(delta: datetime.timedelta) -> None:
    """Time passes for the outbox: every row was written, and is due, `delta` earlier."""
    OutboxEmail.objects.update(
        created_at=F("created_at") - delta, next_attempt_at=F("next_attempt_at") - delta
    )


def test_a_ten_minute_451_outage_delivers_everything_exactly_once(
    smtp_settings, edition, django_capture_on_commit_callbacks
):
    sink = smtp_settings.sink
    ticket = MailTicketTypeFactory(edition=edition, name="Outage delegate")
    OutboxEmail.objects.all().delete()
    sink.refuse_next(10**6)  # the server refuses everything for now
    with django_capture_on_commit_callbacks(execute=True):  # each task tries at once: refused
        for number in range(100):
            registration = MailRegistrationFactory(
                ticket_type=ticket, email=f"p{number}@example.org", name=f"Person {number}"
            )
            queue_email(
                to=registration.email,
                kind="test",
                template="registration/email/reminder",
                context={"registration": registration, "edition": edition, "days": 3},
                language="en",
                edition=edition,
                registration=registration,
            )
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {(EmailStatus.PENDING, 1)}

    minutes = 0
    while OutboxEmail.objects.filter(status=EmailStatus.PENDING).exists() and minutes < 60:
        minutes += 1
        pass_time(MINUTE)
        if minutes == 10:
            sink.refuse_next(0)  # the server is back after ten minutes
        sweep_outbox()  # what beat runs every minute

    emails = list(OutboxEmail.objects.order_by("pk"))
    assert {email.status for email in emails} == {EmailStatus.SENT}
    assert minutes == 10  # the first sweep after the server is back sends them all
    delivered = sink.message_ids()
    assert len(delivered) == 100
    assert sorted(delivered) == sorted(email.message_id for email in emails)  # once each
    # Tried at 0, 2 and 5 minutes (each due 1, 2, then 4 minutes after a refusal, taken by the
    # minute's sweep), sent at 10: four attempts, where the old 63 s of retries failed them.
    assert {email.attempts for email in emails} == {4}
    assert sink.refused == 300
    for email in emails:
        assert send_outbox_email(email_id=email.pk) == "already sent"
    assert len(sink.message_ids()) == 100
