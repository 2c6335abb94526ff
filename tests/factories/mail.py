"""Factories for the email tests: ticket types and registrations made directly (the
registration services are tested on their own)."""

import factory

from registration.enums import RegistrationStatus
from registration.models import Registration, TicketType


class MailTicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    name = factory.Sequence(lambda n: f"Mail ticket {n}")


class MailRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    edition = factory.SelfAttribute("ticket_type.edition")
    ticket_type = factory.SubFactory(MailTicketTypeFactory)
    reference = factory.Sequence(lambda n: f"M{n:07d}")
    status = RegistrationStatus.CONFIRMED
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    name = factory.Sequence(lambda n: f"Participant {n}")
    country = "JP"
    organization_kind = "cooperative"
    language = "en"
