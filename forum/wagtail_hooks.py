"""The core domain in the Wagtail admin: editions, organizations and edition roles."""

from axes.models import AccessAttempt
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import ModelPermissionPolicy, register_permission_policy

from forum import admin_copy, views
from forum.forms import EditionForm, EditionRoleForm, OrganizationForm
from forum.models import Edition, EditionRole, Organization
from forum.permissions import EditionScopedPermissionPolicy

register_permission_policy(Edition, EditionScopedPermissionPolicy(Edition, edition_field="pk"))
register_permission_policy(
    EditionRole, EditionScopedPermissionPolicy(EditionRole, edition_field="edition")
)


class EditionViewSet(ModelViewSet):
    model = Edition
    icon = "date"
    form_class = EditionForm
    index_view_class = admin_copy.EditionIndexView
    add_view_class = views.EditionCreateView
    edit_view_class = views.EditionScopedEditView
    delete_view_class = views.EditionScopedDeleteView
    inspect_view_class = views.EditionScopedInspectView
    list_display = ["name", "slug", "year", "city", "country", "start_date", "end_date"]
    list_filter = ["country", "year"]
    search_fields = ["name", "slug", "city", "city_native", "venue", "theme"]
    ordering = ["-year"]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return EditionForm


class OrganizationViewSet(ModelViewSet):
    model = Organization
    icon = "group"

    def get_form_class(self, for_update=False):
        return OrganizationForm

    list_display = ["name", "name_native", "kind", "sse_category", "country"]
    list_filter = ["kind", "sse_category", "country"]
    search_fields = ["name", "name_native", "acronym"]
    list_export = ["name", "name_native", "acronym", "kind", "sse_category", "country", "website"]


class EditionRoleViewSet(ModelViewSet):
    model = EditionRole
    icon = "key"
    menu_label = _("Edition roles")
    index_view_class = views.EditionScopedIndexView
    add_view_class = views.EditionRoleCreateView
    edit_view_class = views.EditionRoleEditView
    delete_view_class = views.EditionRoleDeleteView
    list_display = ["user", "role", "edition", "granted_at", "granted_by"]
    list_filter = ["edition", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]

    def get_form_class(self, for_update=False):
        return EditionRoleForm


class ForumViewSetGroup(ViewSetGroup):
    menu_label = _("Forum")
    menu_icon = "site"
    menu_order = 150
    items = (EditionViewSet, OrganizationViewSet, EditionRoleViewSet)


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return ForumViewSetGroup()


class UnlockOnlyPermissionPolicy(ModelPermissionPolicy):
    """Failed-login records are listed and deleted (which unlocks), never written by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(AccessAttempt, UnlockOnlyPermissionPolicy(AccessAttempt))


class LockedLoginViewSet(ModelViewSet):
    """Settings → Locked logins: who failed to log in lately; deleting a row unlocks that
    account and address at once (organizers with the permission, and superusers)."""

    model = AccessAttempt
    icon = "lock"
    menu_label = _("Locked logins")
    add_to_settings_menu = True
    form_fields = ["username"]
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]


@hooks.register("register_admin_viewset")
def register_locked_login_viewset():
    return LockedLoginViewSet("locked_logins")


@hooks.register("register_admin_urls")
def register_edition_copy_urls():
    return [
        path(
            "edition/<int:pk>/copy-setup/",
            admin_copy.copy_setup,
            name="forum_edition_copy_setup",
        )
    ]


@hooks.register("register_log_actions")
def register_edition_copy_log_action(actions):
    actions.register_action(
        "forum.copy_setup", _("Copy setup"), _("Setup copied from another edition")
    )
