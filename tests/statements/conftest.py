import pytest

from cms.models import EditionPage
from tests.factories import UserFactory
from tests.factories.statements import committee_member, delegate, make_statement, moderator


@pytest.fixture
def statement(edition):
    return make_statement(edition)


@pytest.fixture
def delegate_user(edition):
    return delegate(edition, username="delegate-a")


@pytest.fixture
def other_delegate(edition):
    return delegate(edition, username="delegate-b")


@pytest.fixture
def committee_user(edition):
    return committee_member(edition, username="committee-a")


@pytest.fixture
def moderator_user(edition):
    return moderator(edition, username="moderator-a")


@pytest.fixture
def participant(db):
    """Signed in, but no role in the edition."""
    return UserFactory(username="participant-a")


@pytest.fixture
def foreign_organizer(other_edition):
    from tests.factories.statements import person_with_role

    return person_with_role(other_edition, "organizer", username="manila-organizer-x")


@pytest.fixture
def base_url(edition):
    page = EditionPage.objects.filter(edition=edition, locale__language_code="en").first()
    return page.url + "statement/"
