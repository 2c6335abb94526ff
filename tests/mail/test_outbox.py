"""The outbox in this process (eager tasks) against a real SMTP server on loopback: written
after commit only, sent once, retried by the sweep with attempts counted, given up as FAILED."""

import datetime
import smtplib
import socket

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mail.enums import EmailStatus
from mail.models import OutboxEmail
from mail.services.outbox import (
    queue_email,
    render_email,
    resend_email,
    send_outbox_email,
    sweep_outbox,
)
from mail.tasks import task_send_email
from tests.factories.mail import MailRegistrationFactory, MailTicketTypeFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "registration/email/reminder"


@pytest.fixture
def registration(edition):
    ticket = MailTicketTypeFactory(edition=edition, name="Mail delegate")
    return MailRegistrationFactory(
        ticket_type=ticket, name="Ana Cruz & Co", email="ana@example.org", reference="T0000001"
    )


def write(registration, *, dedupe_key=None, language="en"):
    return queue_email(
        to=registration.email,
        kind="reminder",
        template=TEMPLATE,
        context={
            "registration": registration,
            "edition": registration.edition,
            "days": 7,
            "my_registration_url": "http://testserver/2009-tokyo/register/me/",
        },
        language=language,
        edition=registration.edition,
        registration=registration,
        dedupe_key=dedupe_key,
    )


def test_email_is_sent_once_after_commit(
    smtp_settings, registration, django_capture_on_commit_callbacks
):
    sink = smtp_settings.sink
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = write(registration)
    assert email.status == EmailStatus.PENDING
    assert sink.messages == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 1, "")
    assert email.sent_at is not None
    assert sink.message_ids() == [email.message_id]
    message = sink.messages[0]
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "AFSE 2009 starts in 7 days"


def test_rolled_back_transaction_writes_and_queues_nothing(
    smtp_settings, registration, django_capture_on_commit_callbacks
):
    def register_then_fail():
        with transaction.atomic():
            write(registration)
            raise RuntimeError("the registration failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        register_then_fail()
    assert callbacks == []
    assert OutboxEmail.objects.count() == 0
    assert smtp_settings.sink.messages == []


def test_text_parts_are_not_html_escaped_and_the_html_part_is(registration):
    subject, text, html = render_email(
        template=TEMPLATE,
        context={
            "registration": registration,
            "edition": registration.edition,
            "days": 3,
            "my_registration_url": "http://testserver/x/?a=1&b=2",
        },
        language="en",
    )
    assert subject == "AFSE 2009 starts in 3 days"
    assert text.startswith("Dear Ana Cruz & Co,\n")
    assert "http://testserver/x/?a=1&b=2\n" in text
    assert "<p>Dear Ana Cruz &amp; Co,</p>" in html
    assert 'href="http://testserver/x/?a=1&amp;b=2"' in html
    assert '<html lang="en">' in html


def pass_time(delta: datetime.timedelta) -> None:
    """Time passes for the outbox: every row was written, and is due, `delta` earlier."""
    OutboxEmail.objects.update(
        created_at=F("created_at") - delta, next_attempt_at=F("next_attempt_at") - delta
    )


def test_refused_twice_then_accepted_in_eager_mode_through_the_sweep(smtp_settings, registration):
    sink = smtp_settings.sink
    sink.refuse_next(2)
    email = write(registration)
    assert task_send_email.delay(email_id=email.pk).get() == "retry later"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error == "SMTPDataError: (451, b'4.3.0 Try again later')"
    assert email.next_attempt_at - email.created_at >= datetime.timedelta(seconds=60)
    # Not due yet: the next attempt is a minute later.
    assert sweep_outbox(older_than_seconds=0) == 0
    assert send_outbox_email(email_id=email.pk) == "not due"
    pass_time(datetime.timedelta(seconds=61))
    assert sweep_outbox(older_than_seconds=0) == 1  # refused again: next in two minutes
    pass_time(datetime.timedelta(seconds=61))
    assert sweep_outbox(older_than_seconds=0) == 0
    pass_time(datetime.timedelta(seconds=60))
    assert sweep_outbox(older_than_seconds=0) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 3, "")
    assert email.next_attempt_at is None
    assert sink.refused == 2
    assert sink.message_ids() == [email.message_id]
    assert sweep_outbox(older_than_seconds=0) == 0


def test_gives_up_on_temporary_failures_only_after_two_days(smtp_settings, registration):
    sink = smtp_settings.sink
    sink.refuse_next(100)
    email = write(registration)
    task_send_email.delay(email_id=email.pk)
    pass_time(datetime.timedelta(hours=47, minutes=59))
    assert sweep_outbox(older_than_seconds=0) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 2)
    pass_time(datetime.timedelta(minutes=2))
    assert sweep_outbox(older_than_seconds=0) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 3)
    assert sweep_outbox(older_than_seconds=0) == 0
    assert send_outbox_email(email_id=email.pk) == "already failed"
    assert sink.refused == 3
    assert sink.messages == []


def test_permanent_refusal_fails_at_once(smtp_settings, registration):
    smtp_settings.sink.refuse_next(1)
    smtp_settings.sink.refusal = "550 5.1.1 No such mailbox"
    email = write(registration)
    assert send_outbox_email(email_id=email.pk) == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    assert email.last_error == "SMTPDataError: (550, b'5.1.1 No such mailbox')"


def test_unreachable_server_is_a_temporary_failure(settings, registration):
    from tests.registration.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    email = write(registration)
    assert task_send_email.delay(email_id=email.pk).get() == "retry later"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error.startswith("ConnectionRefusedError: ")


def test_a_second_delivery_of_the_task_sends_nothing(smtp_settings, registration):
    email = write(registration)
    assert send_outbox_email(email_id=email.pk) == "sent"
    assert send_outbox_email(email_id=email.pk) == "already sent"
    assert task_send_email.delay(email_id=email.pk).get() == "already sent"
    assert send_outbox_email(email_id=email.pk + 1000) == "gone"
    assert smtp_settings.sink.message_ids() == [email.message_id]
    email.refresh_from_db()
    assert email.attempts == 1


def test_dedupe_key_writes_one_email(registration):
    first = write(registration, dedupe_key="reminder:test")
    assert write(registration, dedupe_key="reminder:test") is None
    assert list(OutboxEmail.objects.values_list("pk", flat=True)) == [first.pk]


def test_sweep_takes_old_pending_rows_only(registration):
    fresh = write(registration)
    old = write(registration)
    failed_once = write(registration)
    sent = write(registration)
    long_ago = timezone.now() - datetime.timedelta(seconds=90)
    OutboxEmail.objects.filter(pk__in=[old.pk, failed_once.pk, sent.pk]).update(created_at=long_ago)
    # Failed once 30 s ago: its next attempt is due in 30 s.
    OutboxEmail.objects.filter(pk=failed_once.pk).update(
        attempts=1, next_attempt_at=timezone.now() + datetime.timedelta(seconds=30)
    )
    OutboxEmail.objects.filter(pk=sent.pk).update(status=EmailStatus.SENT)
    # Eager tasks use the console backend here: the sweep's task sends the old row only.
    assert sweep_outbox(older_than_seconds=60) == 1
    statuses = dict(OutboxEmail.objects.values_list("pk", "status"))
    assert statuses == {
        fresh.pk: EmailStatus.PENDING,
        old.pk: EmailStatus.SENT,
        failed_once.pk: EmailStatus.PENDING,
        sent.pk: EmailStatus.SENT,
    }


def test_resend_makes_a_new_copy(smtp_settings, registration, django_capture_on_commit_callbacks):
    email = write(registration)
    send_outbox_email(email_id=email.pk)
    with django_capture_on_commit_callbacks(execute=True):
        copy = resend_email(email=email)
    copy.refresh_from_db()
    assert copy.resend_of == email
    assert copy.message_id != email.message_id
    assert (copy.subject, copy.body_text, copy.body_html) == (
        email.subject,
        email.body_text,
        email.body_html,
    )
    assert copy.status == EmailStatus.SENT
    assert smtp_settings.sink.message_ids() == [email.message_id, copy.message_id]


def test_smtp_connection_is_reused_and_reopened_when_dropped(smtp_settings, registration):
    from mail.services import smtp

    first, second, third = write(registration), write(registration), write(registration)
    send_outbox_email(email_id=first.pk)
    connection = smtp._local.backend.connection
    send_outbox_email(email_id=second.pk)
    assert smtp._local.backend.connection is connection
    # The connection broke while idle: NOOP finds out and a new one is opened.
    connection.sock.shutdown(socket.SHUT_RDWR)
    smtp._local.used_at -= smtp.TRUSTED_IDLE_SECONDS
    assert send_outbox_email(email_id=third.pk) == "sent"
    assert smtp._local.backend.connection is not connection
    fourth = write(registration)
    smtp._local.backend.connection.close()  # closed on our side: no NOOP needed to know
    assert send_outbox_email(email_id=fourth.pk) == "sent"
    assert len(smtp_settings.sink.messages) == 4


def test_recipients_refused_is_permanent_only_for_5xx():
    from mail.services.outbox import _is_permanent

    assert _is_permanent(smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"no")}))
    assert not _is_permanent(smtplib.SMTPRecipientsRefused({"a@x.org": (450, b"busy")}))
    assert not _is_permanent(smtplib.SMTPServerDisconnected("gone"))
    assert not _is_permanent(ConnectionRefusedError(111, "refused"))
