import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from statements.discussion.services import (
    answer_amendment,
    edit_comment,
    post_comment,
    propose_amendment,
    report_comment,
    support_amendment,
    withdraw_amendment,
    withdraw_comment,
)
from statements.enums import AmendmentKind, AmendmentStatus
from statements.enums import StatementState as S
from statements.models import Amendment, AmendmentSupport, Comment, Paragraph, Report, Statement
from statements.services import ActionRefusedError, PermissionRefusedError
from statements.services.versions import create_version
from statements.text import render_comment
from tests.factories.statements import make_statement


def test_comment_on_a_paragraph_and_on_the_whole(statement, delegate_user):
    on_paragraph = post_comment(
        statement=statement, author=delegate_user, body="  Say more.  ", paragraph_key="2"
    )
    whole = post_comment(statement=statement, author=delegate_user, body="Good overall.")
    assert on_paragraph.paragraph.key == 2
    assert on_paragraph.body == "Say more."
    assert on_paragraph.version.number == 1
    assert whole.paragraph is None


def test_reply_goes_to_the_parent_thread(statement, delegate_user, other_delegate):
    parent = post_comment(statement=statement, author=delegate_user, body="A", paragraph_key=1)
    reply = post_comment(statement=statement, author=other_delegate, body="B", parent_id=parent.pk)
    nested = post_comment(statement=statement, author=delegate_user, body="C", parent_id=reply.pk)
    assert (reply.parent, reply.paragraph) == (parent, parent.paragraph)
    assert nested.parent == parent


@pytest.mark.parametrize("key", ["99", "x", "-1", "0"])
def test_forged_paragraph_keys_are_refused(statement, delegate_user, key):
    with pytest.raises(ActionRefusedError, match="no such paragraph"):
        post_comment(statement=statement, author=delegate_user, body="Hi", paragraph_key=key)
    assert not Comment.objects.filter(statement=statement).exists()


def test_paragraph_deleted_from_the_current_version_is_refused(
    edition, committee_user, delegate_user
):
    statement = make_statement(edition, paragraphs=3, state=S.COMMENTS_CLOSED)
    create_version(statement=statement, actor=committee_user, source="[1] One.\n\n[2] Two.")
    Statement.objects.filter(pk=statement.pk).update(
        state=S.OPEN, comment_deadline=timezone.now() + datetime.timedelta(days=1)
    )
    statement.versions.filter(number=2).update(published_at=timezone.now())
    statement.refresh_from_db()
    with pytest.raises(ActionRefusedError, match="no such paragraph"):
        post_comment(statement=statement, author=delegate_user, body="Hi", paragraph_key=3)
    assert post_comment(statement=statement, author=delegate_user, body="Hi", paragraph_key=2)


def test_paragraph_of_another_statement_is_refused(statement, delegate_user, other_edition):
    make_statement(other_edition, paragraphs=8)
    with pytest.raises(ActionRefusedError, match="no such paragraph"):
        post_comment(statement=statement, author=delegate_user, body="Hi", paragraph_key=8)


def test_reply_to_a_comment_of_another_statement_is_refused(
    statement, delegate_user, other_edition
):
    other = make_statement(other_edition)
    from tests.factories.statements import delegate

    foreign = post_comment(
        statement=other, author=delegate(other_edition), body="There", paragraph_key=1
    )
    with pytest.raises(ActionRefusedError, match="no such comment"):
        post_comment(statement=statement, author=delegate_user, body="Hi", parent_id=foreign.pk)
    assert Comment.objects.filter(statement=statement).count() == 0


@pytest.mark.parametrize("state", [S.DRAFTING, S.COMMENTS_CLOSED, S.ADOPTED, S.SIGN_ON, S.CLOSED])
def test_comments_refused_unless_open(edition, delegate_user, state):
    statement = make_statement(edition, state=state)
    with pytest.raises(ActionRefusedError, match="not open for comments"):
        post_comment(statement=statement, author=delegate_user, body="Hi", paragraph_key=1)
    assert not Comment.objects.filter(statement__edition__slug="2009-tokyo").exists()


def test_comments_refused_after_the_deadline(statement, delegate_user):
    Statement.objects.filter(pk=statement.pk).update(
        comment_deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    statement.refresh_from_db()
    with pytest.raises(ActionRefusedError, match="not open for comments"):
        post_comment(statement=statement, author=delegate_user, body="Hi")


@pytest.mark.parametrize("who", ["participant", "moderator_user", "foreign_organizer"])
def test_non_delegates_cannot_comment(request, statement, who):
    with pytest.raises(PermissionRefusedError, match="Only the delegates of AFSE 2009"):
        post_comment(statement=statement, author=request.getfixturevalue(who), body="Hi")
    assert not Comment.objects.filter(statement__edition__slug="2009-tokyo").exists()


def test_committee_members_take_part(statement, committee_user):
    assert post_comment(statement=statement, author=committee_user, body="From the committee")


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_empty_or_long_comments_are_refused(statement, delegate_user, body):
    with pytest.raises(ActionRefusedError):
        post_comment(statement=statement, author=delegate_user, body=body)


@override_settings(STATEMENTS_RATE_LIMIT=(3, 60))
def test_comments_are_rate_limited_per_person(statement, delegate_user, other_delegate):
    for n in range(3):
        post_comment(statement=statement, author=delegate_user, body=f"Comment {n}")
    with pytest.raises(ActionRefusedError, match="too fast: at most 3 posts every 60 seconds"):
        post_comment(statement=statement, author=delegate_user, body="One more")
    assert Comment.objects.filter(author=delegate_user).count() == 3
    # Someone else is not slowed down.
    assert post_comment(statement=statement, author=other_delegate, body="Mine")


def test_edit_and_withdraw_own_comment_while_open(statement, delegate_user, other_delegate):
    comment = post_comment(statement=statement, author=delegate_user, body="Frist")
    with pytest.raises(PermissionRefusedError):
        edit_comment(comment=comment, actor=other_delegate, body="Hacked")
    edit_comment(comment=comment, actor=delegate_user, body="First")
    comment.refresh_from_db()
    assert comment.body == "First"
    assert comment.edited_at is not None
    withdraw_comment(comment=comment, actor=delegate_user)
    assert Comment.objects.get(pk=comment.pk).withdrawn_at is not None
    with pytest.raises(ActionRefusedError, match="withdrawn"):
        edit_comment(comment=comment, actor=delegate_user, body="Again")


def test_no_edit_once_the_period_closed(statement, delegate_user):
    comment = post_comment(statement=statement, author=delegate_user, body="Mine")
    Statement.objects.filter(pk=statement.pk).update(state=S.COMMENTS_CLOSED)
    comment.statement.refresh_from_db()
    with pytest.raises(ActionRefusedError, match="only while the statement is open"):
        edit_comment(comment=comment, actor=delegate_user, body="Late")
    with pytest.raises(ActionRefusedError, match="only while the statement is open"):
        withdraw_comment(comment=comment, actor=delegate_user)
    assert Comment.objects.get(pk=comment.pk).body == "Mine"


def test_script_in_a_comment_never_renders_as_html():
    html = str(
        render_comment(
            "<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) "
            "**ok** [site](https://afse.example.org)"
        )
    )
    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; "
        "[a](javascript:alert(1)) <strong>ok</strong> "
        '<a href="https://afse.example.org" rel="nofollow noopener ugc">site</a></p>\n'
    )


def test_propose_amendments(statement, delegate_user):
    replace = propose_amendment(
        statement=statement,
        author=delegate_user,
        kind=AmendmentKind.REPLACE,
        text="We commit to more.",
        rationale="Stronger.",
        paragraph_key=2,
    )
    new = propose_amendment(
        statement=statement,
        author=delegate_user,
        kind=AmendmentKind.NEW_PARAGRAPH,
        text="A new commitment.",
        rationale="Missing.",
        after_key=3,
    )
    first = propose_amendment(
        statement=statement,
        author=delegate_user,
        kind=AmendmentKind.NEW_PARAGRAPH,
        text="A preamble.",
        rationale="Missing.",
    )
    assert (replace.paragraph.key, replace.after_paragraph) == (2, None)
    assert (new.paragraph, new.after_paragraph.key) == (None, 3)
    assert (first.paragraph, first.after_paragraph) == (None, None)
    assert {a.status for a in (replace, new, first)} == {AmendmentStatus.PENDING}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "replace", "paragraph_key": 77}, "no such paragraph"),
        ({"kind": "replace", "paragraph_key": None}, "no such paragraph"),
        ({"kind": "new_paragraph", "after_key": 77}, "no such paragraph"),
        ({"kind": "delete_everything", "paragraph_key": 1}, "Choose what"),
        (
            {
                "kind": "replace",
                "paragraph_key": 1,
                "text": "We commit to  paragraph 1 of the solidarity economy.",
            },
            "same as the current",
        ),
        ({"kind": "replace", "paragraph_key": 1, "rationale": " "}, "Say why"),
    ],
)
def test_bad_amendments_are_refused(statement, delegate_user, fields, message):
    arguments = {"text": "Other.", "rationale": "Because.", **fields}
    with pytest.raises(ActionRefusedError, match=message):
        propose_amendment(statement=statement, author=delegate_user, **arguments)
    assert not Amendment.objects.filter(statement__edition__slug="2009-tokyo").exists()


def _amendment(statement, author):
    return propose_amendment(
        statement=statement,
        author=author,
        kind=AmendmentKind.REPLACE,
        text="New words.",
        rationale="Why.",
        paragraph_key=1,
    )


def test_support_once_per_person(statement, delegate_user, other_delegate):
    amendment = _amendment(statement, delegate_user)
    support_amendment(amendment=amendment, user=other_delegate)
    with pytest.raises(ActionRefusedError, match="already support"):
        support_amendment(amendment=amendment, user=other_delegate)
    assert AmendmentSupport.objects.filter(amendment=amendment).count() == 1


def test_support_refused_to_non_delegates(statement, delegate_user, participant):
    amendment = _amendment(statement, delegate_user)
    with pytest.raises(PermissionRefusedError):
        support_amendment(amendment=amendment, user=participant)


def test_withdraw_own_amendment(statement, delegate_user, other_delegate):
    amendment = _amendment(statement, delegate_user)
    with pytest.raises(PermissionRefusedError):
        withdraw_amendment(amendment=amendment, actor=other_delegate)
    withdraw_amendment(amendment=amendment, actor=delegate_user)
    assert Amendment.objects.get(pk=amendment.pk).status == AmendmentStatus.WITHDRAWN


def test_committee_answers_with_a_reason(statement, delegate_user, committee_user):
    amendment = _amendment(statement, delegate_user)
    with pytest.raises(ActionRefusedError, match="Give the reason"):
        answer_amendment(
            amendment=amendment, actor=committee_user, status=AmendmentStatus.ACCEPTED, answer=""
        )
    with pytest.raises(ActionRefusedError, match="Choose an answer"):
        answer_amendment(
            amendment=amendment, actor=committee_user, status=AmendmentStatus.PENDING, answer="x"
        )
    with pytest.raises(PermissionRefusedError):
        answer_amendment(
            amendment=amendment, actor=delegate_user, status=AmendmentStatus.ACCEPTED, answer="x"
        )
    answer_amendment(
        amendment=amendment,
        actor=committee_user,
        status=AmendmentStatus.ACCEPTED_IN_PART,
        answer="The first half.",
    )
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.ACCEPTED_IN_PART
    assert amendment.answer == "The first half."
    assert amendment.answered_by == committee_user
    with pytest.raises(ActionRefusedError, match="already been answered"):
        support_amendment(amendment=amendment, user=delegate_user)


def test_reports_once_and_never_on_own_comment(statement, delegate_user, other_delegate):
    comment = post_comment(statement=statement, author=delegate_user, body="Rude")
    with pytest.raises(ActionRefusedError, match="your own comment"):
        report_comment(comment=comment, reporter=delegate_user, reason="x")
    report_comment(comment=comment, reporter=other_delegate, reason="Insulting")
    with pytest.raises(ActionRefusedError, match="already reported"):
        report_comment(comment=comment, reporter=other_delegate, reason="Again")
    assert list(Report.objects.values_list("reason", flat=True)) == ["Insulting"]


def test_paragraph_rows_are_shared_by_comments_across_versions(statement, delegate_user):
    comment = post_comment(statement=statement, author=delegate_user, body="Hi", paragraph_key=2)
    assert comment.paragraph == Paragraph.objects.get(statement=statement, key=2)
