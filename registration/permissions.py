"""Who may act on registration in the admin: the model permission (from the role's group) and
then, for each record, the organizers of its edition (series administrators: every edition).

Registration data is personal, so unlike the programme even viewing needs the organizer role:
a person who is, say, a moderator of one edition and an organizer of another sees only the
registrations of the second.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404

from forum.enums import EditionRoleKind
from forum.models import Edition
from forum.permissions import EditionScopedPermissionPolicy, is_series_admin
from forum.selectors import editions_where_user_has_role


class OrganizerScopedPermissionPolicy(EditionScopedPermissionPolicy):
    """Every action, viewing included, needs the managing role (organizer) of the edition."""

    def __init__(self, model, *, edition_field: str = "edition"):
        super().__init__(model, edition_field=edition_field, managers=(EditionRoleKind.ORGANIZER,))

    def editions_for(self, user, actions):
        return editions_where_user_has_role(user, self.managers)

    def _edition_id(self, instance: Model) -> int | None:
        if self.edition_field == "session__edition":
            return instance.session.edition_id if instance.session_id else None
        return super()._edition_id(instance)


def organizer_edition_or_deny(user, slug: str, permission: str) -> Edition:
    """The edition `slug` if `user` holds `permission` ("registration.view_registration"…) and
    organizes it (or administers the series). No such edition: 404; not theirs: refused."""
    if not user.has_perm(permission):
        raise PermissionDenied
    edition = Edition.objects.filter(slug=slug).first()
    if edition is None:
        raise Http404
    if is_series_admin(user):
        return edition
    if (
        not editions_where_user_has_role(user, [EditionRoleKind.ORGANIZER])
        .filter(pk=edition.pk)
        .exists()
    ):
        raise PermissionDenied
    return edition


def organized_editions(user):
    """The editions whose registration `user` runs, newest first."""
    if is_series_admin(user):
        editions = Edition.objects.all()
    else:
        editions = editions_where_user_has_role(user, [EditionRoleKind.ORGANIZER])
    return editions.order_by("-year", "-number")
