"""The organizers' email log in the Wagtail admin: read the emails of their editions and resend
one. Everything is limited to the editions the person organizes (all for series
administrators): another edition's email is not found."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mail import selectors
from mail.enums import EmailStatus
from mail.services.outbox import resend_email

PER_PAGE = 50


def _require_mail_access(request: HttpRequest) -> None:
    if not selectors.manages_mail(request.user):
        raise PermissionDenied


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
        "mail/admin/email_log.html",
        {
            "header_title": _("Email log"),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": "", "label": _("Email log")},
            ],
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
    return redirect("mail_email_log")


def moved_email_log(request: HttpRequest) -> HttpResponse:
    """The log's address while the outbox lived in registration: a permanent redirect, with
    the filters kept."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(reverse("mail_email_log") + (f"?{query}" if query else ""))
