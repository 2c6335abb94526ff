"""The demo statement of AFSE 2009 Tokyo: draft and adopted versions, discussion, answers,
signatories; idempotent and quick."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.statement import build_demo_statement
from demo.statement_open import build_demo_open_statement
from forum.models import Edition
from statements.discussion.services import comment_period_is_open
from statements.enums import AmendmentStatus, StatementState
from statements.models import (
    Amendment,
    AmendmentSupport,
    Comment,
    ParagraphText,
    Signatory,
    Statement,
)
from statements.selectors import statement_roles

pytestmark = pytest.mark.django_db


def test_demo_statement_is_adopted_and_open_for_sign_on(edition):
    statement = Statement.objects.get(edition=edition)
    assert statement.title == "Tokyo Statement of Commitment"
    assert statement.state == StatementState.SIGN_ON
    assert str(statement.adopted_on) == "2009-11-10"
    assert [v.number for v in statement.versions.all()] == [1, 2]
    assert all(v.published_at for v in statement.versions.all())
    draft_keys = list(
        ParagraphText.objects.filter(version__number=1, version__statement=statement)
        .order_by("position")
        .values_list("paragraph__key", flat=True)
    )
    adopted_keys = list(
        ParagraphText.objects.filter(version__number=2, version__statement=statement)
        .order_by("position")
        .values_list("paragraph__key", flat=True)
    )
    assert draft_keys == [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13]
    assert adopted_keys == [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]
    last = ParagraphText.objects.get(version__number=2, version__statement=statement, number=12)
    assert "held in Malaysia in 2011" in last.text


def test_demo_discussion_and_answers(edition):
    statement = Statement.objects.get(edition=edition)
    assert Comment.objects.filter(statement=statement).count() == 11
    assert Comment.objects.filter(statement=statement, parent__isnull=False).count() == 2
    statuses = list(
        Amendment.objects.filter(statement=statement)
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == [
        AmendmentStatus.ACCEPTED,
        AmendmentStatus.ACCEPTED_IN_PART,
        AmendmentStatus.NOT_ACCEPTED,
        AmendmentStatus.ACCEPTED,
        AmendmentStatus.ACCEPTED,
        AmendmentStatus.NOT_ACCEPTED,
    ]
    assert not Amendment.objects.filter(statement=statement, answer="").exists()
    assert Amendment.objects.filter(statement=statement, taken_into__number=2).count() == 4
    assert AmendmentSupport.objects.filter(amendment__statement=statement).count() == 17
    assert statement.transitions.count() == 4


def test_demo_signatories_come_from_many_countries_with_native_names(edition):
    signatories = Signatory.objects.filter(statement__edition=edition)
    assert signatories.count() == 24
    assert signatories.filter(email_confirmed_at__isnull=True).count() == 0
    assert signatories.values("country").distinct().count() == 13
    assert set(
        signatories.exclude(native_language="").values_list("native_language", flat=True)
    ) == {"ja", "ko", "th", "hi", "zh"}


def test_demo_statement_is_idempotent(edition, django_assert_max_num_queries):
    before = (
        Statement.objects.count(),
        Comment.objects.count(),
        Amendment.objects.count(),
        Signatory.objects.count(),
    )
    with django_assert_max_num_queries(3):
        assert build_demo_statement(edition) is False
    assert before == (
        Statement.objects.count(),
        Comment.objects.count(),
        Amendment.objects.count(),
        Signatory.objects.count(),
    )


def test_demo_statement_builds_in_few_queries(edition, django_assert_max_num_queries):
    Statement.objects.filter(edition=edition).delete()
    with django_assert_max_num_queries(40):
        assert build_demo_statement(edition) is True
    assert Signatory.objects.filter(statement__edition=edition).count() == 24


def test_demo_has_a_second_statement_open_for_comments(client):
    statement = Statement.objects.get(edition__slug="2011-malaysia")
    assert statement.title == "Kuala Lumpur Statement of Commitment"
    assert statement.state == StatementState.OPEN
    assert statement.comment_deadline > timezone.now() + datetime.timedelta(days=30)
    assert comment_period_is_open(statement) is True
    assert [v.number for v in statement.versions.all()] == [1]
    assert statement.versions.get().published_at < timezone.now()
    assert ParagraphText.objects.filter(version__statement=statement).count() == 8
    assert Comment.objects.filter(statement=statement).count() == 6
    assert list(
        Amendment.objects.filter(statement=statement)
        .order_by("pk")
        .values_list("status", flat=True)
    ) == ["pending", "pending", "pending", "accepted", "not_accepted"]
    assert AmendmentSupport.objects.filter(amendment__statement=statement).count() == 10
    malaysia = Edition.objects.get(slug="2011-malaysia")
    users = get_user_model().objects.in_bulk(
        ["kl-drafting", "kl-delegate-1"], field_name="username"
    )
    assert statement_roles(users["kl-drafting"], malaysia).is_committee is True
    assert statement_roles(users["kl-delegate-1"], malaysia).may_participate is True
    # The demo's delegate comments at once on the open draft.
    client.force_login(users["kl-delegate-1"])
    response = client.post(
        "/2011-malaysia/statement/comments/", {"paragraph": "3", "body": "Name the languages."}
    )
    assert response.status_code == 302
    comment = Comment.objects.get(body="Name the languages.")
    assert response["Location"] == f"/2011-malaysia/statement/paragraphs/3/#comment-{comment.pk}"


def test_demo_open_statement_is_idempotent(django_assert_max_num_queries):
    malaysia = Edition.objects.get(slug="2011-malaysia")
    with django_assert_max_num_queries(3):
        assert build_demo_open_statement(malaysia) is False
    assert Statement.objects.filter(edition=malaysia).count() == 1
