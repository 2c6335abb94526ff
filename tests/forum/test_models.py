import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from forum.enums import EditionPhase
from forum.models import Edition, Organization
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


def test_edition_phase_follows_its_dates():
    edition = EditionFactory.build(
        start_date=datetime.date(2030, 10, 1), end_date=datetime.date(2030, 10, 4), year=2030
    )
    assert edition.phase(datetime.date(2030, 9, 30)) == EditionPhase.UPCOMING
    assert edition.phase(datetime.date(2030, 10, 1)) == EditionPhase.ONGOING
    assert edition.phase(datetime.date(2030, 10, 4)) == EditionPhase.ONGOING
    assert edition.phase(datetime.date(2030, 10, 5)) == EditionPhase.PAST


def test_edition_without_dates_is_planned_until_its_year_is_over():
    edition = EditionFactory.build(start_date=None, end_date=None, year=2031)
    assert edition.phase(datetime.date(2031, 12, 31)) == EditionPhase.PLANNED
    assert edition.phase(datetime.date(2032, 1, 1)) == EditionPhase.PAST


def test_edition_days_lists_every_day():
    tokyo = Edition.objects.get(slug="2009-tokyo")
    assert [d.day for d in tokyo.days] == [7, 8, 9, 10]
    assert Edition.objects.get(slug="2011-malaysia").days == []


def test_reversed_dates_are_refused_by_validation_and_by_the_database():
    edition = EditionFactory.build(
        start_date=datetime.date(2030, 10, 4), end_date=datetime.date(2030, 10, 1), year=2030
    )
    with pytest.raises(ValidationError) as excinfo:
        edition.full_clean()
    assert excinfo.value.message_dict["end_date"] == [
        "The last day cannot be before the first day."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        edition.save()


def test_edition_place_reads_city_and_country():
    assert Edition.objects.get(slug="2009-tokyo").place == "Tokyo, Japan"
    assert Edition.objects.get(slug="2011-malaysia").place == "Malaysia"


def test_organization_shows_its_native_name():
    org = Organization.objects.get(name="Japan Workers' Co-operative Union")
    assert str(org) == "Japan Workers' Co-operative Union (日本労働者協同組合連合会)"


def test_organization_names_are_unique_per_country_whatever_the_case():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(
            name="japan workers' co-operative union", kind="cooperative", country="JP"
        )
