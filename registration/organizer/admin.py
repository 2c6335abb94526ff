"""Registration in the Wagtail admin: the settings, ticket types, questions, seats and income
table (viewsets), and each edition's registration list with its actions and exports.

Every page is reached through the edition's slug and checks that the person organizes it;
a registration id is looked up within that edition only.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.views import generic
from wagtail.log_actions import log

from forum.views import (
    EditionScopedDeleteView,
    EditionScopedEditView,
    EditionScopedIndexView,
    EditionScopedInspectView,
    ManagedEditionChoiceMixin,
)
from registration.models import Registration, TicketType
from registration.organizer.exporters import export_filename
from registration.organizer.exporters.csv_export import csv_lines
from registration.organizer.exporters.xlsx_export import write_xlsx
from registration.organizer.selectors import (
    RegistrationFilter,
    export_table,
    registration_for_admin,
    registration_list,
    ticket_types_of,
)
from registration.permissions import organized_editions, organizer_edition_or_deny

VIEW = "registration.view_registration"
CHANGE = "registration.change_registration"
PASSPORT = "registration.view_passport_details"
PAGE_SIZE = 50


# Viewsets of the settings, ticket types, questions and seats --------------------------------


class ManagedSessionChoiceMixin:
    """The session of a seat limit is one of the editions the person manages."""

    def get_form(self, form_class=None):
        from sessions_app.models import Session

        form = super().get_form(form_class)
        if "session" in form.fields:
            editions = self.permission_policy.managed_editions(self.request.user)
            form.fields["session"].queryset = (
                Session.objects.filter(edition__in=editions)
                .select_related("edition")
                .order_by("edition__year", "start", "title")
            )
        return form


class RegistrationCreateView(
    ManagedSessionChoiceMixin, ManagedEditionChoiceMixin, generic.CreateView
):
    pass


class RegistrationEditView(
    ManagedSessionChoiceMixin, ManagedEditionChoiceMixin, EditionScopedEditView
):
    pass


class CapacityEditView(RegistrationEditView):
    """More seats on a ticket type or a session promote its waiting list at once."""

    def save_instance(self):
        from registration.services.capacity import apply_capacity_change

        instance = super().save_instance()
        self.promoted = apply_capacity_change(instance=instance)
        return instance

    def get_success_message(self):
        message = super().get_success_message()
        promoted = getattr(self, "promoted", None)
        if promoted:
            message = f"{message} " + ngettext(
                "%(count)d person moved from the waiting list to confirmed.",
                "%(count)d people moved from the waiting list to confirmed.",
                len(promoted),
            ) % {"count": len(promoted)}
        return message


RegistrationIndexView = EditionScopedIndexView
RegistrationDeleteView = EditionScopedDeleteView
RegistrationInspectView = EditionScopedInspectView


# The registration list ----------------------------------------------------------------------


def _breadcrumbs(edition=None, *items) -> list[dict]:
    crumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("registration_admin_home"), "label": _("Registration")},
    ]
    if edition is not None:
        crumbs.append(
            {"url": reverse("registration_admin_list", args=[edition.slug]), "label": edition.name}
        )
    crumbs.extend({"url": url, "label": label} for url, label in items)
    if crumbs:
        crumbs[-1] = {**crumbs[-1], "url": ""}
    return crumbs


DESTINATIONS = {
    "list": "registration_admin_list",
    "dashboard": "registration_admin_dashboard",
    "checkin": "registration_admin_checkin",
    "payments": "registration_admin_payments",
}


@require_GET
def registration_home(request: HttpRequest) -> HttpResponse:
    """The editions whose registration the person runs; straight on with only one."""
    if not (
        request.user.has_perm(VIEW) or request.user.has_perm("registration.check_in_registration")
    ):
        raise PermissionDenied
    editions = list(organized_editions(request.user))
    go = request.GET.get("go")
    if go in DESTINATIONS and len(editions) == 1:
        return redirect(DESTINATIONS[go], editions[0].slug)
    return render(
        request,
        "registration/admin/home.html",
        {
            "editions": editions,
            "header_title": _("Registration"),
            "breadcrumbs_items": _breadcrumbs(),
        },
    )


def _filtered(request: HttpRequest, edition) -> RegistrationFilter:
    return RegistrationFilter(request.GET or None, edition=edition)


@require_GET
def registration_index(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = organizer_edition_or_deny(request.user, edition_slug, VIEW)
    filterset = _filtered(request, edition)
    if filterset.is_bound and not filterset.is_valid():
        queryset = Registration.objects.none()
    else:
        queryset = registration_list(filterset.qs)
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    query = {k: v for k, v in request.GET.items() if k != "p" and v}
    return render(
        request,
        "registration/admin/list.html",
        {
            "edition": edition,
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "query": urlencode(query),
            "tab": "list",
            "header_title": _("Registrations: %(edition)s") % {"edition": edition.name},
            "breadcrumbs_items": _breadcrumbs(edition),
        },
    )


class RefuseForm(forms.Form):
    prefix = "refuse"

    reason = forms.CharField(
        label=gettext_lazy("Reason (sent to the participant)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PaymentForm(forms.Form):
    prefix = "payment"

    amount = forms.DecimalField(
        label=gettext_lazy("Amount received"), min_value=0, max_digits=10, decimal_places=2
    )
    reference = forms.CharField(
        label=gettext_lazy("Payment reference"), required=False, max_length=128
    )


class WaiverForm(forms.Form):
    prefix = "waiver"

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("grant", gettext_lazy("Grant")), ("refuse", gettext_lazy("Refuse"))],
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount waived (for a subsidy)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )


class TicketTypeChoiceForm(forms.Form):
    prefix = "move"

    ticket_type = forms.ModelChoiceField(
        label=gettext_lazy("Move to ticket type"),
        queryset=TicketType.objects.none(),
        error_messages={
            "invalid_choice": gettext_lazy("This ticket type is not one of this edition's.")
        },
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].queryset = ticket_types_of(edition=edition)


def _registration_or_404(request, edition, pk: int, *, with_passport=False) -> Registration:
    registration = registration_for_admin(edition=edition, pk=pk, with_passport=with_passport)
    if registration is None:
        raise Http404
    return registration


@require_GET
def registration_detail(request: HttpRequest, edition_slug: str, pk: int) -> HttpResponse:
    edition = organizer_edition_or_deny(request.user, edition_slug, VIEW)
    can_see_passport = request.user.has_perm(PASSPORT)
    registration = _registration_or_404(request, edition, pk, with_passport=can_see_passport)
    passport = getattr(registration, "passport", None) if can_see_passport else None
    context = {
        "edition": edition,
        "registration": registration,
        "answers": list(registration.answers.all()),
        "signups": list(registration.signups.all()),
        "visa_letter": getattr(registration, "visa_letter", None),
        "passport": passport,
        "can_see_passport": can_see_passport,
        "can_change": request.user.has_perm(CHANGE),
        "refuse_form": RefuseForm(),
        "payment_form": PaymentForm(initial={"amount": registration.amount_due}),
        "waiver_form": WaiverForm(),
        "ticket_form": TicketTypeChoiceForm(
            edition=edition, initial={"ticket_type": registration.ticket_type_id}
        ),
        "header_title": f"{registration.reference} · {registration.name}",
        "breadcrumbs_items": _breadcrumbs(edition, ("", registration.reference)),
    }
    response = render(request, "registration/admin/detail.html", context)
    # Personal data (passport details for some): never kept by a browser or a proxy.
    patch_cache_control(response, no_store=True, private=True)
    return response


def _approve(request, registration, edition):
    from registration.services.registrations import approve_registration

    approve_registration(registration=registration, actor=request.user)
    return _("%(name)s is approved.") % {"name": registration.name}


def _refuse(request, registration, edition):
    from registration.services.registrations import refuse_registration

    form = RefuseForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_flatten(form))
    refuse_registration(
        registration=registration, actor=request.user, reason=form.cleaned_data["reason"]
    )
    return _("%(name)s is refused.") % {"name": registration.name}


def _payment(request, registration, edition):
    from registration.services.registrations import record_payment

    form = PaymentForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_flatten(form))
    record_payment(
        registration=registration,
        amount=form.cleaned_data["amount"],
        reference=form.cleaned_data["reference"],
        actor=request.user,
    )
    return _("Payment of %(amount)s %(currency)s recorded for %(name)s.") % {
        "amount": form.cleaned_data["amount"],
        "currency": registration.currency,
        "name": registration.name,
    }


def _waiver(request, registration, edition):
    from registration.services.registrations import decide_waiver

    form = WaiverForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_flatten(form))
    grant = form.cleaned_data["decision"] == "grant"
    decide_waiver(
        registration=registration,
        grant=grant,
        amount=form.cleaned_data["amount"],
        actor=request.user,
    )
    if grant:
        return _("The waiver of %(name)s is granted.") % {"name": registration.name}
    return _("The waiver of %(name)s is refused.") % {"name": registration.name}


def _ticket_type(request, registration, edition):
    from registration.services.registrations import change_ticket_type

    form = TicketTypeChoiceForm(request.POST, edition=edition)
    if not form.is_valid():
        raise ValidationError(_flatten(form))
    ticket_type = form.cleaned_data["ticket_type"]
    change_ticket_type(registration=registration, ticket_type=ticket_type, actor=request.user)
    return _("%(name)s moved to %(ticket_type)s.") % {
        "name": registration.name,
        "ticket_type": ticket_type.name,
    }


ACTIONS = {
    "approve": _approve,
    "refuse": _refuse,
    "payment": _payment,
    "waiver": _waiver,
    "ticket-type": _ticket_type,
}


def _flatten(form: forms.Form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out.extend(f"{label}: {error}" if label else error for error in errors)
    return out


@require_POST
def registration_action(
    request: HttpRequest, edition_slug: str, pk: int, action: str
) -> HttpResponse:
    """Approve, refuse, record a payment, decide a waiver or move to another ticket type,
    through the registration services. A refusal by the service or bad input: a message,
    nothing changed."""
    edition = organizer_edition_or_deny(request.user, edition_slug, CHANGE)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    registration = Registration.objects.filter(edition=edition, pk=pk).first()
    if registration is None:
        raise Http404
    try:
        message = handler(request, registration, edition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        log(instance=registration, action=f"registration.{action}", user=request.user)
        messages.success(request, message)
    return redirect("registration_admin_detail", edition.slug, registration.pk)


# Exports ------------------------------------------------------------------------------------


def _export_table(request, edition_slug):
    edition = organizer_edition_or_deny(request.user, edition_slug, VIEW)
    filterset = _filtered(request, edition)
    if filterset.is_bound and not filterset.is_valid():
        return edition, None, filterset
    return edition, export_table(edition=edition, queryset=filterset.qs), filterset


def _bad_filters(request, edition, filterset) -> HttpResponse:
    errors = [
        f"{filterset.form.fields[n].label}: {e}" for n, es in filterset.errors.items() for e in es
    ]
    return render(
        request,
        "registration/admin/export_refused.html",
        {
            "edition": edition,
            "errors": errors,
            "header_title": _("Export not made"),
            "breadcrumbs_items": _breadcrumbs(edition, ("", _("Export"))),
        },
        status=400,
    )


@require_GET
def export_csv(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition, table, filterset = _export_table(request, edition_slug)
    if table is None:
        return _bad_filters(request, edition, filterset)
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(edition.slug, "csv")}"'
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_GET
def export_xlsx(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition, table, filterset = _export_table(request, edition_slug)
    if table is None:
        return _bad_filters(request, edition, filterset)
    handle = write_xlsx(table, title=edition.slug)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename(edition.slug, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    patch_cache_control(response, no_store=True, private=True)
    return response
