import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from mail.models import OutboxEmail
from statements.discussion.services import answer_amendment, post_comment, propose_amendment
from statements.enums import AmendmentKind, AmendmentStatus, NotificationFrequency
from statements.enums import StatementState as S
from statements.models import NotificationPreference, PendingNotification
from statements.services.notifications import notify_version_open, send_digests
from statements.services.workflow import transition_statement
from statements.tasks import task_send_statement_digests
from tests.factories.statements import make_statement


def _statement_emails():
    return list(OutboxEmail.objects.filter(kind__startswith="statement:").order_by("pk"))


def test_reply_notifies_the_parent_author_once_after_commit(
    statement, delegate_user, other_delegate, django_capture_on_commit_callbacks
):
    parent = post_comment(statement=statement, author=delegate_user, body="A", paragraph_key=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_comment(statement=statement, author=other_delegate, body="B", parent_id=parent.pk)
    assert len(callbacks) == 1
    assert [(e.kind, e.to_email) for e in _statement_emails()] == [
        ("statement:reply", delegate_user.email)
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [delegate_user.email]
    assert message.subject == "A reply to your comment on “Tokyo Statement of Commitment”"
    assert "delegate-b replied to your comment:" in message.body
    assert "/2009-tokyo/statement/paragraphs/1/#comment-" in message.body


def test_replying_to_oneself_sends_nothing(statement, delegate_user):
    parent = post_comment(statement=statement, author=delegate_user, body="A")
    post_comment(statement=statement, author=delegate_user, body="B", parent_id=parent.pk)
    assert _statement_emails() == []


def test_nothing_is_sent_for_a_rolled_back_write(
    statement, delegate_user, other_delegate, django_capture_on_commit_callbacks
):
    parent = post_comment(statement=statement, author=delegate_user, body="A")

    def write_then_fail():
        with transaction.atomic():
            post_comment(statement=statement, author=other_delegate, body="B", parent_id=parent.pk)
            raise RuntimeError

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        write_then_fail()
    assert callbacks == []
    assert _statement_emails() == []
    assert mail.outbox == []


def test_answer_notifies_the_amendment_author(
    statement, delegate_user, committee_user, django_capture_on_commit_callbacks
):
    amendment = propose_amendment(
        statement=statement,
        author=delegate_user,
        kind=AmendmentKind.REPLACE,
        text="New.",
        rationale="Why.",
        paragraph_key=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer_amendment(
            amendment=amendment,
            actor=committee_user,
            status=AmendmentStatus.NOT_ACCEPTED,
            answer="Out of scope.",
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"Your amendment {amendment.pk}: Not accepted"
    assert "Reason: Out of scope." in mail.outbox[0].body


def test_new_version_open_notifies_each_delegate_once(
    edition, delegate_user, other_delegate, committee_user, django_capture_on_commit_callbacks
):
    statement = make_statement(edition, state=S.DRAFTING, author=committee_user)
    NotificationPreference.objects.create(
        user=other_delegate, frequency=NotificationFrequency.NEVER
    )
    with django_capture_on_commit_callbacks(execute=True):
        transition_statement(
            statement=statement,
            to_state=S.OPEN,
            actor=committee_user,
            comment_deadline=timezone.now() + datetime.timedelta(days=1),
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert delegate_user.email in recipients
    assert committee_user.email in recipients
    assert other_delegate.email not in recipients
    assert len(recipients) == len(set(recipients))
    # Each in their own language: the demo's delegates who registered in Japanese get it in
    # Japanese (tests/statements/test_notification_languages.py).
    subjects = {
        m.subject for m in mail.outbox if m.to[0] in (delegate_user.email, committee_user.email)
    }
    assert subjects == {"Version 1 of “Tokyo Statement of Commitment” is open for comments"}
    assert {m.subject for m in mail.outbox} == {
        "Version 1 of “Tokyo Statement of Commitment” is open for comments",
        "「Tokyo Statement of Commitment」第1版の意見募集が始まりました",
    }
    # Sending again for the same version writes nothing new (the outbox dedupes).
    before = OutboxEmail.objects.count()
    version = statement.versions.get(number=1)
    notify_version_open(statement=statement, version=version)
    assert OutboxEmail.objects.count() == before


def test_daily_digest_collects_and_sends_once(
    statement, delegate_user, other_delegate, committee_user, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=delegate_user, frequency=NotificationFrequency.DAILY)
    parent = post_comment(statement=statement, author=delegate_user, body="A")
    amendment = propose_amendment(
        statement=statement,
        author=delegate_user,
        kind=AmendmentKind.REPLACE,
        text="New.",
        rationale="Why.",
        paragraph_key=2,
    )
    post_comment(statement=statement, author=other_delegate, body="B", parent_id=parent.pk)
    answer_amendment(
        amendment=amendment, actor=committee_user, status=AmendmentStatus.ACCEPTED, answer="Yes."
    )
    assert _statement_emails() == []
    assert PendingNotification.objects.filter(user=delegate_user, sent_at=None).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert task_send_statement_digests.delay().get() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "2 news about the statement of commitment"
    assert "delegate-b replied to your comment" in mail.outbox[0].body
    assert "Your amendment to “Tokyo Statement of Commitment” was answered: Accepted." in (
        mail.outbox[0].body
    )
    assert send_digests() == 0
    assert PendingNotification.objects.filter(sent_at=None).count() == 0
