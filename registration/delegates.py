"""The one question other apps ask registration: who is a delegate of an edition (the statement
of commitment lets them comment on its draft)."""

from django.db.models import QuerySet

from forum.models import Edition
from registration.enums import RegistrationStatus
from registration.models import Registration


def delegate_registrations(edition: Edition) -> QuerySet[Registration]:
    """The confirmed registrations of `edition`, with an account, whose ticket type allows
    drafting the statement (filter it by `user`, or take its `user` values)."""
    return Registration.objects.filter(
        edition=edition,
        status=RegistrationStatus.CONFIRMED,
        ticket_type__allows_drafting=True,
        user__isnull=False,
    )


def mail_languages(user_ids, edition: Edition) -> dict[int, str]:
    """The language each person reads mail in: the one they chose when registering for
    `edition`, else for their latest registration; the site's default for the others (an
    organizer's delegate without a registration). One query."""
    from django.conf import settings

    user_ids = list(user_ids)
    latest: dict[int, str] = {}
    of_edition: dict[int, str] = {}
    codes = {code for code, _name in settings.LANGUAGES}
    rows = (
        Registration.objects.filter(user_id__in=user_ids, language__in=codes)
        .order_by("-created_at", "-pk")
        .values_list("user_id", "edition_id", "language")
    )
    for user_id, edition_id, language in rows:
        latest.setdefault(user_id, language)
        if edition_id == edition.pk:
            of_edition.setdefault(user_id, language)
    return {pk: of_edition.get(pk) or latest.get(pk) or settings.LANGUAGE_CODE for pk in user_ids}
