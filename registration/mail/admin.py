"""Organizers' announcement pages in the Wagtail admin: write and send announcements to a
filtered group of participants, in the mail menu (the email log is the core mail app's).
Everything is limited to the editions the person organizes (all for series administrators)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from mail.wagtail_hooks import MENU_HOOK, MailMenuItem
from registration.mail import selectors
from registration.mail.forms import AnnouncementForm
from registration.mail.services.announcements import (
    AnnouncementError,
    nobody_message,
    preview_recipients,
    queue_announcement,
)

PER_PAGE = 50
PREVIEW_NAMES = 20


def _require_mail_access(request: HttpRequest) -> None:
    if not selectors.manages_mail(request.user):
        raise PermissionDenied


def _breadcrumbs(label: str) -> list[dict]:
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": "", "label": label},
    ]


def announcements(request: HttpRequest) -> HttpResponse:
    _require_mail_access(request)
    page = Paginator(selectors.announcements_for_list(user=request.user), PER_PAGE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "registration/admin_mail/announcements.html",
        {
            "header_title": _("Announcements"),
            "breadcrumbs_items": _breadcrumbs(_("Announcements")),
            "page": page,
        },
    )


def new_announcement(request: HttpRequest) -> HttpResponse:
    """Write an announcement; "Preview" counts who would get it, "Send" sends it."""
    _require_mail_access(request)
    editions = selectors.managed_editions(request.user)
    form = AnnouncementForm(request.POST or None, editions=editions)
    preview = None
    if request.method == "POST" and form.is_valid():
        announcement = form.announcement(user=request.user)
        if request.POST.get("action") == "send":
            count = preview_recipients(announcement=announcement).count()
            if not count:
                form.add_error(None, AnnouncementError(nobody_message()))
            else:
                with transaction.atomic():
                    ticket_type_ids = announcement.ticket_type_ids
                    announcement.save()
                    announcement.ticket_types.set(ticket_type_ids)
                    queue_announcement(announcement_id=announcement.pk)
                messages.success(
                    request,
                    _("“%(subject)s” is on its way to %(count)d participant(s).")
                    % {"subject": announcement.subject, "count": count},
                )
                return redirect("registration_announcements")
        else:
            people = preview_recipients(announcement=announcement)
            preview = {
                "count": people.count(),
                "sample": list(people.values("name", "email", "language")[:PREVIEW_NAMES]),
            }
    return render(
        request,
        "registration/admin_mail/announcement_form.html",
        {
            "header_title": _("New announcement"),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse("registration_announcements"), "label": _("Announcements")},
                {"url": "", "label": _("New announcement")},
            ],
            "form": form,
            "preview": preview,
        },
    )


def admin_urls() -> list:
    return [
        path(
            "registration-mail/announcements/",
            announcements,
            name="registration_announcements",
        ),
        path(
            "registration-mail/announcements/new/",
            new_announcement,
            name="registration_announcement_new",
        ),
    ]


@hooks.register("register_admin_urls")
def register_mail_urls():
    return admin_urls()


@hooks.register(MENU_HOOK)
def register_announcements_menu_item():
    return MailMenuItem(
        gettext_lazy("Announcements"),
        reverse_lazy("registration_announcements"),
        name="announcements",
        icon_name="mail",
        order=100,
    )
