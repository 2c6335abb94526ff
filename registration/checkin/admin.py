"""Checking participants in at the desk: a page for a phone (camera scanning of the badge QR
code, or the code typed in) and the admin's dashboard of counts."""

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from registration.checkin.services import CheckInError, check_in, local_time_text
from registration.enums import PaymentStatus
from registration.organizer.admin import _breadcrumbs
from registration.organizer.selectors import dashboard
from registration.permissions import organizer_edition_or_deny

CHECK_IN = "registration.check_in_registration"


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Badge code"),
        max_length=500,
        help_text=gettext_lazy("Scan the QR code on the badge, or type the code printed under it."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


def unpaid_warning(registration) -> str:
    """What the desk is told about a fee not yet paid ("" when nothing is due)."""
    if registration.payment_status != PaymentStatus.DUE or registration.amount_due <= 0:
        return ""
    return _("Not paid: %(amount)s %(currency)s is due (payment reference %(reference)s).") % {
        "amount": number_format(registration.amount_due, decimal_pos=2),
        "currency": registration.currency,
        "reference": registration.transfer_reference,
    }


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _json_answer(result, error, status) -> JsonResponse:
    """The answer for a scanner that asks for JSON: who, when, and the unpaid warning."""
    if result is None:
        return JsonResponse({"ok": False, "error": error}, status=status)
    registration = result["registration"]
    return JsonResponse(
        {
            "ok": True,
            "name": registration.name,
            "reference": registration.reference,
            "time": result["time"],
            "paid": registration.payment_status != PaymentStatus.DUE,
            "amount_due": str(registration.amount_due)
            if registration.payment_status == PaymentStatus.DUE
            else "0",
            "currency": registration.currency,
            "warning": result["unpaid"],
        }
    )


@require_http_methods(["GET", "POST"])
def checkin_page(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = organizer_edition_or_deny(request.user, edition_slug, CHECK_IN)
    result = error = None
    status = 200
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                registration = check_in(
                    edition=edition, code=form.cleaned_data["code"], actor=request.user
                )
            except CheckInError as refused:
                error, status = " ".join(refused.messages), 409
            else:
                result = {
                    "registration": registration,
                    "time": local_time_text(registration.checked_in_at, edition),
                    "unpaid": unpaid_warning(registration),
                }
        else:
            error, status = " ".join(form.errors["code"]), 400
        if _wants_json(request):
            return _json_answer(result, error, status)
        form = CheckInForm()  # an empty field, ready for the next badge
    else:
        form = CheckInForm()
    return render(
        request,
        "registration/admin/checkin.html",
        {
            "edition": edition,
            "form": form,
            "result": result,
            "error": error,
            "tab": "checkin",
            "header_title": _("Check-in: %(edition)s") % {"edition": edition.name},
            "breadcrumbs_items": _breadcrumbs(edition, ("", _("Check-in"))),
        },
        status=status,
    )


@require_http_methods(["GET"])
def dashboard_page(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = organizer_edition_or_deny(
        request.user, edition_slug, "registration.view_registration"
    )
    data = dashboard(edition=edition)
    return render(
        request,
        "registration/admin/dashboard.html",
        {
            "edition": edition,
            "dashboard": data,
            "charts": [
                (_("By status"), _chart(data.by_status)),
                (_("By country"), _chart(data.by_country)),
                (_("By kind of organization"), _chart(data.by_organization_kind)),
                (_("By payment"), _chart(data.by_payment)),
            ],
            "seat_chart": _seat_chart(data.by_ticket_type),
            "tab": "dashboard",
            "header_title": _("Registration dashboard: %(edition)s") % {"edition": edition.name},
            "breadcrumbs_items": _breadcrumbs(edition, ("", _("Dashboard"))),
        },
    )


BAR_WIDTH = 300  # SVG units of the longest bar


def _chart(bars) -> list[dict]:
    """Each bar with its length in SVG units (drawn server-side: no script, no CDN)."""
    top = max((b.value for b in bars), default=0) or 1
    return [
        {"label": b.label, "value": b.value, "width": round(BAR_WIDTH * b.value / top)}
        for b in bars
    ]


def _seat_chart(seats) -> list[dict]:
    """Per ticket type: confirmed and waiting as bars against the capacity (or the largest
    count when there is no limit)."""
    top = (
        max([max(s.ticket_type.capacity or 0, s.confirmed + s.waiting) for s in seats] or [0]) or 1
    )
    rows = []
    for s in seats:
        rows.append(
            {
                "seats": s,
                "confirmed_width": round(BAR_WIDTH * s.confirmed / top),
                "waiting_width": round(BAR_WIDTH * s.waiting / top),
                "capacity_x": (
                    round(BAR_WIDTH * s.ticket_type.capacity / top)
                    if s.ticket_type.capacity is not None
                    else None
                ),
            }
        )
    return rows
