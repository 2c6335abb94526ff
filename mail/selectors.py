"""Reads for the organizers' email log, limited to the editions a person manages."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from forum.models import Edition
from forum.permissions import EditionScopedPermissionPolicy, is_series_admin
from mail.enums import EmailStatus
from mail.models import OutboxEmail

# The email log's filter for emails that failed for now and wait for their next attempt.
RETRYING = "retrying"
# Failed emails the admin home mentions: those of the last week.
RECENT_FAILURES = timedelta(days=7)

LOG_COLUMNS = (
    "pk",
    "kind",
    "to_email",
    "subject",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "sent_at",
    "next_attempt_at",
    "edition__name",
    "resend_of_id",
)


def managed_editions(user) -> QuerySet[Edition]:
    """The editions whose mail `user` may read and send: those they organize (all of them
    for a series administrator)."""
    policy = EditionScopedPermissionPolicy(OutboxEmail, edition_field="edition")
    return policy.managed_editions(user).order_by("-year", "-number")


def manages_mail(user) -> bool:
    return bool(user.is_active and (is_series_admin(user) or managed_editions(user).exists()))


def emails_for_log(
    *, user, status: str = "", kind: str = "", edition_id: int | None = None, search: str = ""
) -> QuerySet[OutboxEmail]:
    """The email log: newest first, only the columns the page shows."""
    queryset = OutboxEmail.objects.filter(edition__in=managed_editions(user))
    if status == RETRYING:
        queryset = queryset.filter(status=EmailStatus.PENDING, attempts__gt=0)
    elif status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if edition_id:
        queryset = queryset.filter(edition_id=edition_id)
    if search:
        queryset = queryset.filter(to_email__icontains=search)
    return queryset.order_by("-created_at", "-pk").values(*LOG_COLUMNS)


def email_kinds(user) -> list[str]:
    return sorted(
        OutboxEmail.objects.filter(edition__in=managed_editions(user))
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )


def email_for_organizer(*, user, email_id: int) -> OutboxEmail | None:
    """One email of an edition `user` manages, or None (another edition's is not found)."""
    return (
        OutboxEmail.objects.filter(pk=email_id, edition__in=managed_editions(user))
        .select_related("edition", "registration", "user")
        .first()
    )


def failing_mail(*, user) -> dict[str, int]:
    """For the admin home: emails of the editions `user` manages that wait for another attempt
    after failing, and those that failed for good in the last week."""
    return OutboxEmail.objects.filter(edition__in=managed_editions(user)).aggregate(
        retrying=Count("pk", filter=Q(status=EmailStatus.PENDING, attempts__gt=0)),
        failed=Count(
            "pk",
            filter=Q(status=EmailStatus.FAILED, created_at__gte=timezone.now() - RECENT_FAILURES),
        ),
    )
