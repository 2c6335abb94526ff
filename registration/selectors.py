"""Read queries of the participant's registration pages, each scoped to the person and the
edition that the page belongs to (an id from a URL never reaches another person's data)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Edition
from registration.enums import (
    ACTIVE_STATUSES,
    PaymentStatus,
    RegistrationStatus,
    SignupStatus,
    WaiverStatus,
)
from registration.models import (
    Question,
    Registration,
    RegistrationSettings,
    SessionCapacity,
    SessionSignup,
    TicketType,
)
from sessions_app.enums import SessionStatus
from sessions_app.models import Session


def registration_settings(edition: Edition) -> RegistrationSettings | None:
    return RegistrationSettings.objects.filter(edition=edition).first()


def public_ticket_types(edition: Edition) -> QuerySet[TicketType]:
    """The ticket types offered on the form, in their order, each with `seats_taken` (its
    confirmed registrations, counted in the same query); `seats_left` reads it."""
    return (
        TicketType.objects.filter(edition=edition, is_public=True)
        .annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            )
        )
        .order_by("position", "name")
    )


@dataclass(frozen=True)
class RegistrationState:
    """Where the edition's registration stands, for its section on the edition page: `state`
    is one of "open", "full" (open, every ticket type's seats taken: newcomers join a waiting
    list), "opens" (a date is set, still ahead), "closed" (it closed) or "none" (no date set);
    `opens_at` and `closes_at` are the settings' dates."""

    state: str
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in ("open", "full")


def registration_state(edition: Edition, *, now: datetime.datetime | None = None):
    """The edition's registration state (RegistrationState), in two queries: the settings and
    the public ticket types' seats."""
    now = now or timezone.now()
    settings_row = registration_settings(edition)
    if settings_row is None or settings_row.opens_at is None:
        return RegistrationState("none")
    dates = {"opens_at": settings_row.opens_at, "closes_at": settings_row.closes_at}
    if now < settings_row.opens_at:
        return RegistrationState("opens", **dates)
    if settings_row.closes_at and now >= settings_row.closes_at:
        return RegistrationState("closed", **dates)
    tickets = list(public_ticket_types(edition))
    if tickets and all(ticket.seats_left == 0 for ticket in tickets):
        return RegistrationState("full", **dates)
    return RegistrationState("open", **dates)


def fee_table(*, ticket_types, currency: str) -> dict:
    """What the form's script needs to show a country's fees: the income table and each
    ticket type's fee by income group (numbers, for JSON)."""
    from registration.models import CountryIncomeGroup

    return {
        "currency": currency,
        "groups": dict(CountryIncomeGroup.objects.values_list("country", "income_group")),
        "tickets": [
            {
                "name": ticket.name,
                "fees": {
                    "high": float(ticket.fee_high),
                    "upper_middle": float(ticket.fee_upper_middle),
                    "lower_middle": float(ticket.fee_lower_middle),
                    "low": float(ticket.fee_low),
                },
            }
            for ticket in ticket_types
        ],
    }


def edition_questions(edition: Edition) -> list[Question]:
    return list(Question.objects.filter(edition=edition).order_by("position", "pk"))


def my_registration(*, user: User, edition: Edition) -> Registration | None:
    """The person's registration for the edition: the active one, else the latest; with what
    "My registration" shows (ticket type, answers and their questions, visa letter)."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(user=user, edition=edition)
        .select_related("ticket_type", "edition", "visa_letter")
        .prefetch_related("answers__question")
        .annotate(
            is_active=Case(
                When(status__in=list(ACTIVE_STATUSES), then=1),
                default=0,
                output_field=IntegerField(),
            )
        )
        .order_by("-is_active", "-created_at", "-pk")
        .first()
    )


def has_active_registration(*, user: User, edition: Edition) -> bool:
    if not user.is_authenticated:
        return False
    return Registration.objects.filter(
        Q(user=user) | Q(email__iexact=user.email) if user.email else Q(user=user),
        edition=edition,
        status__in=list(ACTIVE_STATUSES),
    ).exists()


def session_has_seats(*, edition: Edition, slug: str) -> bool:
    """Whether the edition's session `slug` has limited seats: a query a fifth of the cost
    of `sessions_with_seats`, asked first on a session's page, as most sessions have none."""
    return SessionCapacity.objects.filter(
        session__edition_id=edition.pk, session__slug=slug
    ).exists()


def sessions_with_seats(
    *, edition: Edition, registration: Registration | None, slug: str | None = None
) -> list[Session]:
    """The edition's sessions with limited seats (not cancelled; only the one `slug` if given),
    each with `seats_taken`, `seats_total`, `signup_open` and, for the registration,
    `my_signup_id`, `my_status` and `my_position` (its place on the waiting list) — in one
    query."""
    sessions = Session.objects.filter(edition=edition, seats__isnull=False)
    if slug is not None:
        sessions = sessions.filter(slug=slug)
    sessions = (
        sessions.exclude(status=SessionStatus.CANCELLED)
        .select_related("seats", "room")
        .annotate(
            seats_taken=Count("signups", filter=Q(signups__status=SignupStatus.CONFIRMED)),
        )
        .order_by("start", "title")
    )
    if registration is not None:
        mine = SessionSignup.objects.filter(registration=registration, session=OuterRef("pk"))
        ahead = (
            SessionSignup.objects.filter(
                session=OuterRef("session"), status=SignupStatus.WAITLISTED
            )
            .filter(
                Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
                | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
            )
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        mine_waiting = mine.filter(status=SignupStatus.WAITLISTED).annotate(
            ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), 0)
        )
        sessions = sessions.annotate(
            my_signup_id=Subquery(mine.exclude(status=SignupStatus.CANCELLED).values("pk")[:1]),
            my_status=Subquery(mine.exclude(status=SignupStatus.CANCELLED).values("status")[:1]),
            my_ahead=Subquery(mine_waiting.values("ahead")[:1]),
        )
    result = list(sessions)
    for session in result:
        session.seats_total = session.seats.capacity
        session.signup_open = session.seats.signup_open
        session.seats_left = max(0, session.seats_total - session.seats_taken)
        ahead = getattr(session, "my_ahead", None)
        session.my_position = ahead + 1 if ahead is not None else None
    return result


def session_for_signup(*, edition: Edition, session_id) -> Session | None:
    """A session of this edition with limited seats, by id from a form; None otherwise."""
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        return None
    return (
        Session.objects.filter(pk=pk, edition=edition, seats__isnull=False)
        .select_related("seats")
        .first()
    )


def my_signup(*, registration: Registration, session: Session) -> SessionSignup | None:
    return SessionSignup.objects.filter(registration=registration, session=session).first()


def waitlist_position_of(registration: Registration) -> int | None:
    from registration.services.registrations import waitlist_position

    return waitlist_position(registration)


def public_participants(edition: Edition) -> QuerySet[Registration]:
    """Confirmed participants who agreed to appear in the public list, by name; only the
    fields the list shows."""
    return (
        Registration.objects.filter(
            edition=edition, status=RegistrationStatus.CONFIRMED, public_listing=True
        )
        .only(
            "name",
            "name_native",
            "name_native_language",
            "organization_name",
            "organization_name_native",
            "country",
        )
        .order_by("name", "pk")
    )


def support_refusal(registration: Registration) -> str | None:
    """Why `registration` may not ask for a fee waiver or a subsidy, or None if it may: the one
    rule that both My registration's link and `request_waiver` follow."""
    if registration.status not in ACTIVE_STATUSES:
        return _("This registration is no longer active.")
    if not registration.fee:
        return _("There is no fee to waive.")
    if registration.payment_status == PaymentStatus.PAID:
        return _("Your fee is already paid.")
    if registration.waiver_status in (WaiverStatus.REQUESTED, WaiverStatus.GRANTED):
        return _("You have already asked for support.")
    return None
