"""Bulk actions of the programme lists in the admin: set the status, the track or the room of
selected sessions; export selected speakers as CSV. Each goes through the programme's services
and reaches only the editions the person programmes (see forum.bulk_actions)."""

from django import forms
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks

from forum.bulk_actions import EditionScopedBulkAction
from sessions_app.enums import SessionStatus
from sessions_app.exporters.speakers_csv import speakers_csv
from sessions_app.models import Room, Session, SessionSpeaker, Speaker, Track
from sessions_app.services.editing import set_session_status, set_session_track
from sessions_app.services.scheduling import schedule_session


class SessionBulkAction(EditionScopedBulkAction):
    models = [Session]

    def selection_editions(self) -> set[int]:
        return {session.edition_id for session in self.selection}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=SessionStatus.choices)


@hooks.register("register_bulk_action")
class SetSessionStatusBulkAction(SessionBulkAction):
    display_name = _("Set status")
    action_type = "set-status"
    aria_label = _("Set the status of the selected sessions")
    confirm_text = _("Give these sessions a new status:")
    button_text = _("Set the status")
    action_priority = 10
    form_class = StatusForm

    def act(self, obj, form):
        set_session_status(session=obj, status=form.cleaned_data["status"], user=self.request.user)

    def done_message(self, count):
        return ngettext(
            "%(count)d session now has the status “%(status)s”.",
            "%(count)d sessions now have the status “%(status)s”.",
            count,
        ) % {
            "count": count,
            "status": SessionStatus(self.cleaned_form.cleaned_data["status"]).label,
        }


class _ChoiceOfEditionForm(forms.Form):
    """A choice among the rooms or tracks of the selected sessions' editions."""

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = queryset


class TrackForm(_ChoiceOfEditionForm):
    target = forms.ModelChoiceField(
        label=_("New track"),
        queryset=Track.objects.none(),
        required=False,
        empty_label=_("No track"),
    )


class RoomForm(_ChoiceOfEditionForm):
    target = forms.ModelChoiceField(label=_("New room"), queryset=Room.objects.none())


@hooks.register("register_bulk_action")
class SetSessionTrackBulkAction(SessionBulkAction):
    display_name = _("Set track")
    action_type = "set-track"
    aria_label = _("Put the selected sessions in a track")
    confirm_text = _("Put these sessions in a track (one of their edition's):")
    button_text = _("Set the track")
    action_priority = 20
    form_class = TrackForm

    def get_form_kwargs(self):
        queryset = Track.objects.filter(edition__in=self.selection_editions()).select_related(
            "edition"
        )
        return {**super().get_form_kwargs(), "queryset": queryset.order_by("edition", "name")}

    def act(self, obj, form):
        set_session_track(session=obj, track=form.cleaned_data["target"], user=self.request.user)

    def done_message(self, count):
        track = self.cleaned_form.cleaned_data["target"]
        if track is None:
            return ngettext(
                "%(count)d session taken out of its track.",
                "%(count)d sessions taken out of their track.",
                count,
            ) % {"count": count}
        return ngettext(
            "%(count)d session is now in the track “%(track)s”.",
            "%(count)d sessions are now in the track “%(track)s”.",
            count,
        ) % {"count": count, "track": track.name}


@hooks.register("register_bulk_action")
class SetSessionRoomBulkAction(SessionBulkAction):
    display_name = _("Set room")
    action_type = "set-room"
    aria_label = _("Move the selected sessions to a room")
    confirm_text = _("Move these sessions to a room (one of their edition's), keeping their times:")
    button_text = _("Set the room")
    action_priority = 30
    form_class = RoomForm

    def get_form_kwargs(self):
        queryset = Room.objects.filter(edition__in=self.selection_editions()).select_related(
            "edition"
        )
        return {**super().get_form_kwargs(), "queryset": queryset.order_by("edition", "position")}

    def act(self, obj, form):
        schedule_session(
            session=obj,
            room=form.cleaned_data["target"],
            start=obj.start,
            end=obj.end,
            user=self.request.user,
        )

    def done_message(self, count):
        return ngettext(
            "%(count)d session moved to %(room)s.",
            "%(count)d sessions moved to %(room)s.",
            count,
        ) % {"count": count, "room": self.cleaned_form.cleaned_data["target"].name}


@hooks.register("register_bulk_action")
class ExportSpeakersBulkAction(EditionScopedBulkAction):
    models = [Speaker]
    display_name = _("Export CSV")
    action_type = "export-csv"
    aria_label = _("Export the selected speakers as CSV")
    confirm_text = _("Export these speakers as a CSV file:")
    button_text = _("Download CSV")
    permission_action = "view"
    action_priority = 10

    def form_valid(self, form):
        speakers = (
            self.scoped_queryset()
            .filter(pk__in=[speaker.pk for speaker in self.selection])
            .select_related("organization", "edition")
            .prefetch_related(
                Prefetch(
                    "session_links",
                    queryset=SessionSpeaker.objects.select_related("session").order_by(
                        "session__start", "session__title", "pk"
                    ),
                )
            )
            .order_by("name", "pk")
        )
        response = HttpResponse(speakers_csv(speakers), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="speakers.csv"'
        patch_cache_control(response, no_store=True, private=True)
        return response
