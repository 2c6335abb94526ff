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
