"""Organizers' email pages in the Wagtail admin: write and send announcements, read the email
log of their editions and resend an email. Everything is limited to the editions the person
organizes (all for series administrators): another edition's email is not found."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from registration import selectors_mail as selectors
from registration.enums import EmailStatus
from registration.forms_mail import AnnouncementForm
from registration.services.announcements import (
    AnnouncementError,
    nobody_message,
    preview_recipients,
    queue_announcement,
)
from registration.services.outbox import resend_email

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


def email_log(request: HttpRequest) -> HttpResponse:
    _require_mail_access(request)
    status = request.GET.get("status", "")
    status = status if status in [*EmailStatus.values, selectors.RETRYING] else ""
    kind = request.GET.get("kind", "")[:32]
    search = request.GET.get("q", "").strip()[:100]
    try:
        edition_id = int(request.GET.get("edition", "") or 0)
    except ValueError:
        edition_id = 0
    emails = selectors.emails_for_log(
        user=request.user, status=status, kind=kind, edition_id=edition_id, search=search
    )
    page = Paginator(emails, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "registration/admin_mail/email_log.html",
        {
            "header_title": _("Email log"),
            "breadcrumbs_items": _breadcrumbs(_("Email log")),
            "page": page,
            "statuses": [
                *EmailStatus.choices,
                (selectors.RETRYING, _("Failed for now, will be tried again")),
            ],
            "kinds": selectors.email_kinds(request.user),
            "editions": selectors.managed_editions(request.user),
            "current": {"status": status, "kind": kind, "edition": edition_id, "q": search},
            "query": query.urlencode(),
        },
    )


@require_POST
def resend(request: HttpRequest, email_id: int) -> HttpResponse:
    _require_mail_access(request)
    email = selectors.email_for_organizer(user=request.user, email_id=email_id)
    if email is None:
        raise Http404
    with transaction.atomic():
        resend_email(email=email)
    messages.success(
        request,
        _("A new copy of “%(subject)s” to %(to)s is on its way.")
        % {"subject": email.subject, "to": email.to_email},
    )
    return redirect("registration_email_log")


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
        path("registration-mail/emails/", email_log, name="registration_email_log"),
        path(
            "registration-mail/emails/<int:email_id>/resend/",
            resend,
            name="registration_email_resend",
        ),
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


class MailMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.manages_mail(request.user)


class MailSubmenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return selectors.manages_mail(request.user)


@hooks.register("register_admin_urls")
def register_mail_urls():
    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_mail_menu():
    menu = Menu(
        items=[
            MailMenuItem(
                gettext_lazy("Announcements"),
                reverse_lazy("registration_announcements"),
                name="announcements",
                icon_name="mail",
                order=100,
            ),
            MailMenuItem(
                gettext_lazy("Email log"),
                reverse_lazy("registration_email_log"),
                name="email-log",
                icon_name="list-ul",
                order=200,
            ),
        ]
    )
    return MailSubmenuItem(
        gettext_lazy("Participant emails"),
        menu,
        name="participant-emails",
        icon_name="mail",
        order=310,
    )


class FailingMailPanel(Component):
    """The admin home tells organizers when mail is failing, with a link to the log."""

    name = "failing_mail"
    order = 50
    template_name = "registration/admin_mail/failing_mail_panel.html"

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def get_context_data(self, parent_context=None):
        return {
            **self.counts,
            "retrying_url": reverse("registration_email_log") + f"?status={selectors.RETRYING}",
            "failed_url": reverse("registration_email_log") + f"?status={EmailStatus.FAILED}",
        }


@hooks.register("construct_homepage_panels")
def add_failing_mail_panel(request, panels):
    if not selectors.manages_mail(request.user):
        return
    counts = selectors.failing_mail(user=request.user)
    if counts["retrying"] or counts["failed"]:
        panels.append(FailingMailPanel(counts))
