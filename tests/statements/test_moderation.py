import pytest

from statements.committee.services import dismiss_report, hide_comment, unhide_comment
from statements.discussion.services import post_comment, report_comment
from statements.enums import ModerationAction, ReportStatus
from statements.models import Comment, ModerationLog, Report
from statements.services import ActionRefusedError, PermissionRefusedError


@pytest.fixture
def comment(statement, delegate_user):
    return post_comment(
        statement=statement, author=delegate_user, body="Rude words", paragraph_key=1
    )


def test_hide_with_reason_upholds_reports_and_logs(comment, other_delegate, moderator_user):
    report = report_comment(comment=comment, reporter=other_delegate, reason="Insult")
    with pytest.raises(ActionRefusedError, match="Give the reason"):
        hide_comment(comment=comment, actor=moderator_user, reason=" ")
    hide_comment(comment=comment, actor=moderator_user, reason="Personal attack")
    comment.refresh_from_db()
    assert (comment.hidden_by, comment.hidden_reason) == (moderator_user, "Personal attack")
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == (ReportStatus.UPHELD, moderator_user)
    entry = ModerationLog.objects.get(comment=comment)
    assert (entry.action, entry.actor, entry.reason, entry.report) == (
        ModerationAction.HIDE,
        moderator_user,
        "Personal attack",
        report,
    )
    unhide_comment(comment=comment, actor=moderator_user, reason="On appeal")
    assert Comment.objects.get(pk=comment.pk).hidden_at is None
    assert list(
        ModerationLog.objects.filter(comment=comment)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [ModerationAction.HIDE, ModerationAction.UNHIDE]


def test_dismiss_a_report(comment, other_delegate, moderator_user):
    report = report_comment(comment=comment, reporter=other_delegate, reason="Meh")
    dismiss_report(report=report, actor=moderator_user, reason="Fair comment")
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    with pytest.raises(ActionRefusedError, match="already been dealt with"):
        dismiss_report(report=report, actor=moderator_user)
    assert ModerationLog.objects.get(report=report).action == ModerationAction.DISMISS_REPORT


@pytest.mark.parametrize(
    "who", ["delegate_user", "other_delegate", "participant", "foreign_organizer"]
)
def test_only_moderators_moderate(request, comment, who):
    with pytest.raises(PermissionRefusedError, match="Only the moderators"):
        hide_comment(comment=comment, actor=request.getfixturevalue(who), reason="No")
    assert Comment.objects.get(pk=comment.pk).hidden_at is None
    assert not ModerationLog.objects.exists()


def test_hidden_comment_shows_to_author_and_moderators_only(
    client, comment, delegate_user, other_delegate, moderator_user, base_url
):
    hide_comment(comment=comment, actor=moderator_user, reason="Personal attack")
    url = base_url + "paragraphs/1/"
    client.force_login(delegate_user)
    html = client.get(url).content.decode()
    assert "Rude words" in html
    assert "Hidden by the moderators: Personal attack" in html
    client.force_login(moderator_user)
    assert "Rude words" in client.get(url).content.decode()
    client.force_login(other_delegate)
    html = client.get(url).content.decode()
    assert "Rude words" not in html
    assert "Hidden by the moderators." in html


def test_moderation_page_lists_open_reports(
    client, comment, other_delegate, moderator_user, base_url
):
    report_comment(comment=comment, reporter=other_delegate, reason="Insulting tone")
    client.force_login(moderator_user)
    response = client.get(base_url + "moderation/")
    assert response.status_code == 200
    assert "Insulting tone" in response.content.decode()
    response = client.post(
        base_url + f"moderation/comments/{comment.pk}/hide/", {"reason": "Tone"}, follow=True
    )
    assert "The comment is hidden." in response.content.decode()
    assert Report.objects.get(comment=comment).status == ReportStatus.UPHELD
    client.force_login(other_delegate)
    assert client.get(base_url + "moderation/").status_code == 403
