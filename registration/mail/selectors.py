"""Reads for the organizers' announcement pages, limited to the editions a person manages
(the email log's reads are the core mail app's: mail/selectors.py)."""

from django.db.models import QuerySet

from mail.selectors import managed_editions, manages_mail
from registration.models import Announcement

__all__ = ["announcements_for_list", "managed_editions", "manages_mail"]


def announcements_for_list(*, user) -> QuerySet[Announcement]:
    return (
        Announcement.objects.filter(edition__in=managed_editions(user))
        .select_related("edition", "created_by")
        .order_by("-created_at", "-pk")
    )
