"""Admin permission policy: what a person may do with editions and edition roles.

Model-level permissions come from auth groups as usual; each instance is then narrowed to the
editions where the person holds a staff role: organizers change their own edition and manage
its roles, every role may view its edition. Superusers and series administrators (anyone
allowed to add editions) act on every edition.
"""

from django.db.models import Model, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from forum.enums import EditionRoleKind
from forum.models import Edition
from forum.selectors import editions_where_user_has_role


def is_series_admin(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm("forum.add_edition")))


class EditionScopedPermissionPolicy(ModelPermissionPolicy):
    def __init__(self, model, *, edition_field: str, managers=(EditionRoleKind.ORGANIZER,)):
        super().__init__(model)
        self.edition_field = edition_field
        self.managers = list(managers)

    def _edition_id(self, instance: Model) -> int | None:
        return instance.pk if self.edition_field == "pk" else getattr(instance, "edition_id", None)

    def editions_for(self, user, actions):
        """The editions where `user` may take `actions`: any role may view, the managing roles
        (organizers unless said otherwise) may change."""
        roles = None if set(actions) <= {"view"} else self.managers
        return editions_where_user_has_role(user, roles)

    def managed_editions(self, user):
        """The editions whose records `user` may change: all for a series administrator."""
        if is_series_admin(user):
            return Edition.objects.all()
        return self.editions_for(user, ["change"])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        if is_series_admin(user):
            return True
        return self.editions_for(user, actions).filter(pk=self._edition_id(instance)).exists()

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        manager = self.model._default_manager
        if not self.user_has_any_permission(user, actions):
            return manager.none()
        if is_series_admin(user):
            return manager.all()
        editions = self.editions_for(user, actions).values("pk")
        return manager.filter(**{f"{self.edition_field}__in": editions})
