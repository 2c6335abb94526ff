"""Announcements: a message organizers write once and send to a filtered group of an
edition's participants, each in their own language's frame (greeting and footer), the
organizer's text as written (escaped in the HTML part)."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from mail.services.outbox import queue_email
from registration.enums import RegistrationStatus, SignupStatus
from registration.models import Announcement, Registration
from registration.services.links import EditionLinks

logger = logging.getLogger(__name__)

ANNOUNCEMENT_KIND = "announcement"
# Who an announcement reaches when no status is chosen: everyone taking part or hoping to.
DEFAULT_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.PENDING_APPROVAL,
    RegistrationStatus.WAITLISTED,
)


def nobody_message() -> str:
    return _("No participant matches these filters: nothing was sent.")


class AnnouncementError(ValidationError):
    """Sending refused (already sent, nobody to send to); the message is for the organizer."""


def recipients(
    *, edition, ticket_type_ids=(), statuses=(), countries=(), session=None
) -> QuerySet[Registration]:
    """The registrations of `edition` an announcement with these filters reaches, one per
    address (the latest registration of an address wins), oldest first."""
    queryset = Registration.objects.filter(
        edition=edition, status__in=list(statuses or DEFAULT_STATUSES)
    )
    if ticket_type_ids:
        queryset = queryset.filter(ticket_type_id__in=list(ticket_type_ids))
    if countries:
        queryset = queryset.filter(country__in=list(countries))
    if session is not None:
        queryset = queryset.filter(signups__session=session, signups__status=SignupStatus.CONFIRMED)
    newer = queryset.filter(email__iexact=OuterRef("email")).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return queryset.exclude(Exists(newer)).distinct().order_by("created_at", "pk")


def preview_recipients(*, announcement: Announcement) -> QuerySet[Registration]:
    """Who `announcement` would reach now (an unsaved one's many-to-many filter is read from
    `announcement.ticket_type_ids`, set by the form)."""
    ticket_type_ids = getattr(announcement, "ticket_type_ids", None)
    if ticket_type_ids is None:
        ticket_type_ids = (
            list(announcement.ticket_types.values_list("pk", flat=True)) if announcement.pk else []
        )
    return recipients(
        edition=announcement.edition,
        ticket_type_ids=ticket_type_ids,
        statuses=announcement.statuses,
        countries=announcement.countries,
        session=announcement.session,
    )


def queue_announcement(*, announcement_id: int) -> None:
    """Send a saved announcement from a task once the current transaction commits (a large
    group takes a while to write); if the broker is down, write it right then instead."""
    from registration.mail.tasks import task_send_announcement

    def _queue():
        try:
            task_send_announcement.delay(announcement_id=announcement_id)
        except OperationalError:  # the broker is down: the outbox keeps the emails for the sweep
            logger.warning("could not queue announcement %s; sending now", announcement_id)
            send_announcement(announcement=Announcement.objects.get(pk=announcement_id))

    transaction.on_commit(_queue)


@transaction.atomic
def send_announcement(*, announcement: Announcement, actor=None) -> int:
    """Write one email per recipient of a saved `announcement` and mark it sent.

    Side effects: outbox rows (dedupe key `announcement:<id>:<registration>`, so nobody gets
    it twice), `sent_at` and `recipient_count` on the announcement, tasks queued after commit.
    Raises AnnouncementError if it was already sent or reaches nobody (nothing written).
    """
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.sent_at is not None:
        raise AnnouncementError(_("This announcement has already been sent."))
    people = list(preview_recipients(announcement=locked).select_related("edition"))
    if not people:
        raise AnnouncementError(nobody_message())
    written = 0
    links = EditionLinks(locked.edition)
    for registration in people:
        # The organizers' words in the participant's language, or the source's.
        with translation.override(registration.language):
            subject, body = locked.subject, locked.body
        email = queue_email(
            to=registration.email,
            kind=ANNOUNCEMENT_KIND,
            template="registration/email/announcement",
            context={
                "registration": registration,
                "edition": registration.edition,
                "subject": subject,
                "body": body,
                "my_registration_url": links.my_registration(registration.language),
            },
            language=registration.language,
            user=registration.user,
            edition=registration.edition,
            registration=registration,
            dedupe_key=f"announcement:{locked.pk}:{registration.pk}",
        )
        written += email is not None
    locked.sent_at = timezone.now()
    locked.recipient_count = written
    if actor is not None and locked.created_by_id is None:
        locked.created_by = actor
    locked.save(update_fields=["sent_at", "recipient_count", "created_by"])
    announcement.sent_at, announcement.recipient_count = locked.sent_at, written
    logger.info("announcement %s sent to %s participants", locked.pk, written)
    return written
