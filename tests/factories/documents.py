"""Factories for the registration documents' tests: ticket types, registrations made directly
(without the registration services), passport details and visa letters."""

import datetime

import factory

from registration.enums import LetterStatus, RegistrationStatus
from registration.models import PassportDetails, Registration, TicketType, VisaLetter


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    name = factory.Sequence(lambda n: f"Ticket {n}")
    colour = "#1d5c4d"
    capacity = None


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    edition = factory.LazyAttribute(lambda o: o.ticket_type.edition)
    ticket_type = factory.SubFactory(TicketTypeFactory)
    reference = factory.Sequence(lambda n: f"R{n:07d}")
    status = RegistrationStatus.CONFIRMED
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    name = factory.Sequence(lambda n: f"Participant {n}")
    country = "JP"
    organization_name = "Japan Workers' Co-operative Union"
    organization_kind = "cooperative"
    language = "en"


class PassportDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PassportDetails

    registration = factory.SubFactory(RegistrationFactory)
    full_name = factory.LazyAttribute(lambda o: o.registration.name.upper())
    passport_number = factory.Sequence(lambda n: f"P{n:08d}")
    nationality = "NP"
    date_of_birth = datetime.date(1980, 4, 12)


class VisaLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisaLetter

    registration = factory.SubFactory(RegistrationFactory, needs_visa_letter=True)
    status = LetterStatus.REQUESTED
