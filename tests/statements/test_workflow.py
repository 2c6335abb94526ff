import datetime

import pytest
from django.utils import timezone

from statements.enums import StatementState as S
from statements.models import Statement, TransitionLog
from statements.services import ActionRefusedError, PermissionRefusedError
from statements.services.versions import create_version
from statements.services.workflow import (
    TransitionRefusedError,
    close_overdue_comment_periods,
    create_statement,
    transition_statement,
)
from tests.factories.statements import make_statement, source_text


def _later(days=2):
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def drafting(edition):
    return make_statement(edition, state=S.DRAFTING)


def test_create_statement_makes_version_one_in_drafting(edition, committee_user):
    Statement.objects.filter(edition=edition).delete()
    statement = create_statement(
        edition=edition, title="  Tokyo Statement ", actor=committee_user, source=source_text(3)
    )
    assert statement.state == S.DRAFTING
    assert statement.title == "Tokyo Statement"
    assert list(statement.versions.values_list("number", "published_at")) == [(1, None)]
    with pytest.raises(ActionRefusedError, match="already has a statement"):
        create_statement(edition=edition, title="Again", actor=committee_user, source="Text.")


def test_create_statement_refused_to_a_delegate(edition, delegate_user):
    Statement.objects.filter(edition=edition).delete()
    with pytest.raises(PermissionRefusedError):
        create_statement(edition=edition, title="T", actor=delegate_user, source="Text.")
    assert not Statement.objects.filter(edition=edition).exists()


def test_full_cycle_records_every_transition(drafting, committee_user):
    deadline = _later()
    transition_statement(
        statement=drafting, to_state=S.OPEN, actor=committee_user, comment_deadline=deadline
    )
    assert drafting.state == S.OPEN
    assert drafting.comment_deadline == deadline
    assert drafting.versions.get(number=1).published_at is not None
    transition_statement(statement=drafting, to_state=S.COMMENTS_CLOSED, actor=committee_user)
    create_version(statement=drafting, actor=committee_user, source=source_text(3, keys=True))
    transition_statement(
        statement=drafting, to_state=S.OPEN, actor=committee_user, comment_deadline=_later(3)
    )
    transition_statement(statement=drafting, to_state=S.COMMENTS_CLOSED, actor=committee_user)
    transition_statement(
        statement=drafting,
        to_state=S.ADOPTED,
        actor=committee_user,
        adopted_on=datetime.date(2009, 11, 10),
        adopted_at_place="Tokyo",
    )
    transition_statement(statement=drafting, to_state=S.SIGN_ON, actor=committee_user)
    transition_statement(statement=drafting, to_state=S.CLOSED, actor=committee_user)
    drafting.refresh_from_db()
    assert drafting.state == S.CLOSED
    assert drafting.adopted_on == datetime.date(2009, 11, 10)
    assert drafting.adopted_at_place == "Tokyo"
    log = list(TransitionLog.objects.filter(statement=drafting).order_by("pk"))
    assert [(e.from_state, e.to_state) for e in log] == [
        (S.DRAFTING, S.OPEN),
        (S.OPEN, S.COMMENTS_CLOSED),
        (S.COMMENTS_CLOSED, S.OPEN),
        (S.OPEN, S.COMMENTS_CLOSED),
        (S.COMMENTS_CLOSED, S.ADOPTED),
        (S.ADOPTED, S.SIGN_ON),
        (S.SIGN_ON, S.CLOSED),
    ]
    assert {e.actor_id for e in log} == {committee_user.pk}
    assert [e.version.number for e in log] == [1, 1, 2, 2, 2, 2, 2]


def test_comments_closed_back_to_drafting(drafting, committee_user):
    transition_statement(
        statement=drafting, to_state=S.OPEN, actor=committee_user, comment_deadline=_later()
    )
    transition_statement(statement=drafting, to_state=S.COMMENTS_CLOSED, actor=committee_user)
    transition_statement(statement=drafting, to_state=S.DRAFTING, actor=committee_user)
    assert Statement.objects.get(pk=drafting.pk).state == S.DRAFTING


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.DRAFTING, S.COMMENTS_CLOSED),
        (S.DRAFTING, S.SIGN_ON),
        (S.OPEN, S.ADOPTED),
        (S.OPEN, S.DRAFTING),
        (S.ADOPTED, S.OPEN),
        (S.ADOPTED, S.DRAFTING),
        (S.SIGN_ON, S.ADOPTED),
        (S.CLOSED, S.SIGN_ON),
        (S.CLOSED, S.OPEN),
    ],
)
def test_transition_not_in_the_workflow_is_refused(edition, committee_user, start, target):
    statement = make_statement(edition, state=start)
    with pytest.raises(TransitionRefusedError, match="cannot go from"):
        transition_statement(
            statement=statement,
            to_state=target,
            actor=committee_user,
            comment_deadline=_later(),
            adopted_on=datetime.date(2009, 11, 10),
            adopted_at_place="Tokyo",
        )
    assert Statement.objects.get(pk=statement.pk).state == start
    assert not TransitionLog.objects.filter(statement=statement).exists()


def test_opening_needs_a_future_deadline(drafting, committee_user):
    with pytest.raises(TransitionRefusedError, match="deadline in the future"):
        transition_statement(statement=drafting, to_state=S.OPEN, actor=committee_user)
    with pytest.raises(TransitionRefusedError, match="deadline in the future"):
        transition_statement(
            statement=drafting,
            to_state=S.OPEN,
            actor=committee_user,
            comment_deadline=timezone.now() - datetime.timedelta(minutes=1),
        )
    assert Statement.objects.get(pk=drafting.pk).state == S.DRAFTING


def test_reopening_needs_a_new_version(edition, committee_user):
    statement = make_statement(edition, state=S.COMMENTS_CLOSED)
    with pytest.raises(TransitionRefusedError, match="new version"):
        transition_statement(
            statement=statement, to_state=S.OPEN, actor=committee_user, comment_deadline=_later()
        )


def test_adopting_needs_date_and_place(edition, committee_user):
    statement = make_statement(edition, state=S.COMMENTS_CLOSED)
    with pytest.raises(TransitionRefusedError, match="date and the place"):
        transition_statement(
            statement=statement,
            to_state=S.ADOPTED,
            actor=committee_user,
            adopted_on=datetime.date(2009, 11, 10),
            adopted_at_place="  ",
        )


@pytest.mark.parametrize(
    "who", ["delegate_user", "moderator_user", "participant", "foreign_organizer"]
)
def test_only_the_committee_changes_the_state(request, drafting, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionRefusedError, match="Only the drafting committee"):
        transition_statement(
            statement=drafting, to_state=S.OPEN, actor=actor, comment_deadline=_later()
        )
    assert Statement.objects.get(pk=drafting.pk).state == S.DRAFTING


def test_organizer_of_the_edition_sits_on_the_committee(drafting, edition):
    from tests.factories.statements import person_with_role

    organizer = person_with_role(edition, "organizer")
    transition_statement(
        statement=drafting, to_state=S.OPEN, actor=organizer, comment_deadline=_later()
    )
    assert drafting.state == S.OPEN


def test_overdue_comment_periods_close_by_themselves(edition):
    statement = make_statement(edition, state=S.OPEN)
    assert close_overdue_comment_periods() == 0
    later = statement.comment_deadline + datetime.timedelta(seconds=1)
    assert close_overdue_comment_periods(now=later) == 1
    statement.refresh_from_db()
    assert statement.state == S.COMMENTS_CLOSED
    entry = TransitionLog.objects.get(statement=statement)
    assert (entry.actor, entry.note) == (None, "deadline")
