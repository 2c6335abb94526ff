import pytest
from django.utils import translation

from cms.models import EditionPage
from tests.factories import UserFactory
from tests.factories.cfp import open_call, organizer, reviewer


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def call(edition):
    return open_call(edition)


@pytest.fixture
def submitter(db):
    return UserFactory(username="cfp-submitter", email="submitter@example.org")


@pytest.fixture
def other_submitter(db):
    return UserFactory(username="cfp-other", email="other@example.org")


@pytest.fixture
def reviewer_user(edition):
    return reviewer(edition, username="cfp-reviewer-a")


@pytest.fixture
def organizer_user(edition):
    return organizer(edition, username="cfp-organizer-a")


@pytest.fixture
def base_url(edition):
    page = EditionPage.objects.filter(edition=edition, locale__language_code="en").first()
    return page.url + "cfp/"
