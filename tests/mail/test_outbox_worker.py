"""The outbox through real parts: a Celery worker process on Redis, the test database and an
SMTP server (aiosmtpd) on loopback. What the worker must see is committed first (transactional
tests), and its effects are read back from the database and the SMTP server."""

import datetime
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from forum.celery import app as celery_app
from mail.enums import EmailStatus
from mail.models import OutboxEmail
from mail.services.outbox import queue_email, sweep_outbox
from mail.tasks import task_send_email
from registration.enums import RegistrationStatus
from registration.mail.services.reminders import send_due_reminders
from registration.models import Registration, RegistrationSettings
from registration.services.registrations import submit_registration
from tests.factories import EditionFactory
from tests.factories.mail import MailRegistrationFactory, MailTicketTypeFactory
from tests.factories.registration import registration_data
from tests.registration.conftest import use_broker

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 60.0


@pytest.fixture
def registration():
    edition = EditionFactory(
        name="AFSE 2031",
        year=2031,
        slug="2031-bangkok",
        venue="Bangkok Hall",
        city="Bangkok",
        start_date=datetime.date(2031, 10, 1),
        end_date=datetime.date(2031, 10, 4),
    )
    RegistrationSettings.objects.create(edition=edition, reminder_days_before=7)
    ticket = MailTicketTypeFactory(edition=edition, name="Delegate")
    return MailRegistrationFactory(
        ticket_type=ticket, name="Somchai", email="somchai@example.org", reference="R0000031"
    )


def write(registration) -> OutboxEmail:
    with transaction.atomic():
        return queue_email(
            to=registration.email,
            kind="reminder",
            template="registration/email/reminder",
            context={
                "registration": registration,
                "edition": registration.edition,
                "days": 7,
                "my_registration_url": "http://testserver/register/me/",
            },
            language=registration.language,
            edition=registration.edition,
            registration=registration,
        )


def wait_for_status(email: OutboxEmail, status: str, timeout: float = TIMEOUT) -> OutboxEmail:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == status:
            return email
        time.sleep(0.1)
    return email


def test_server_refusing_twice_then_accepting_gets_exactly_one_message(
    smtp_server, start_worker, registration
):
    sink = smtp_server.sink
    sink.refuse_next(2)
    worker = start_worker(smtp_port=smtp_server.port)
    email = write(registration)

    email = wait_for_status(email, EmailStatus.SENT)
    assert email.status == EmailStatus.SENT, worker.output()
    assert (email.attempts, email.last_error) == (3, "")
    time.sleep(1.0)  # nothing more comes
    assert sink.refused == 2
    assert sink.message_ids() == [email.message_id]
    assert worker.output().count("Retry in") == 2, worker.output()


def test_the_same_task_delivered_twice_sends_one_message(smtp_server, start_worker, registration):
    sink = smtp_server.sink
    sink.delay = 1.0  # both deliveries are in the worker at once; the second waits on the row
    worker = start_worker(smtp_port=smtp_server.port)
    with transaction.atomic():
        email = OutboxEmail.objects.create(
            kind="test",
            to_email="somchai@example.org",
            subject="Twice",
            body_text="Once only.\n",
            message_id="<twice@example.org>",
        )
    with celery_app.connection_for_write() as broker:
        for _ in range(2):  # the broker hands the same task (same id) over twice
            task_send_email.apply_async(
                kwargs={"email_id": email.pk}, task_id="same-task-id", connection=broker
            )

    assert worker.wait_for_log("succeeded in", count=2), worker.output()
    assert sink.message_ids() == ["<twice@example.org>"]
    output = worker.output()
    assert output.count("Task mail.send_email[same-task-id] received") == 2, output
    assert output.count("'sent'") == 1, output
    assert output.count("'already sent'") == 1, output
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)


def test_someone_registers_while_redis_is_down_and_the_email_goes_out_once_it_is_back(
    smtp_server, start_worker, private_redis, registration
):
    sink = smtp_server.sink
    edition = registration.edition
    RegistrationSettings.objects.filter(edition=edition).update(
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    use_broker(private_redis.url)  # nothing listens there yet: the broker is down
    celery_app.conf.task_always_eager = False
    newcomer = submit_registration(
        edition=edition,
        ticket_type=registration.ticket_type,
        data=registration_data(email="newcomer@example.org", name="Newcomer"),
        answers={},
        passport=None,
        language="en",
    )
    # The registration is saved; its email waits in the outbox.
    assert Registration.objects.get(pk=newcomer.pk).status == RegistrationStatus.UNCONFIRMED
    email = OutboxEmail.objects.get(registration=newcomer)
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 0)

    private_redis.start()  # Redis is back, a worker with it
    worker = start_worker(smtp_port=smtp_server.port, broker_url=private_redis.url)
    time.sleep(0.5)
    assert sink.messages == []  # nothing was queued while it was down
    assert sweep_outbox(older_than_seconds=0) == 1
    email = wait_for_status(email, EmailStatus.SENT)
    assert email.status == EmailStatus.SENT, worker.output()
    assert sweep_outbox(older_than_seconds=0) == 0
    time.sleep(0.5)
    assert sink.message_ids() == [email.message_id]
    assert sink.messages[0]["To"] == "newcomer@example.org"
    assert (
        f"(reference {newcomer.reference})" in sink.messages[0].get_body(("plain",)).get_content()
    )
    assert email.attempts == 1


def test_rolled_back_transaction_queues_and_sends_nothing(smtp_server, start_worker, registration):
    sink = smtp_server.sink
    worker = start_worker(smtp_port=smtp_server.port, pool="solo", size=1)

    def register_then_fail():
        with transaction.atomic():
            queue_email(
                to="ghost@example.org",
                kind="test",
                template="registration/email/reminder",
                context={"registration": registration, "edition": registration.edition, "days": 1},
                language="en",
            )
            raise RuntimeError("the registration failed")

    with pytest.raises(RuntimeError):
        register_then_fail()
    assert not OutboxEmail.objects.exists()
    # A marker sent after it: once the marker arrives, the worker has taken everything queued
    # before it (one queue, one process, in order).
    marker = write(registration)
    assert wait_for_status(marker, EmailStatus.SENT).status == EmailStatus.SENT, worker.output()
    assert sink.message_ids() == [marker.message_id]
    assert worker.output().count("Task mail.send_email[") == 2  # received + succeeded


def test_japanese_registration_gets_text_and_html_in_japanese(
    smtp_server, start_worker, registration
):
    registration.language = "ja"
    registration.name = "山田 花子"
    registration.save()
    edition = registration.edition
    start_worker(smtp_port=smtp_server.port, pool="solo", size=1)
    assert send_due_reminders(today=edition.start_date - datetime.timedelta(days=7)) == 1

    (message,) = smtp_server.sink.wait_for(1)
    email = OutboxEmail.objects.get()
    assert wait_for_status(email, EmailStatus.SENT).status == EmailStatus.SENT
    assert message["Message-ID"] == email.message_id
    assert message["Subject"] == "AFSE 2031の開催まであと7日です"
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert text.get_content_charset() == "utf-8"
    assert text.get_content().replace("\r\n", "\n") == (
        "山田 花子 様\n"
        "\n"
        "AFSE 2031は2031年10月1日から2031年10月4日まで開催されます。\n"
        "会場: Bangkok Hall, Bangkok\n"
        "参加登録 R0000031(Delegate)は確定しています。\n"
        "\n"
        "参加登録・セッション・参加証:\n"
        f"{settings.SITE_URL}/ja/2031-bangkok/register/me/\n"
        "\n"
        "お会いできるのを楽しみにしています。\n"
    )
    assert html.get_content_type() == "text/html"
    assert '<html lang="ja">' in html.get_content()
    assert "<p>山田 花子 様</p>" in html.get_content()
