"""Factories for registration: settings, ticket types, questions, registrations, session seats."""

import datetime

import factory
from django.utils import timezone

from forum.enums import OrganizationKind
from registration.enums import RegistrationStatus
from registration.models import (
    Question,
    Registration,
    RegistrationSettings,
    SessionCapacity,
    SessionSignup,
    TicketType,
)


class RegistrationSettingsFactory(factory.django.DjangoModelFactory):
    """Open since yesterday, closing in a month."""

    class Meta:
        model = RegistrationSettings
        django_get_or_create = ("edition",)

    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    currency = "JPY"


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    name = factory.Sequence(lambda n: f"Ticket {n}")
    capacity = 10
    fee_high = 20000
    fee_upper_middle = 10000
    fee_lower_middle = 5000
    fee_low = 0


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    label = factory.Sequence(lambda n: f"Question {n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written directly (no service, no email): for reading tests and setups.
    Its edition is its ticket type's."""

    class Meta:
        model = Registration

    ticket_type = factory.SubFactory(TicketTypeFactory)
    edition = factory.LazyAttribute(lambda r: r.ticket_type.edition)
    reference = factory.Sequence(lambda n: f"T{n:09d}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    name = factory.Sequence(lambda n: f"Participant {n}")
    country = "JP"
    organization_name = factory.Sequence(lambda n: f"Cooperative {n}")
    organization_kind = OrganizationKind.COOPERATIVE
    status = RegistrationStatus.CONFIRMED
    currency = "JPY"


class SessionCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionCapacity

    capacity = 10


class SessionSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSignup


def registration_data(**overrides) -> dict:
    """The `data` of submit_registration, valid as is."""
    data = {
        "email": "amara@example.org",
        "name": "Amara Okafor",
        "country": "PH",
        "organization_name": "Manila Women's Cooperative",
        "organization_kind": OrganizationKind.COOPERATIVE,
        "languages_spoken": "English, Tagalog",
        "public_listing": True,
    }
    data.update(overrides)
    return data


def passport_data(**overrides) -> dict:
    data = {
        "full_name": "AMARA OKAFOR",
        "passport_number": "P1234567",
        "nationality": "PH",
        "date_of_birth": datetime.date(1980, 5, 17),
    }
    data.update(overrides)
    return data
