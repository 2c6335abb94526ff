"""The schedule grid editor in the Wagtail admin: days by rooms, sessions moved by drag and drop
or the keyboard, each move saved at once through `schedule_session`."""

import datetime
import json
import zoneinfo

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.menu import MenuItem

from forum.models import Edition
from sessions_app import selectors_grid
from sessions_app.enums import ConflictSeverity, SessionStatus
from sessions_app.grid_html import CardWriter
from sessions_app.models import Room, Session
from sessions_app.selectors_grid import (
    LOCAL_FORMAT,
    SHORT_CONFLICT_LABELS,
    TIME_RANGE,
    edition_user_schedules,
    editions_for_grid_list,
    local_text,
    session_of_edition,
)
from sessions_app.services.conflicts import find_conflicts
from sessions_app.services.scheduling import schedule_session


def _edition_or_deny(request: HttpRequest, slug: str) -> Edition:
    """The edition if the person schedules it; 404 if there is no such edition, else refused."""
    edition = edition_user_schedules(request.user, slug)
    if edition is not None:
        return edition
    if not Edition.objects.filter(slug=slug).exists():
        raise Http404
    raise PermissionDenied


def _client_messages() -> dict:
    return {
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "failed": _("Not saved: %(reason)s"),
        "network": _("Not saved: the server could not be reached."),
        "http": _("Not saved: the server answered %(status)s."),
        "picked": _(
            "Picked up “%(title)s”. Arrow keys move it, Shift with Up or Down changes its "
            "length, Enter drops it, Escape cancels, U takes it off the grid."
        ),
        "position": _("%(room)s, %(time)s"),
        "cancelled": _("Move cancelled."),
        "unchanged": _("Not moved."),
        "edge": _("The session cannot go further."),
        "card_placed": _("%(title)s, %(time)s, %(status)s, %(room)s"),
        "card_unscheduled": _("%(title)s, %(status)s, unscheduled"),
        "summary_hard": _("Blocking conflicts: %(number)s"),
        "summary_warning": _("Warnings: %(number)s"),
        "resize": _("Drag to change the end"),
    }


@require_GET
def schedule_grid(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = _edition_or_deny(request, edition_slug)
    grid = selectors_grid.schedule_grid(edition)
    writer = CardWriter()
    context = {
        "edition": edition,
        "grid": grid,
        "days": [(day, writer.day_rows(day)) for day in grid.days],
        "unscheduled_cards": writer.cards(grid.unscheduled),
        # The script puts a card's id in place of the 0.
        "move_url": reverse("sessions_app_grid_move", args=[edition.slug, 0]),
        "hard_count": sum(1 for c in grid.conflicts if c.is_hard),
        "warning_count": sum(1 for c in grid.conflicts if not c.is_hard),
        "client_messages": json.dumps(_client_messages()),
        "client_labels": json.dumps(
            {
                "kinds": {str(k): str(v) for k, v in SHORT_CONFLICT_LABELS.items()},
                "severities": {str(s): str(s.label) for s in ConflictSeverity},
                "statuses": {str(s): str(s.label) for s in SessionStatus},
            }
        ),
        "track_colours": json.dumps(
            {
                card.session.track_id: card.session.track.colour
                for card in grid.cards()
                if card.session.track_id
            }
        ),
        "header_title": _("Schedule grid: %(edition)s") % {"edition": edition.name},
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("sessions_app_grids"), "label": _("Schedule grid")},
            {"url": "", "label": edition.name},
        ],
    }
    return render(request, "sessions_app/admin/grid.html", context)


@require_GET
def schedule_grids(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("sessions_app.change_session"):
        raise PermissionDenied
    return render(
        request,
        "sessions_app/admin/grids.html",
        {
            "editions": editions_for_grid_list(request.user),
            "header_title": _("Schedule grid"),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": "", "label": _("Schedule grid")},
            ],
        },
    )


class LocalDateTimeField(forms.Field):
    """A wall-clock time "YYYY-MM-DDTHH:MM" in the edition's time zone (not the person's)."""

    default_error_messages = {
        "invalid": gettext_lazy("Give the time as YYYY-MM-DDTHH:MM, e.g. 2009-11-07T09:30."),
    }

    def __init__(self, *, time_zone: zoneinfo.ZoneInfo, **kwargs):
        super().__init__(**kwargs)
        self.time_zone = time_zone

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.datetime.strptime(value, LOCAL_FORMAT).replace(tzinfo=self.time_zone)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class MoveForm(forms.Form):
    """Where the editor puts a session: a room, a start and an end, or none of them."""

    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("This room is not a room of this edition.")},
    )

    def __init__(self, data, *, edition: Edition):
        super().__init__(data)
        time_zone = zoneinfo.ZoneInfo(edition.time_zone)
        self.fields["room"].queryset = Room.objects.filter(edition=edition)
        self.fields["start"] = LocalDateTimeField(time_zone=time_zone, required=False)
        self.fields["end"] = LocalDateTimeField(time_zone=time_zone, required=False)

    def clean_room(self):
        raw = self.data.get("room")
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int | str)):
            raise ValidationError(self.fields["room"].error_messages["invalid_choice"])
        return self.cleaned_data["room"]

    def clean(self):
        data = super().clean()
        room = data.get("room")
        timed = data.get("start") is not None or data.get("end") is not None
        if self.errors:
            return data
        if timed and room is None:
            self.add_error("room", _("Choose a room for a session with a time."))
        elif room is not None and not timed:
            self.add_error("start", _("Give the start and the end of a session in a room."))
        return data


def _session_json(session: Session, time_zone: zoneinfo.ZoneInfo) -> dict:
    start, end = local_text(session.start, time_zone), local_text(session.end, time_zone)
    return {
        "id": session.pk,
        "title": session.title,
        "status": session.status,
        "status_label": str(session.get_status_display()),
        "room": session.room_id,
        "room_name": session.room.name if session.room_id else None,
        "start": start,
        "end": end,
        "time_label": TIME_RANGE.format(start=start[11:], end=end[11:]) if start and end else "",
        "scheduled": session.is_scheduled,
    }


def _refused(errors: dict, status: int) -> JsonResponse:
    return JsonResponse({"ok": False, "errors": errors}, status=status)


@require_POST
def move_session(request: HttpRequest, edition_slug: str, session_id: int) -> JsonResponse:
    edition = edition_user_schedules(request.user, edition_slug)
    if edition is None:
        return _refused(
            {"__all__": [_("You may not change the programme of this edition.")]}, status=403
        )
    session = session_of_edition(edition, session_id)
    if session is None:
        return _refused({"__all__": [_("This edition has no such session.")]}, status=404)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _refused({"__all__": [_("The request is not valid JSON.")]}, status=400)
    if not isinstance(payload, dict) or not {"room", "start", "end"} <= payload.keys():
        return _refused(
            {"__all__": [_("Send an object with a room, a start and an end (each may be null).")]},
            status=400,
        )
    form = MoveForm(payload, edition=edition)
    if not form.is_valid():
        return _refused({k: list(v) for k, v in form.errors.items()}, status=400)
    try:
        session = schedule_session(
            session=session,
            room=form.cleaned_data["room"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            user=request.user,
        )
    except ValidationError as exc:
        return _refused(exc.message_dict, status=400)
    return JsonResponse(
        {
            "ok": True,
            "session": _session_json(session, zoneinfo.ZoneInfo(edition.time_zone)),
            "conflicts": [conflict.as_dict() for conflict in find_conflicts(edition)],
        }
    )


class ScheduleGridMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("sessions_app.change_session")


def admin_urls() -> list:
    """The editor's admin URLs (mounted under /admin/ by the `register_admin_urls` hook), and
    the import of a pretalx or frab schedule."""
    from sessions_app import views_import, views_release

    return [
        path("programme/", schedule_grids, name="sessions_app_grids"),
        path("programme/<slug:edition_slug>/grid/", schedule_grid, name="sessions_app_grid"),
        path(
            "programme/<slug:edition_slug>/grid/sessions/<int:session_id>/move/",
            move_session,
            name="sessions_app_grid_move",
        ),
        path(
            "programme/<slug:edition_slug>/releases/<int:number>/",
            views_release.release_status,
            name="sessions_app_release_status",
        ),
        path(
            "programme/<slug:edition_slug>/import/",
            views_import.schedule_import,
            name="sessions_app_import",
        ),
    ]


def admin_menu_item() -> MenuItem:
    return ScheduleGridMenuItem(
        gettext_lazy("Schedule grid"),
        reverse_lazy("sessions_app_grids"),
        name="schedule-grid",
        icon_name="table",
        order=165,
    )
