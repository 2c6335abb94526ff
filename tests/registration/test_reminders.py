"""The reminder N days before the edition: daily beat task, once per registration, only to
confirmed participants, on fixed dates."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from mail.enums import EmailStatus
from mail.models import OutboxEmail
from registration.enums import RegistrationStatus
from registration.mail.services.reminders import send_due_reminders
from registration.mail.tasks import task_send_reminders
from registration.models import RegistrationSettings
from tests.factories import EditionFactory
from tests.factories.mail import MailRegistrationFactory, MailTicketTypeFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2031, 10, 1)


@pytest.fixture
def edition():
    edition = EditionFactory(
        name="AFSE 2031", year=2031, slug="2031-bangkok", start_date=START, end_date=START
    )
    RegistrationSettings.objects.create(edition=edition, reminder_days_before=7)
    return edition


@pytest.fixture
def ticket(edition):
    return MailTicketTypeFactory(edition=edition, name="Delegate")


def day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


def test_reminder_goes_to_confirmed_participants_only_once(
    edition, ticket, django_capture_on_commit_callbacks
):
    confirmed = MailRegistrationFactory(ticket_type=ticket, email="kim@example.org", name="Kim")
    for status in (
        RegistrationStatus.UNCONFIRMED,
        RegistrationStatus.PENDING_APPROVAL,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.REFUSED,
        RegistrationStatus.CANCELLED,
    ):
        MailRegistrationFactory(ticket_type=ticket, status=status)

    assert send_due_reminders(today=day(-8)) == 0  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today=day(-7)) == 1
    assert send_due_reminders(today=day(-7)) == 0  # the same day again
    assert send_due_reminders(today=day(-6)) == 0  # the next day

    email = OutboxEmail.objects.get()
    assert (email.kind, email.to_email, email.registration, email.edition) == (
        "reminder",
        "kim@example.org",
        confirmed,
        edition,
    )
    assert email.dedupe_key == f"reminder:{confirmed.pk}"
    assert email.subject == "AFSE 2031 starts in 7 days"
    assert email.status == EmailStatus.SENT
    assert [m.subject for m in mail.outbox] == ["AFSE 2031 starts in 7 days"]
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None


def test_confirmed_later_still_gets_the_reminder_before_the_start(edition, ticket):
    late = MailRegistrationFactory(ticket_type=ticket, status=RegistrationStatus.WAITLISTED)
    assert send_due_reminders(today=day(-7)) == 0
    late.status = RegistrationStatus.CONFIRMED
    late.save()
    assert send_due_reminders(today=day(-2)) == 1
    assert OutboxEmail.objects.get().subject == "AFSE 2031 starts in 2 days"
    assert send_due_reminders(today=day(0)) == 0  # the edition has begun


def test_one_day_before_says_tomorrow_and_japanese_in_japanese(edition, ticket):
    edition.registration_settings.reminder_days_before = 1
    edition.registration_settings.save()
    MailRegistrationFactory(ticket_type=ticket, email="en@example.org")
    MailRegistrationFactory(ticket_type=ticket, email="ja@example.org", language="ja")
    assert send_due_reminders(today=day(-1)) == 2
    subjects = dict(OutboxEmail.objects.values_list("to_email", "subject"))
    assert subjects == {
        "en@example.org": "AFSE 2031 starts tomorrow",
        "ja@example.org": "AFSE 2031の開催まであと1日です",
    }


def test_editions_without_settings_or_reminders_get_none(ticket, edition):
    MailRegistrationFactory(ticket_type=ticket)
    other = EditionFactory(start_date=START, end_date=START)  # no registration settings
    MailRegistrationFactory(ticket_type=MailTicketTypeFactory(edition=other))
    edition.registration_settings.reminder_days_before = 0  # switched off
    edition.registration_settings.save()
    assert send_due_reminders(today=day(-1)) == 0
    assert not OutboxEmail.objects.exists()


def test_a_registration_already_reminded_under_its_key_is_not_written_twice(edition, ticket):
    registration = MailRegistrationFactory(ticket_type=ticket)
    assert send_due_reminders(today=day(-7)) == 1
    type(registration).objects.filter(pk=registration.pk).update(reminder_sent_at=None)
    assert send_due_reminders(today=day(-6)) == 0  # the dedupe key holds
    assert OutboxEmail.objects.count() == 1


def test_beat_runs_the_reminder_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["registration-reminders"]
    assert entry["task"] == task_send_reminders.name == "registration.send_reminders"
    assert entry["schedule"].hour == {1}
    assert entry["schedule"].minute == {0}
    assert task_send_reminders.delay().get() == 0  # today: no edition is due
