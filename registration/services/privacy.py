"""Erasing personal data that is kept only for a while."""

import datetime
import logging

from django.utils import timezone

from forum.models import Edition
from registration.documents.services.participant import delete_participant_documents
from registration.models import PassportDetails, RegistrationSettings

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = RegistrationSettings._meta.get_field("passport_retention_days").default


def erase_expired_passport_details(*, today: datetime.date | None = None) -> int:
    """Delete the passport details of every edition that ended more than its
    `passport_retention_days` (RegistrationSettings; 30 without settings) before `today`.

    What an embassy's verification page shows is kept on the visa letter itself, so letters
    stay verifiable. Returns how many were deleted. Side effects: deletes PassportDetails rows
    and the stored documents of their registrations.
    """
    today = today or timezone.localdate()
    expired = []
    for edition in Edition.objects.filter(end_date__lt=today).select_related(
        "registration_settings"
    ):
        settings = getattr(edition, "registration_settings", None)
        days = settings.passport_retention_days if settings else DEFAULT_RETENTION_DAYS
        if edition.end_date + datetime.timedelta(days=days) < today:
            expired.append(edition.pk)
    if not expired:
        return 0
    passports = PassportDetails.objects.filter(registration__edition_id__in=expired)
    holders = list(passports.values_list("registration_id", flat=True))
    deleted, _ = passports.delete()
    # Stored letters print the passport: they go too (rendered again, without it, if asked).
    delete_participant_documents(holders)
    if deleted:
        logger.info("erased %s passport details of editions %s", deleted, expired)
    return deleted
