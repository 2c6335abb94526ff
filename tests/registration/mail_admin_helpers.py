"""Editions with their own organizers, for the admin email tests."""

from forum.enums import EditionRoleKind
from forum.services import create_edition, grant_edition_role
from tests.factories import EditionFactory, UserFactory


def edition_with_organizer(**fields):
    """A new edition and a user who organizes it (and nothing else)."""
    edition = create_edition(edition=EditionFactory.build(**fields))
    organizer = UserFactory()
    grant_edition_role(edition=edition, user=organizer, role=EditionRoleKind.ORGANIZER)
    return edition, organizer
