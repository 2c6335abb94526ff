import pytest

from forum.enums import EditionRoleKind
from registration.enums import RegistrationStatus
from registration.models import Registration, TicketType
from statements.selectors import delegates_of, is_delegate, statement_roles
from tests.factories import UserFactory
from tests.factories.statements import person_with_role


def _registration(edition, user, *, allows_drafting=True, status=RegistrationStatus.CONFIRMED):
    ticket, _ = TicketType.objects.get_or_create(
        edition=edition,
        name=f"Statement test {'delegate' if allows_drafting else 'observer'}",
        defaults={"allows_drafting": allows_drafting},
    )
    return Registration.objects.create(
        edition=edition,
        ticket_type=ticket,
        user=user,
        reference=f"ST{user.pk:08d}",
        status=status,
        email=user.email,
        name=user.username,
    )


def test_delegate_by_role(edition, other_edition, delegate_user):
    assert is_delegate(delegate_user, edition) is True
    assert is_delegate(delegate_user, other_edition) is False


def test_delegate_by_confirmed_registration_allowing_drafting(edition, other_edition):
    user = UserFactory()
    _registration(edition, user)
    assert is_delegate(user, edition) is True
    assert is_delegate(user, other_edition) is False
    assert user in delegates_of(edition)


@pytest.mark.parametrize(
    ("allows_drafting", "status"),
    [
        (False, RegistrationStatus.CONFIRMED),
        (True, RegistrationStatus.PENDING_APPROVAL),
        (True, RegistrationStatus.CANCELLED),
        (True, RegistrationStatus.WAITLISTED),
    ],
)
def test_other_registrations_do_not_make_a_delegate(edition, allows_drafting, status):
    user = UserFactory()
    _registration(edition, user, allows_drafting=allows_drafting, status=status)
    assert is_delegate(user, edition) is False
    assert user not in delegates_of(edition)


def test_anonymous_and_inactive_people_hold_no_role(edition, delegate_user):
    from django.contrib.auth.models import AnonymousUser

    assert statement_roles(AnonymousUser(), edition).may_participate is False
    delegate_user.is_active = False
    assert is_delegate(delegate_user, edition) is False


def test_roles_of_each_kind(edition, committee_user, moderator_user, participant):
    organizer = person_with_role(edition, EditionRoleKind.ORGANIZER)
    assert statement_roles(committee_user, edition).is_committee is True
    assert statement_roles(committee_user, edition).may_participate is True
    assert statement_roles(moderator_user, edition).is_moderator is True
    assert statement_roles(moderator_user, edition).may_participate is False
    assert statement_roles(moderator_user, edition).may_read_discussion is True
    assert statement_roles(participant, edition).may_read_discussion is False
    roles = statement_roles(organizer, edition)
    assert (roles.is_committee, roles.is_moderator, roles.is_delegate) == (True, True, False)


def test_delegates_of_lists_role_holders_and_committee(edition, delegate_user, committee_user):
    people = set(delegates_of(edition))
    assert {delegate_user, committee_user} <= people
