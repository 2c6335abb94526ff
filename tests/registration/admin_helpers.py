"""Registrations made directly (bulk) for the admin's tests: the list, exports and the
dashboard read whatever the participant side wrote, so these only need the rows."""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from forum.models import Edition
from registration.enums import RegistrationStatus
from registration.models import Question, Registration, TicketType

_numbers = itertools.count(1)


def ticket_type(edition: Edition, name: str = "Delegate", **fields) -> TicketType:
    """A new ticket type `name`; a demo ticket type of that name is renamed out of the way."""
    # Renamed through the instance: the name in the source language and its column both change
    # (a queryset's update() of `name` changes only the active language's translation).
    for existing in TicketType.objects.filter(edition=edition, name=name):
        existing.name = f"{existing.name} ·"
        existing.save(update_fields=["name"])
    fields.setdefault("fee_high", Decimal("200.00"))
    fields.setdefault("fee_low", Decimal("20.00"))
    return TicketType.objects.create(edition=edition, name=name, **fields)


def registration(edition: Edition, ticket: TicketType, **fields) -> Registration:
    return add_registrations(edition, ticket, 1, **fields)[0]


def add_registrations(
    edition: Edition, ticket: TicketType, count: int, **fields
) -> list[Registration]:
    """`count` registrations of `ticket` (confirmed, from Japan, unless `fields` say otherwise)."""
    rows = []
    for _ in range(count):
        n = next(_numbers)
        values = {
            "status": RegistrationStatus.CONFIRMED,
            "name": f"Participant {n}",
            "email": f"p{n}@example.org",
            "country": "JP",
            "organization_kind": "cooperative",
            "organization_name": f"Cooperative {n}",
            "currency": "JPY",
            **fields,
        }
        rows.append(
            Registration(edition=edition, ticket_type=ticket, reference=f"T{n:07d}", **values)
        )
    return Registration.objects.bulk_create(rows, batch_size=1000)


def user(username: str):
    return get_user_model().objects.get(username=username)


def clear_registrations(edition: Edition) -> None:
    """Start from no registration, ticket type or question (the demo's come back with the
    rollback)."""
    Registration.objects.filter(edition=edition).delete()
    TicketType.objects.filter(edition=edition).delete()
    Question.objects.filter(edition=edition).delete()
