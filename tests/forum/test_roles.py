"""Per-edition roles: who may edit which edition's pages and records."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale

from cms.models import EditionPage
from forum.enums import EditionRoleKind
from forum.models import EditionGroup, EditionRole
from forum.selectors import editions_where_user_has_role, user_has_edition_role
from forum.services import grant_edition_role, revoke_edition_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def edition_page(slug: str, language: str = "en") -> EditionPage:
    return EditionPage.objects.get(edition__slug=slug, locale__language_code=language)


def test_granting_a_role_records_it_and_puts_the_person_in_the_role_group(edition):
    person = UserFactory()
    role = grant_edition_role(edition=edition, user=person, role=EditionRoleKind.ORGANIZER)
    assert role.edition == edition
    group = EditionGroup.objects.get(edition=edition, role=EditionRoleKind.ORGANIZER).group
    assert group.name == "2009-tokyo · Organizer"
    assert list(person.groups.all()) == [group]
    assert user_has_edition_role(person, edition, [EditionRoleKind.ORGANIZER])


def test_granting_the_same_role_twice_changes_nothing(edition):
    person = UserFactory()
    first = grant_edition_role(edition=edition, user=person, role=EditionRoleKind.MODERATOR)
    second = grant_edition_role(edition=edition, user=person, role=EditionRoleKind.MODERATOR)
    assert first.pk == second.pk
    assert EditionRole.objects.filter(user=person).count() == 1
    assert person.groups.count() == 1


def test_unknown_role_is_refused(edition):
    with pytest.raises(ValueError, match="Unknown edition role"):
        grant_edition_role(edition=edition, user=UserFactory(), role="king")


def test_revoking_a_role_removes_the_group_and_its_permissions(edition):
    person = UserFactory()
    grant_edition_role(edition=edition, user=person, role=EditionRoleKind.ORGANIZER)
    assert revoke_edition_role(edition=edition, user=person, role=EditionRoleKind.ORGANIZER)
    assert person.groups.count() == 0
    assert not user_has_edition_role(person, edition)
    assert not edition_page("2009-tokyo").permissions_for_user(person).can_edit()
    assert not revoke_edition_role(edition=edition, user=person, role=EditionRoleKind.ORGANIZER)


def test_organizer_edits_and_publishes_own_edition_pages_in_every_language(edition):
    person = UserFactory()
    grant_edition_role(edition=edition, user=person, role=EditionRoleKind.ORGANIZER)
    for language in ("en", "ja"):
        tester = edition_page("2009-tokyo", language).permissions_for_user(person)
        assert tester.can_edit(), language
        assert tester.can_publish(), language
        assert tester.can_add_subpage(), language
    subpage = (
        EditionPage.objects.get(edition=edition, locale=Locale.objects.get(language_code="en"))
        .get_children()
        .get(slug="fact-finding-visits")
    )
    assert subpage.permissions_for_user(person).can_edit()


def test_organizer_cannot_touch_another_editions_pages(edition):
    person = UserFactory()
    grant_edition_role(edition=edition, user=person, role=EditionRoleKind.ORGANIZER)
    tester = edition_page("2007-manila").permissions_for_user(person)
    assert not tester.can_edit()
    assert not tester.can_publish()
    home = edition_page("2009-tokyo").get_parent()
    assert not home.permissions_for_user(person).can_edit()


@pytest.mark.parametrize(
    "role", [EditionRoleKind.PROGRAMME_COMMITTEE, EditionRoleKind.DRAFTING_COMMITTEE]
)
def test_committees_draft_but_do_not_publish(edition, role):
    person = UserFactory()
    grant_edition_role(edition=edition, user=person, role=role)
    tester = edition_page("2009-tokyo").permissions_for_user(person)
    assert tester.can_edit()
    assert not tester.can_publish()


def test_moderator_gets_admin_access_but_no_page_editing(edition):
    person = UserFactory()
    grant_edition_role(edition=edition, user=person, role=EditionRoleKind.MODERATOR)
    assert person.has_perm("wagtailadmin.access_admin")
    assert not edition_page("2009-tokyo").permissions_for_user(person).can_edit()


def test_roles_are_per_edition(edition, other_edition):
    person = UserFactory()
    grant_edition_role(edition=edition, user=person, role=EditionRoleKind.DRAFTING_COMMITTEE)
    assert user_has_edition_role(person, edition)
    assert not user_has_edition_role(person, other_edition)
    assert list(editions_where_user_has_role(person)) == [edition]
    assert list(editions_where_user_has_role(person, [EditionRoleKind.ORGANIZER])) == []


def test_superuser_holds_every_role(edition):
    admin = UserFactory(is_superuser=True)
    assert user_has_edition_role(admin, edition, [EditionRoleKind.ORGANIZER])


def test_inactive_person_holds_no_role(edition):
    person = UserFactory()
    grant_edition_role(edition=edition, user=person, role=EditionRoleKind.ORGANIZER)
    person.is_active = False
    person.save()
    assert not user_has_edition_role(person, edition)


def test_each_edition_has_one_group_per_role(edition):
    groups = EditionGroup.objects.filter(edition=edition)
    assert sorted(groups.values_list("role", flat=True)) == sorted(EditionRoleKind.values)
    assert Group.objects.filter(edition_group__edition=edition).count() == 5
