"""Moving from pretalx or frab, in the admin: an organizer uploads a schedule export for one of
their editions, sees what it would add and update, and confirms. The uploaded file waits between
the two steps in the private media folder under a random name bound to the person's session."""

import secrets

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from forum.documents import delete_private, private_storage, read_private, save_private
from sessions_app.importers.schedule import MAX_BYTES, ScheduleFileError, parse_schedule
from sessions_app.services.importing import ImportRefusedError, import_schedule, plan_import
from sessions_app.views_grid import _edition_or_deny

SESSION_KEY = "sessions_app_schedule_import"


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Schedule export"),
        help_text=gettext_lazy("pretalx's or frab's schedule.xml or schedule.json, at most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


def _pending_name(token: str) -> str:
    return f"schedule-imports/{token}.upload"


def _pending(request: HttpRequest, edition_id: int, token: str) -> str | None:
    """The private file this person uploaded for this edition under `token`, if any."""
    held = request.session.get(SESSION_KEY) or {}
    if not token or held.get("token") != token or held.get("edition") != edition_id:
        return None
    name = _pending_name(token)
    return name if private_storage().exists(name) else None


def _context(edition, **extra) -> dict:
    title = _("Import a schedule into %(edition)s") % {"edition": edition.name}
    return {
        "edition": edition,
        "header_title": title,
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("sessions_app_grids"), "label": _("Schedule grid")},
            {"url": "", "label": title},
        ],
        **extra,
    }


@require_http_methods(["GET", "POST"])
def schedule_import(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = _edition_or_deny(request, edition_slug)
    template = "sessions_app/admin/schedule_import.html"
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request, edition, template)
    form = ScheduleUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, template, _context(edition, form=form))
    data = form.cleaned_data["file"].read(MAX_BYTES + 1)
    try:
        plan = plan_import(edition=edition, schedule=parse_schedule(data))
    except ScheduleFileError as exc:
        form.add_error("file", str(exc))
        return render(request, template, _context(edition, form=form))
    except ImportRefusedError as exc:
        for message in exc.messages:
            form.add_error("file", message)
        return render(request, template, _context(edition, form=form))
    token = secrets.token_urlsafe(24)
    save_private(_pending_name(token), data)
    request.session[SESSION_KEY] = {"token": token, "edition": edition.pk}
    return render(
        request,
        template,
        _context(edition, plan=plan, token=token, filename=form.cleaned_data["file"].name),
    )


def _confirm(request: HttpRequest, edition, template: str) -> HttpResponse:
    name = _pending(request, edition.pk, request.POST.get("token", ""))
    if name is None:
        messages.error(request, _("The uploaded file is no longer there; upload it again."))
        return redirect("sessions_app_import", edition.slug)
    try:
        plan = import_schedule(
            edition=edition, schedule=parse_schedule(read_private(name)), user=request.user
        )
    except (ScheduleFileError, ImportRefusedError) as exc:
        form = ScheduleUploadForm()
        form.add_error(None, str(exc))
        return render(request, template, _context(edition, form=form))
    finally:
        request.session.pop(SESSION_KEY, None)
        delete_private(name)
    new, updated = (sum(c[i] for c in plan.counts.values()) for i in (0, 1))
    messages.success(
        request,
        _("Schedule imported: %(new)d added, %(updated)d updated.")
        % {"new": new, "updated": updated},
    )
    return redirect("sessions_app_grid", edition.slug)
