"""Bulk actions of an edition's registration list: approve, send a reminder, export as CSV.
Each goes through registration's services (approval through the transition service, mail
through the outbox after commit) and reaches only the editions the person organizes."""

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import log

from forum.bulk_actions import EditionScopedBulkAction
from registration.mail.services.reminders import send_reminder
from registration.models import Registration
from registration.organizer.exporters import export_filename
from registration.organizer.exporters.csv_export import csv_lines
from registration.organizer.selectors import export_table
from registration.permissions import organized_editions
from registration.services.registrations import approve_registration

VIEW = "registration.view_registration"
CHANGE = "registration.change_registration"


class RegistrationBulkAction(EditionScopedBulkAction):
    models = [Registration]
    permission = CHANGE

    def scoped_queryset(self):
        user = self.request.user
        if not user.has_perm(self.permission):
            return Registration.objects.none()
        return Registration.objects.filter(edition__in=organized_editions(user)).select_related(
            "edition", "ticket_type"
        )

    def object_context(self, obj):
        return {"item": f"{obj.reference}: {obj.name} ({obj.get_status_display()})"}


@hooks.register("register_bulk_action")
class ApproveRegistrationsBulkAction(RegistrationBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected registrations")
    confirm_text = _(
        "Approve these registrations? Each gets a seat if one is free, else a place on the "
        "waiting list, and an email saying which."
    )
    button_text = _("Approve")
    action_priority = 10

    def act(self, obj, form):
        approve_registration(registration=obj, actor=self.request.user)
        log(instance=obj, action="registration.approve", user=self.request.user)

    def done_message(self, count):
        return ngettext(
            "%(count)d registration approved.", "%(count)d registrations approved.", count
        ) % {"count": count}


@hooks.register("register_bulk_action")
class RemindRegistrationsBulkAction(RegistrationBulkAction):
    display_name = _("Send a reminder")
    action_type = "remind"
    aria_label = _("Send a reminder to the selected participants")
    confirm_text = _(
        "Send the reminder of the edition's dates and venue to these participants? Only "
        "confirmed participants get it, at most once a day."
    )
    button_text = _("Send the reminder")
    action_priority = 20

    def act(self, obj, form):
        if send_reminder(registration=obj, actor=self.request.user) is None:
            raise ValidationError(_("Already reminded today."))

    def done_message(self, count):
        return ngettext("%(count)d reminder queued.", "%(count)d reminders queued.", count) % {
            "count": count
        }


@hooks.register("register_bulk_action")
class ExportRegistrationsBulkAction(RegistrationBulkAction):
    display_name = _("Export CSV")
    action_type = "export-csv"
    aria_label = _("Export the selected registrations as CSV")
    confirm_text = _("Export these registrations, with their answers, as a CSV file:")
    button_text = _("Download CSV")
    permission = VIEW
    action_priority = 30

    def form_valid(self, form):
        edition = self.selection[0].edition
        queryset = Registration.objects.filter(
            edition=edition, pk__in=[r.pk for r in self.selection if r.edition_id == edition.pk]
        )
        table = export_table(edition=edition, queryset=queryset)
        response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{export_filename(edition.slug, "csv")}"'
        )
        patch_cache_control(response, no_store=True, private=True)
        return response
