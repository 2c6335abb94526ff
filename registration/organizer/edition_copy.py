"""Registration's part of copying an edition's setup (forum.edition_copy): its settings and
texts, ticket types with their fees, and its questions with their choices. Registrations and
everything about a person stay with their edition."""

from django.utils.translation import gettext_lazy as _

from forum.edition_copy import model_copier, register_copier
from forum.models import Edition
from registration.models import Question, RegistrationSettings, TicketType


def _shift_dates(values: dict, source: Edition, target: Edition) -> dict:
    """Opening and closing move with the edition (as many days before its start as they were
    before the source's); without both start dates they are left for the organizer to set."""
    if source.start_date and target.start_date:
        shift = target.start_date - source.start_date
        for name in ("opens_at", "closes_at"):
            if values[name]:
                values[name] += shift
    else:
        values["opens_at"] = values["closes_at"] = None
    return values


def register_copiers() -> None:
    register_copier(
        model_copier(
            key="registration_settings",
            label=_("Registration settings and texts"),
            order=30,
            model=RegistrationSettings,
            fields=[
                "opens_at",
                "closes_at",
                "currency",
                "reminder_days_before",
                "passport_retention_days",
                "letterhead",
                "letter_signatory",
                "payment_instructions",
                "contact_email",
            ],
            match_field=None,
            describe=lambda row: str(_("Settings, letterhead and payment instructions")),
            adjust=_shift_dates,
        )
    )
    register_copier(
        model_copier(
            key="ticket_types",
            label=_("Ticket types and fees"),
            order=40,
            model=TicketType,
            fields=[
                "name",
                "description",
                "capacity",
                "requires_approval",
                "allows_drafting",
                "colour",
                "fee_high",
                "fee_upper_middle",
                "fee_lower_middle",
                "fee_low",
                "position",
                "is_public",
            ],
            match_field="name",
            describe=lambda ticket: ticket.name,
        )
    )
    register_copier(
        model_copier(
            key="questions",
            label=_("Registration questions"),
            order=50,
            model=Question,
            fields=["label", "help_text", "kind", "choices", "required", "position"],
            match_field="label",
            describe=lambda question: question.label,
        )
    )
