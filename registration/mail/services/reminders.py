"""The reminder a confirmed participant gets N days before the edition
(RegistrationSettings.reminder_days_before), sent once per registration."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mail.services.outbox import queue_email
from registration.enums import RegistrationStatus
from registration.models import Registration, RegistrationSettings
from registration.services.errors import RegistrationError
from registration.services.links import EditionLinks

logger = logging.getLogger(__name__)

REMINDER_KIND = "reminder"


def reminder_key(registration: Registration) -> str:
    return f"reminder:{registration.pk}"


def editions_due_for_reminders(*, today: datetime.date) -> list[RegistrationSettings]:
    """The editions whose reminder day has come and which have not started yet (a reminder
    day missed by a stopped beat is made up the next day, up to the first day)."""
    due = []
    candidates = RegistrationSettings.objects.select_related("edition").filter(
        edition__start_date__gt=today, reminder_days_before__gt=0
    )
    for settings_row in candidates:
        start = settings_row.edition.start_date
        if start - datetime.timedelta(days=settings_row.reminder_days_before) <= today:
            due.append(settings_row)
    return due


@transaction.atomic
def send_due_reminders(*, today: datetime.date | None = None) -> int:
    """Write the reminder of every confirmed registration of the editions due today.

    Side effects: one outbox row per registration (dedupe key `reminder:<id>`, so running
    again — the next day, or twice the same day — writes nothing new), the registration's
    `reminder_sent_at`, tasks queued after commit. Returns how many reminders were written.
    """
    today = today or timezone.localdate()
    written = 0
    for settings_row in editions_due_for_reminders(today=today):
        edition = settings_row.edition
        days = (edition.start_date - today).days
        links = EditionLinks(edition)
        registrations = (
            Registration.objects.filter(
                edition=edition,
                status=RegistrationStatus.CONFIRMED,
                reminder_sent_at__isnull=True,
            )
            .select_related("ticket_type")
            .order_by("pk")
        )
        sent_ids = []
        for registration in registrations.iterator(chunk_size=500):
            email = queue_email(
                to=registration.email,
                kind=REMINDER_KIND,
                template="registration/email/reminder",
                context={
                    "registration": registration,
                    "edition": edition,
                    "days": days,
                    "my_registration_url": links.my_registration(registration.language),
                },
                language=registration.language,
                user=registration.user,
                edition=edition,
                registration=registration,
                dedupe_key=reminder_key(registration),
            )
            sent_ids.append(registration.pk)
            written += email is not None
        Registration.objects.filter(pk__in=sent_ids).update(reminder_sent_at=timezone.now())
    if written:
        logger.info("reminders written: %s", written)
    return written


def manual_reminder_key(registration: Registration, today: datetime.date) -> str:
    return f"reminder:{registration.pk}:manual:{today.isoformat()}"


def send_reminder(*, registration: Registration, actor, today: datetime.date | None = None):
    """Write the reminder to one confirmed participant now (an organizer's bulk action), before
    the edition starts. At most one such reminder per registration and day: asking twice the
    same day writes nothing the second time and returns None. The automatic reminder is
    unaffected.

    Raises RegistrationError (nothing written) for a registration that is not confirmed or an
    edition already started. Side effects: one outbox row (dedupe key
    `reminder:<id>:manual:<date>`), its sending task queued after commit.
    """
    today = today or timezone.localdate()
    edition = registration.edition
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RegistrationError(_("Only a confirmed participant gets a reminder."))
    if edition.start_date is None or edition.start_date <= today:
        raise RegistrationError(_("The edition has already started."))
    return queue_email(
        to=registration.email,
        kind=REMINDER_KIND,
        template="registration/email/reminder",
        context={
            "registration": registration,
            "edition": edition,
            "days": (edition.start_date - today).days,
            "my_registration_url": EditionLinks(edition).my_registration(registration.language),
        },
        language=registration.language,
        user=registration.user,
        edition=edition,
        registration=registration,
        dedupe_key=manual_reminder_key(registration, today),
    )
