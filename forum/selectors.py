"""Read queries of the core domain."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from forum.models import Edition, EditionRole


def get_edition_by_slug(slug: str) -> Edition | None:
    return Edition.objects.select_related("organizer").filter(slug=slug).first()


def user_has_edition_role(
    user: User | AnonymousUser, edition: Edition, roles: Iterable[str] | None = None
) -> bool:
    """True when `user` holds one of `roles` (any staff role if None) for `edition`.

    Superusers hold every role.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    qs = EditionRole.objects.filter(user=user, edition=edition)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs.exists()


def editions_where_user_has_role(
    user: User | AnonymousUser, roles: Iterable[str] | None = None
) -> QuerySet[Edition]:
    """The editions `user` may act on in one of `roles`; every edition for a superuser."""
    if not user.is_authenticated or not user.is_active:
        return Edition.objects.none()
    if user.is_superuser:
        return Edition.objects.all()
    filters: dict[str, object] = {"roles__user": user}
    if roles is not None:
        filters["roles__role__in"] = list(roles)
    return Edition.objects.filter(**filters).distinct()
