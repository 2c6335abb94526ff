"""Read queries of the registration admin: the filtered list, its exports and the dashboard.

Each runs a fixed number of queries whatever the size of the edition (tests assert it).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from forum.content_language import localized_lookups
from forum.enums import OrganizationKind
from forum.models import Edition
from registration.enums import (
    LetterStatus,
    PaymentStatus,
    RegistrationStatus,
    WaiverStatus,
)
from registration.models import Answer, Question, Registration, TicketType

VISA_NOT_NEEDED = "no"
VISA_CHOICES = [
    (VISA_NOT_NEEDED, _("Not needed")),
    *[(status.value, status.label) for status in LetterStatus],
]
CHECKED_IN_CHOICES = [("yes", _("Checked in")), ("no", _("Not checked in"))]
WAIVER_CHOICES = [
    ("none", _("Not requested")),
    *[(s.value, s.label) for s in WaiverStatus if s.value],
]


class RegistrationFilter(django_filters.FilterSet):
    """The filters and the search of the registration list, also used by its exports."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name, native name, email, reference or organization."),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RegistrationStatus.choices)
    ticket_type = django_filters.ModelChoiceFilter(
        label=_("Ticket type"), queryset=TicketType.objects.none()
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=[])
    organization_kind = django_filters.ChoiceFilter(
        label=_("Kind of organization"), choices=OrganizationKind.choices
    )
    payment_status = django_filters.ChoiceFilter(label=_("Payment"), choices=PaymentStatus.choices)
    waiver = django_filters.ChoiceFilter(
        label=_("Waiver or subsidy"), choices=WAIVER_CHOICES, method="filter_waiver"
    )
    visa_letter = django_filters.ChoiceFilter(
        label=_("Visa letter"), choices=VISA_CHOICES, method="filter_visa_letter"
    )
    checked_in = django_filters.ChoiceFilter(
        label=_("Check-in"), choices=CHECKED_IN_CHOICES, method="filter_checked_in"
    )

    class Meta:
        model = Registration
        fields: list[str] = []

    def __init__(self, data=None, *, edition: Edition):
        super().__init__(data, queryset=Registration.objects.filter(edition=edition))
        self.edition = edition
        self.filters["ticket_type"].queryset = ticket_types_of(edition=edition)
        self.filters["country"].extra["choices"] = list(countries)

    @property
    def form(self) -> forms.Form:
        form = super().form
        # A wrong ticket type id says so instead of Django's generic message.
        form.fields["ticket_type"].error_messages["invalid_choice"] = _(
            "This ticket type is not one of this edition's."
        )
        return form

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words[:5]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(name_native__icontains=word)
                | Q(email__icontains=word)
                | Q(reference__iexact=word)
                | Q(organization_name__icontains=word)
                | Q(organization_name_native__icontains=word)
            )
        return queryset

    def filter_waiver(self, queryset, name, value):
        return queryset.filter(waiver_status="" if value == "none" else value)

    def filter_visa_letter(self, queryset, name, value):
        if value == VISA_NOT_NEEDED:
            return queryset.filter(needs_visa_letter=False)
        return queryset.filter(visa_letter__status=value)

    def filter_checked_in(self, queryset, name, value):
        return queryset.filter(checked_in_at__isnull=(value != "yes"))


def ticket_types_of(*, edition: Edition) -> QuerySet[TicketType]:
    return TicketType.objects.filter(edition=edition).order_by("position", "name")


LIST_FIELDS = (
    "pk",
    "reference",
    "status",
    "name",
    "name_native",
    "name_native_language",
    "email",
    "country",
    "organization_name",
    "organization_kind",
    "payment_status",
    "fee",
    "currency",
    "waiver_status",
    "needs_visa_letter",
    "checked_in_at",
    "created_at",
    "ticket_type__name",
    "ticket_type__colour",
    "edition_id",
    "ticket_type_id",
)


def registration_list(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """What the list shows of each registration (a page of it is one query)."""
    return (
        queryset.select_related("ticket_type")
        .only(
            *[f for f in LIST_FIELDS if f != "pk"],
            # The ticket type's name in every language (organizers' translations).
            *localized_lookups("ticket_type__name"),
        )
        .order_by("-created_at", "-pk")
    )


def registration_for_admin(*, edition: Edition, pk: int, with_passport: bool):
    """One registration of `edition` with everything its admin page shows, or None (another
    edition's id is not found)."""
    related = ["ticket_type", "user", "decided_by", "checked_in_by", "visa_letter"]
    if with_passport:
        related.append("passport")
    return (
        Registration.objects.filter(edition=edition, pk=pk)
        .select_related(*related)
        .prefetch_related("answers__question", "signups__session")
        .first()
    )


# Exports ------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    ("reference", _("Reference")),
    ("status", _("Status")),
    ("ticket_type", _("Ticket type")),
    ("name", _("Name")),
    ("name_native", _("Name in native script")),
    ("email", _("Email address")),
    ("country", _("Country")),
    ("organization_name", _("Organization")),
    ("organization_name_native", _("Organization in native script")),
    ("organization_kind", _("Kind of organization")),
    ("language", _("Language for email")),
    ("languages_spoken", _("Languages spoken")),
    ("interpretation_needs", _("Interpretation needs")),
    ("dietary_needs", _("Dietary needs")),
    ("accessibility_needs", _("Accessibility needs")),
    ("arrival_date", _("Arrival")),
    ("departure_date", _("Departure")),
    ("needs_visa_letter", _("Needs a visa letter")),
    ("public_listing", _("In the public list")),
    ("income_group", _("Income group")),
    ("fee", _("Fee")),
    ("currency", _("Currency")),
    ("payment_status", _("Payment")),
    ("amount_paid", _("Amount paid")),
    ("receipt_number", _("Receipt number")),
    ("waiver_kind", _("Waiver or subsidy")),
    ("waiver_status", _("Waiver decision")),
    ("waiver_amount", _("Amount waived")),
    ("created_at", _("Registered at")),
    ("checked_in_at", _("Checked in at")),
)
# Never exported: passport details, tokens, badge codes (a badge code checks someone in).
_EXPORT_FIELDS = [name for name, _label in EXPORT_COLUMNS if name not in {"ticket_type"}] + [
    "pk",
    "ticket_type__name",
]


@dataclass(frozen=True)
class ExportTable:
    headers: list[str]
    rows: Iterator[list]


def export_table(*, edition: Edition, queryset: QuerySet[Registration]) -> ExportTable:
    """The rows of an export: the registration's columns, then one column per question of the
    edition. Two queries whatever the size (registrations, and all their answers, both read in
    registration order and walked side by side), streamed in chunks."""
    questions = list(Question.objects.filter(edition=edition).order_by("position", "pk"))
    headers = [str(label) for _name, label in EXPORT_COLUMNS] + [q.label for q in questions]
    displays = {
        "status": dict(RegistrationStatus.choices),
        "organization_kind": dict(OrganizationKind.choices),
        "payment_status": dict(PaymentStatus.choices),
        "waiver_status": dict(WaiverStatus.choices),
        "country": dict(countries),
    }
    registrations = queryset.order_by("pk").values(*_EXPORT_FIELDS).iterator(chunk_size=2000)
    answers = (
        Answer.objects.filter(registration__in=queryset.values("pk"))
        .order_by("registration_id")
        .values_list("registration_id", "question_id", "value")
        .iterator(chunk_size=2000)
    )
    column_of = {q.pk: i for i, q in enumerate(questions)}

    def rows():
        pending = next(answers, None)
        for row in registrations:
            values = []
            for name, _label in EXPORT_COLUMNS:
                value = row["ticket_type__name"] if name == "ticket_type" else row[name]
                if name in displays:
                    value = str(displays[name].get(value, value))
                values.append(value)
            extra = [""] * len(questions)
            while pending is not None and pending[0] <= row["pk"]:
                if pending[0] == row["pk"] and pending[1] in column_of:
                    extra[column_of[pending[1]]] = pending[2]
                pending = next(answers, None)
            yield values + extra

    return ExportTable(headers=headers, rows=rows())


# Dashboard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    detail: str = ""


@dataclass(frozen=True)
class FeeTotals:
    """Fees of one currency: still due, paid and waived (waivers and subsidies granted)."""

    currency: str
    due: Decimal
    paid: Decimal
    waived: Decimal
    n_due: int
    n_paid: int
    n_waived: int


@dataclass(frozen=True)
class TicketTypeSeats:
    ticket_type: TicketType
    confirmed: int
    waiting: int
    pending: int
    total: int

    @property
    def free(self) -> int | None:
        cap = self.ticket_type.capacity
        return None if cap is None else max(0, cap - self.confirmed)


@dataclass(frozen=True)
class Dashboard:
    total: int
    checked_in: int
    by_status: list[Bar]
    by_ticket_type: list[TicketTypeSeats]
    by_country: list[Bar]
    by_organization_kind: list[Bar]
    by_payment: list[Bar]
    fees: list[FeeTotals]


def _bars(rows, key: str, labels: dict) -> list[Bar]:
    bars = [Bar(label=str(labels.get(r[key], r[key] or "—")), value=r["n"]) for r in rows]
    return sorted(bars, key=lambda b: (-b.value, b.label))


def fee_totals(registrations: QuerySet[Registration]) -> list[FeeTotals]:
    """Due, paid and waived per currency of `registrations`, in one query whatever their
    number. A waiver amount is set only once granted, so "due" is the fee less it."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))
    due = Q(payment_status=PaymentStatus.DUE)
    paid = Q(payment_status=PaymentStatus.PAID)
    waived = Q(waiver_status=WaiverStatus.GRANTED, waiver_amount__gt=0)
    rows = (
        registrations.order_by()
        .values("currency")
        .annotate(
            due=Coalesce(
                Sum(
                    F("fee") - Coalesce("waiver_amount", zero),
                    filter=due,
                    output_field=DecimalField(max_digits=12, decimal_places=2),
                ),
                zero,
            ),
            paid=Coalesce(Sum("amount_paid", filter=paid), zero),
            waived=Coalesce(Sum("waiver_amount", filter=waived), zero),
            n_due=Count("pk", filter=due),
            n_paid=Count("pk", filter=paid),
            n_waived=Count("pk", filter=waived),
        )
        .order_by("currency")
    )
    return [FeeTotals(**row) for row in rows if row["n_due"] or row["n_paid"] or row["n_waived"]]


def dashboard(*, edition: Edition) -> Dashboard:
    """Counts of an edition's registrations by status, ticket type (seats used, capacity and
    waiting list), country, kind of organization and payment, and the fees due, paid and
    waived per currency. Six queries whatever the size.
    Cancelled, refused and unconfirmed registrations count only under their status."""
    registrations = Registration.objects.filter(edition=edition)
    counted = registrations.exclude(
        status__in=[
            RegistrationStatus.CANCELLED,
            RegistrationStatus.REFUSED,
            RegistrationStatus.UNCONFIRMED,
        ]
    )
    status_rows = list(
        registrations.order_by()
        .values("status")
        .annotate(n=Count("pk"), arrived=Count("pk", filter=Q(checked_in_at__isnull=False)))
    )
    statuses = dict(RegistrationStatus.choices)
    by_status = [
        Bar(label=str(label), value=next((r["n"] for r in status_rows if r["status"] == v), 0))
        for v, label in statuses.items()
    ]
    ticket_types = TicketType.objects.filter(edition=edition).annotate(
        n_confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        n_waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
        n_pending=Count("registrations", filter=Q(registrations__status="pending")),
    )
    seats = [
        TicketTypeSeats(
            ticket_type=t,
            confirmed=t.n_confirmed,
            waiting=t.n_waiting,
            pending=t.n_pending,
            total=t.n_confirmed + t.n_waiting + t.n_pending,
        )
        for t in ticket_types.order_by("position", "name")
    ]
    by_country = _bars(
        counted.order_by().values("country").annotate(n=Count("pk")), "country", dict(countries)
    )
    by_kind = _bars(
        counted.order_by().values("organization_kind").annotate(n=Count("pk")),
        "organization_kind",
        dict(OrganizationKind.choices),
    )
    by_payment = _bars(
        counted.order_by().values("payment_status").annotate(n=Count("pk")),
        "payment_status",
        dict(PaymentStatus.choices),
    )
    return Dashboard(
        fees=fee_totals(counted),
        total=sum(r["n"] for r in status_rows),
        checked_in=sum(r["arrived"] for r in status_rows),
        by_status=by_status,
        by_ticket_type=seats,
        by_country=by_country,
        by_organization_kind=by_kind,
        by_payment=by_payment,
    )
