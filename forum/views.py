"""Views of the core domain: the admin views mounted by the viewsets in wagtail_hooks.py, and
the password reset."""

from axes.decorators import axes_dispatch
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from wagtail.admin.views import generic
from wagtail.log_actions import log

from forum import ratelimit
from forum.models import EditionRole
from forum.services import create_edition, grant_edition_role, revoke_edition_role
from mail.services.outbox import queue_email


class EditionScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        base = super().get_base_queryset()
        allowed = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "view"]
        )
        return base.filter(pk__in=allowed.values("pk"))


class _InstancePermissionMixin:
    """Wagtail's generic views check model permissions; this checks the object itself, so that
    changing the id in the URL never reaches another edition's data."""

    instance_action = "change"

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, instance
        ):
            raise PermissionDenied
        return instance


class EditionScopedEditView(_InstancePermissionMixin, generic.EditView):
    instance_action = "change"


class EditionScopedDeleteView(_InstancePermissionMixin, generic.DeleteView):
    instance_action = "delete"

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ProtectedError, RestrictedError) as exc:
            blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects
            users = sorted(str(obj) for obj in blocking)
            shown = ", ".join(users[:10]) + ("…" if len(users) > 10 else "")
            messages.error(
                self.request,
                _("“%(object)s” is still in use and was not deleted. In use by: %(users)s.")
                % {"object": self.object, "users": shown},
            )
            return redirect(self.get_success_url())


class EditionScopedInspectView(_InstancePermissionMixin, generic.InspectView):
    instance_action = "view"


class EditionCreateView(generic.CreateView):
    """Creating an edition also creates its role groups and, through `edition_created`, its
    pages (a draft at /<slug>/ in every language, with the feature pages beneath it)."""

    def save_instance(self):
        create_edition(edition=self.form.instance)
        log(instance=self.form.instance, action="wagtail.create", user=self.request.user)
        return self.form.instance

    def get_success_message(self, instance):
        return _("Edition “%(name)s” created, with a draft page at /%(slug)s/.") % {
            "name": instance.name,
            "slug": instance.slug,
        }


class ManagedEditionChoiceMixin:
    """Forms offer only the editions the person manages."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "edition" in form.fields:
            form.fields["edition"].queryset = self.permission_policy.managed_editions(
                self.request.user
            )
        return form


class EditionRoleCreateView(ManagedEditionChoiceMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        role = grant_edition_role(
            edition=data["edition"],
            user=data["user"],
            role=data["role"],
            granted_by=self.request.user,
        )
        log(instance=role, action="wagtail.create", user=self.request.user)
        return role


class EditionRoleEditView(ManagedEditionChoiceMixin, EditionScopedEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        old = EditionRole.objects.get(pk=self.object.pk)
        with transaction.atomic():
            revoke_edition_role(edition=old.edition, user=old.user, role=old.role)
            role = grant_edition_role(
                edition=data["edition"],
                user=data["user"],
                role=data["role"],
                granted_by=self.request.user,
            )
        log(instance=role, action="wagtail.edit", user=self.request.user)
        return role


class EditionRoleDeleteView(EditionScopedDeleteView):
    def delete_action(self):
        role = self.object
        log(instance=role, action="wagtail.delete", user=self.request.user)
        revoke_edition_role(edition=role.edition, user=role.user, role=role.role)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form whose email is an outbox row like every other email of the forum:
    logged, retried when the mail server is down, sent once, in the language the person asked
    in."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        queue_email(
            to=to_email,
            kind="password_reset",
            template="forum/email/password_reset",
            context={
                "uid": context["uid"],
                "token": context["token"],
                "username": user.get_username(),
                "forum_name": settings.WAGTAIL_SITE_NAME,
            },
            language=translation.get_language() or settings.LANGUAGE_CODE,
            user=user,
        )


@method_decorator(axes_dispatch, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the link and the forum's name taken from settings
    (SITE_URL), never from the request's Host header.

    A client address locked out for failed logins gets the lockout page here too; requests are
    limited per email address and per client address (forum/ratelimit.py), known address or
    not, so that the answer tells nobody whether an account exists."""

    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        by_email = ratelimit.get_limit("accounts.password_reset.email")
        if ratelimit.email_or_client_exceeded("accounts.password_reset", self.request, email):
            minutes = max(1, -(-ratelimit.retry_after(by_email) // 60))
            form.add_error(
                None,
                _(
                    "Too many requests for a new password in a short time. "
                    "Please try again in %(minutes)s minutes."
                )
                % {"minutes": minutes},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        ratelimit.record_email_and_client("accounts.password_reset", self.request, email)
        return super().form_valid(form)
