"""Batches: the emails one transaction writes are queued as batches on the mail queue, each sent
over one SMTP connection, every row still locked, sent once and marked on its own."""

import threading

import pytest
from celery.signals import task_prerun
from django.db import connection, transaction

from forum.celery import app as celery_app
from mail.enums import EmailStatus
from mail.models import OutboxEmail
from mail.services.outbox import queue_email, send_outbox_batch
from tests.factories.mail import MailRegistrationFactory, MailTicketTypeFactory
from tests.registration.conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(edition):
    ticket = MailTicketTypeFactory(edition=edition, name="Mail delegate")
    return MailRegistrationFactory(
        ticket_type=ticket, name="Ana Cruz", email="ana@example.org", reference="T0000002"
    )


@pytest.fixture
def tasks_run():
    """The names of the Celery tasks run during the test (eager: in this process), in order."""
    names: list[str] = []

    def record(sender=None, **_kwargs):
        names.append(sender.name)

    task_prerun.connect(record, weak=False)
    yield names
    task_prerun.disconnect(record)


def write(registration, n: int) -> OutboxEmail:
    return queue_email(
        to=f"person{n}@example.org",
        kind="reminder",
        template="registration/email/reminder",
        context={
            "registration": registration,
            "edition": registration.edition,
            "days": 7,
            "my_registration_url": "http://testserver/2009-tokyo/register/me/",
        },
        language="en",
        edition=registration.edition,
        registration=registration,
    )


def test_a_transactions_emails_go_in_batches_over_one_connection(
    smtp_settings, registration, settings, tasks_run, django_capture_on_commit_callbacks
):
    settings.EMAIL_BATCH_SIZE = 3
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emails = [write(registration, n) for n in range(7)]
    assert tasks_run == ["mail.send_emails"] * 3  # 3 + 3 + 1
    rows = OutboxEmail.objects.filter(pk__in=[e.pk for e in emails])
    assert set(rows.values_list("status", "attempts")) == {(EmailStatus.SENT, 1)}
    sink = smtp_settings.sink
    assert sorted(sink.message_ids()) == sorted(e.message_id for e in emails)
    assert len(set(sink.peers)) == 1  # one SMTP connection for the seven


def test_a_lone_email_is_a_single_send(
    smtp_settings, registration, tasks_run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email = write(registration, 1)
    assert tasks_run == ["mail.send_email"]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_a_rolled_back_savepoints_email_is_not_sent_the_others_are(
    smtp_settings, registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kept = write(registration, 1)
        try:
            with transaction.atomic():
                write(registration, 2)
                raise RuntimeError("this part failed")
        except RuntimeError:
            pass
        also_kept = write(registration, 3)
    assert sorted(smtp_settings.sink.message_ids()) == sorted(
        [kept.message_id, also_kept.message_id]
    )
    assert OutboxEmail.objects.count() == 2


def test_a_batch_sends_each_row_once_and_says_what_it_did(smtp_settings, registration):
    first, second = write(registration, 1), write(registration, 2)
    assert send_outbox_batch(email_ids=[first.pk]).counts == {"sent": 1}
    outcome = send_outbox_batch(email_ids=[first.pk, second.pk, 999999])
    assert outcome.counts == {"already sent": 1, "sent": 1, "gone": 1}
    assert outcome.retry == {}
    assert len(smtp_settings.sink.messages) == 2


@pytest.mark.parametrize("group", [1, 2, 10])
def test_an_unreachable_server_stops_the_batch_without_counting_attempts_on_the_rest(
    settings, registration, group
):
    settings.EMAIL_BATCH_GROUP = group
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    emails = [write(registration, n) for n in range(3)]
    outcome = send_outbox_batch(email_ids=[e.pk for e in emails])
    assert outcome.counts == {"retry": 1, "deferred": 2}
    assert outcome.retry == {60: [e.pk for e in emails]}
    attempts = dict(OutboxEmail.objects.values_list("pk", "attempts"))
    assert [attempts[e.pk] for e in emails] == [1, 0, 0]
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {EmailStatus.PENDING}


def test_a_batch_goes_group_by_group_and_marks_each_row_once(smtp_settings, registration, settings):
    settings.EMAIL_BATCH_GROUP = 2
    emails = [write(registration, n) for n in range(5)]
    OutboxEmail.objects.filter(pk=emails[2].pk).update(status=EmailStatus.SENT)
    outcome = send_outbox_batch(email_ids=[e.pk for e in emails] + [999999])
    assert outcome.counts == {"sent": 4, "already sent": 1, "gone": 1}
    assert sorted(smtp_settings.sink.message_ids()) == sorted(
        e.message_id for e in emails if e != emails[2]
    )
    assert len(set(smtp_settings.sink.peers)) == 1
    rows = OutboxEmail.objects.exclude(pk=emails[2].pk)
    assert set(rows.values_list("status", "attempts", "last_error")) == {(EmailStatus.SENT, 1, "")}
    assert None not in set(rows.values_list("sent_at", flat=True))


def test_a_refusal_in_a_group_is_recorded_on_its_row_the_others_are_sent(
    smtp_settings, registration, settings
):
    settings.EMAIL_BATCH_GROUP = 10
    emails = [write(registration, n) for n in range(3)]
    smtp_settings.sink.refuse_next(1)  # the first message: 451, the connection stays up
    outcome = send_outbox_batch(email_ids=[e.pk for e in emails])
    assert outcome.counts == {"retry": 1, "sent": 2}
    assert outcome.retry == {60: [emails[0].pk]}
    rows = {e.pk: e for e in OutboxEmail.objects.all()}
    assert (rows[emails[0].pk].status, rows[emails[0].pk].attempts) == (EmailStatus.PENDING, 1)
    assert rows[emails[0].pk].next_attempt_at is not None
    assert [rows[e.pk].status for e in emails[1:]] == [EmailStatus.SENT] * 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_another_worker_holds_is_left_to_it_the_group_goes_on(smtp_settings, settings):
    settings.EMAIL_BATCH_GROUP = 10
    emails = [
        OutboxEmail.objects.create(
            kind="test",
            to_email=f"held{n}@example.org",
            subject="Held",
            body_text="Held.\n",
            message_id=f"<held-{n}@example.org>",
        )
        for n in range(3)
    ]
    locked, release = threading.Event(), threading.Event()

    def hold_the_second_row():
        with transaction.atomic():
            OutboxEmail.objects.select_for_update().get(pk=emails[1].pk)
            locked.set()
            release.wait(30)
        connection.close()

    holder = threading.Thread(target=hold_the_second_row)
    holder.start()
    try:
        assert locked.wait(30)
        outcome = send_outbox_batch(email_ids=[e.pk for e in emails])
    finally:
        release.set()
        holder.join(30)
    assert outcome.counts == {"sent": 2, "busy": 1}
    assert sorted(smtp_settings.sink.message_ids()) == [
        "<held-0@example.org>",
        "<held-2@example.org>",
    ]
    assert OutboxEmail.objects.get(pk=emails[1].pk).status == EmailStatus.PENDING


class WorkerKilled(BaseException):
    """What the process sees of a kill: nothing after it runs (not an Exception: no handler
    of the outbox catches it)."""


def test_a_worker_killed_in_a_group_loses_nothing_and_resends_at_most_that_group(
    smtp_settings, registration, settings, monkeypatch
):
    from mail.services import outbox

    settings.EMAIL_BATCH_GROUP = 3
    emails = [write(registration, n) for n in range(7)]
    deliver, delivered = outbox._deliver, []

    def deliver_then_die(email):
        if len(delivered) == 5:  # two of the second group are out
            raise WorkerKilled
        deliver(email)
        delivered.append(email.pk)

    monkeypatch.setattr(outbox, "_deliver", deliver_then_die)
    with pytest.raises(WorkerKilled):
        send_outbox_batch(email_ids=[e.pk for e in emails])
    statuses = dict(OutboxEmail.objects.values_list("pk", "status"))
    assert [statuses[e.pk] for e in emails] == [EmailStatus.SENT] * 3 + [EmailStatus.PENDING] * 4
    monkeypatch.setattr(outbox, "_deliver", deliver)  # delivered again (acks late): the rest
    assert send_outbox_batch(email_ids=[e.pk for e in emails]).counts == {
        "already sent": 3,
        "sent": 4,
    }
    received = smtp_settings.sink.message_ids()
    assert set(received) == {e.message_id for e in emails}  # nothing lost
    assert len(received) == 7 + 2  # the killed group's two messages went out twice


def test_a_message_with_a_long_line_goes_through_django(smtp_settings, registration):
    email = write(registration, 1)
    OutboxEmail.objects.filter(pk=email.pk).update(body_text="word " * 300 + "\n")
    assert send_outbox_batch(email_ids=[email.pk]).counts == {"sent": 1}
    (message,) = smtp_settings.sink.messages
    text = message.get_body(("plain",))
    assert text["Content-Transfer-Encoding"] == "quoted-printable"
    assert text.get_content().replace("\r\n", "\n") == "word " * 300 + "\n"


def test_the_old_task_names_still_run_and_every_mail_task_goes_to_the_mail_queue(
    smtp_settings, registration
):
    email = write(registration, 1)
    legacy = celery_app.tasks["registration.send_email"]
    assert legacy.delay(email_id=email.pk).get() == "sent"
    assert celery_app.tasks["registration.sweep_outbox"].delay().get() == 0
    router = celery_app.amqp.router
    for name in (
        "mail.send_email",
        "mail.send_emails",
        "mail.sweep_outbox",
        "registration.send_email",
        "registration.sweep_outbox",
    ):
        assert router.route({}, name)["queue"].name == "mail", name
    assert router.route({}, "registration.send_reminders")["queue"].name == "celery"


def test_the_outbox_keeps_its_table_and_its_move_runs_no_sql():
    from django.db.migrations.loader import MigrationLoader

    assert OutboxEmail._meta.db_table == "registration_outboxemail"
    loader = MigrationLoader(None, ignore_no_migrations=True)
    created = loader.get_migration("mail", "0001_initial").operations[0]
    deleted = loader.get_migration("registration", "0007_move_outbox_to_mail").operations[0]
    assert created.database_operations == []
    assert deleted.database_operations == []
    parents = loader.graph.node_map[("registration", "0007_move_outbox_to_mail")].parents
    assert ("mail", "0001_initial") in {parent.key for parent in parents}
