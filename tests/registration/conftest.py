"""Fixtures for registration: the Tokyo edition with registration open."""

import datetime

import pytest
from django.utils import timezone, translation

from registration.models import OutboxEmail, RegistrationSettings
from tests.factories.registration import TicketTypeFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, whatever language an earlier request left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def open_edition(edition):
    """2009 Tokyo with registration open since yesterday, in yen."""
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "opens_at": timezone.now() - datetime.timedelta(days=1),
            "closes_at": timezone.now() + datetime.timedelta(days=30),
            "currency": "JPY",
        },
    )
    return edition


@pytest.fixture
def ticket(open_edition):
    """A public ticket type with 2 seats, no approval."""
    return TicketTypeFactory(edition=open_edition, name="Test delegate", capacity=2)


@pytest.fixture
def outbox():
    """The outbox rows written during the test, oldest first."""

    def rows(**filters):
        return list(OutboxEmail.objects.filter(**filters).order_by("pk"))

    OutboxEmail.objects.all().delete()
    return rows
