"""What the waiting lists of ticket types and of session seats have in common."""

from django.db.models import Model, Q, QuerySet


def place_in_queue(queue: QuerySet, row: Model) -> int:
    """1 for the first of `queue` (rows ordered by waitlisted_at, then pk) … `row`'s place."""
    ahead = queue.filter(
        Q(waitlisted_at__lt=row.waitlisted_at) | Q(waitlisted_at=row.waitlisted_at, pk__lt=row.pk)
    )
    return ahead.count() + 1
