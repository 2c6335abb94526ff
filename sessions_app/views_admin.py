"""Admin views of the programme: edition-scoped lists and forms, and publishing a release."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.log_actions import log

from forum.bulk_actions import BulkActionsIndexMixin
from forum.views import (
    EditionScopedDeleteView,
    EditionScopedEditView,
    EditionScopedIndexView,
    EditionScopedInspectView,
    ManagedEditionChoiceMixin,
)
from sessions_app.models import Release
from sessions_app.services.releases import HardConflictsError, publish_release


class ProgrammeCreateView(ManagedEditionChoiceMixin, generic.CreateView):
    pass


class ProgrammeEditView(ManagedEditionChoiceMixin, EditionScopedEditView):
    pass


ProgrammeIndexView = EditionScopedIndexView


class SessionIndexView(BulkActionsIndexMixin, EditionScopedIndexView):
    """The session list, with each session's conflicts beside it (one check per edition), and
    bulk actions on a selection (sessions_app.bulk_actions)."""

    bulk_obj_type = "session"

    def get_table(self, object_list):
        from sessions_app.services.conflicts import conflicts_by_session, find_conflicts

        sessions = list(object_list)
        found: dict[int, list] = {}
        for edition_id in {s.edition_id for s in sessions}:
            edition = next(s.edition for s in sessions if s.edition_id == edition_id)
            found.update(conflicts_by_session(find_conflicts(edition)))
        for session in sessions:
            conflicts = found.get(session.pk, [])
            hard = sum(1 for c in conflicts if c.is_hard)
            session.conflict_summary = "; ".join(c.message for c in conflicts) if conflicts else "—"
            session.conflict_count = (
                _("%(hard)d blocking, %(warnings)d warning(s)")
                % {"hard": hard, "warnings": len(conflicts) - hard}
                if conflicts
                else _("none")
            )
        return super().get_table(sessions)


class SpeakerIndexView(BulkActionsIndexMixin, EditionScopedIndexView):
    """The speaker list, with the export of a selection (sessions_app.bulk_actions)."""

    bulk_obj_type = "speaker"


ProgrammeDeleteView = EditionScopedDeleteView
ProgrammeInspectView = EditionScopedInspectView


class ReleaseForm(WagtailAdminModelForm):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=128,
        help_text=gettext_lazy("What the public sees, e.g. “v2 — room changes”."),
    )

    class Meta:
        model = Release
        fields = ["edition", "title", "notes"]


class PublishReleaseView(ProgrammeCreateView):
    """Publishing freezes the programme as a new release; hard conflicts refuse it."""

    def save_instance(self):
        data = self.form.cleaned_data
        release = publish_release(
            edition=data["edition"],
            title=data["title"],
            notes=data["notes"],
            published_by=self.request.user,
        )
        log(instance=release, action="wagtail.publish", user=self.request.user)
        return release

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except HardConflictsError as exc:
            self.produced_error_message = _("The release was not published.")
            form.add_error(None, str(exc))
            for conflict in exc.conflicts:
                form.add_error(None, conflict.message)
            return self.form_invalid(form)

    def get_success_url(self):
        """The publishing progress page: the exports become ready there, one by one."""
        return reverse(
            "sessions_app_release_status",
            args=[self.object.edition.slug, self.object.number],
        )

    def get_success_message(self, instance):
        return _("Release “%(title)s” of %(edition)s is now public.") % {
            "title": instance.title,
            "edition": instance.edition,
        }
