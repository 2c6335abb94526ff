"""Passport details are erased once their edition's retention period has passed."""

import datetime

import pytest
from django.conf import settings

from registration.models import PassportDetails, RegistrationSettings, VisaLetter
from registration.services.privacy import erase_expired_passport_details
from registration.tasks import task_erase_expired_passport_details
from tests.registration.admin_helpers import registration, ticket_type

pytestmark = pytest.mark.django_db


def with_passport(edition, name):
    person = registration(edition, ticket_type(edition, f"Delegate {name}"), name=name)
    PassportDetails.objects.create(
        registration=person,
        full_name=name.upper(),
        passport_number="X1234567",
        nationality="NP",
        date_of_birth=datetime.date(1980, 1, 1),
    )
    VisaLetter.objects.create(
        registration=person, status="issued", number=f"L-{person.pk}", holder_name=name.upper()
    )
    return person


@pytest.fixture
def tokyo_passport(edition):
    # AFSE 2009 Tokyo ended on 10 November 2009.
    assert edition.end_date == datetime.date(2009, 11, 10)
    RegistrationSettings.objects.update_or_create(
        edition=edition, defaults={"passport_retention_days": 30}
    )
    return with_passport(edition, "Ram Thapa")


def test_passport_details_stay_until_the_retention_period_has_passed(tokyo_passport):
    # 10 Nov + 30 days = 10 Dec: kept that day, erased the next.
    assert erase_expired_passport_details(today=datetime.date(2009, 12, 10)) == 0
    assert PassportDetails.objects.filter(registration=tokyo_passport).exists()
    assert erase_expired_passport_details(today=datetime.date(2009, 12, 11)) == 1
    assert not PassportDetails.objects.filter(registration=tokyo_passport).exists()
    # The registration and what the letter's verification page shows remain.
    letter = VisaLetter.objects.get(registration=tokyo_passport)
    assert letter.holder_name == "RAM THAPA"
    assert erase_expired_passport_details(today=datetime.date(2009, 12, 11)) == 0


def test_each_edition_keeps_its_own_period(edition, other_edition, tokyo_passport):
    # AFSE 2007 Manila has no registration settings: the default 30 days apply.
    other_edition.start_date = datetime.date(2007, 10, 15)
    other_edition.end_date = datetime.date(2007, 10, 18)
    other_edition.save(update_fields=["start_date", "end_date"])
    manila = with_passport(other_edition, "Maria Santos")
    RegistrationSettings.objects.filter(edition=edition).update(passport_retention_days=400)
    assert erase_expired_passport_details(today=datetime.date(2007, 11, 17)) == 0
    assert erase_expired_passport_details(today=datetime.date(2007, 11, 18)) == 1
    assert not PassportDetails.objects.filter(registration=manila).exists()
    assert PassportDetails.objects.filter(registration=tokyo_passport).exists()
    assert erase_expired_passport_details(today=datetime.date(2010, 12, 15)) == 0
    assert erase_expired_passport_details(today=datetime.date(2010, 12, 16)) == 1


def test_editions_not_yet_over_or_without_dates_keep_theirs():
    from forum.models import Edition

    undated = Edition.objects.get(slug="2011-malaysia")
    assert undated.end_date is None
    person = with_passport(undated, "Ahmad")
    assert erase_expired_passport_details(today=datetime.date(2030, 1, 1)) == 0
    assert PassportDetails.objects.filter(registration=person).exists()
    undated.start_date = datetime.date(2011, 11, 1)
    undated.end_date = datetime.date(2011, 11, 4)
    undated.save(update_fields=["start_date", "end_date"])
    assert erase_expired_passport_details(today=datetime.date(2011, 11, 20)) == 0
    assert PassportDetails.objects.filter(registration=person).exists()


def test_the_daily_task_erases_and_is_scheduled(tokyo_passport):
    assert task_erase_expired_passport_details.delay().get() == 1
    assert not PassportDetails.objects.filter(registration=tokyo_passport).exists()
    entry = settings.CELERY_BEAT_SCHEDULE["erase-expired-passport-details"]
    assert entry["task"] == "registration.erase_expired_passport_details"
    assert entry["schedule"].hour == {3}
