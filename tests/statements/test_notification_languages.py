"""Every statement mail in its recipient's language: the language they registered in, with the
statement's title in that language when it is translated and links to the page in that
language; the digest too, and the sign-on confirmation in the language of the page signed on."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mail.models import OutboxEmail
from statements.discussion.services import answer_amendment, post_comment, propose_amendment
from statements.enums import AmendmentKind, AmendmentStatus, NotificationFrequency
from statements.enums import StatementState as S
from statements.models import NotificationPreference, PendingNotification, StatementTranslation
from statements.selectors import recipient_languages
from statements.services.notifications import send_digests
from statements.services.workflow import transition_statement
from statements.translations.services import save_translation
from tests.factories.registration import RegistrationFactory
from tests.factories.statements import delegate, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def ja_delegate(edition):
    user = delegate(edition, username="delegate-ja", email="ja@example.org")
    RegistrationFactory(ticket_type__edition=edition, user=user, language="ja", email=user.email)
    return user


@pytest.fixture
def en_delegate(edition):
    user = delegate(edition, username="delegate-en", email="en@example.org")
    RegistrationFactory(ticket_type__edition=edition, user=user, language="en", email=user.email)
    return user


def _by_recipient() -> dict[str, OutboxEmail]:
    return {e.to_email: e for e in OutboxEmail.objects.filter(kind__startswith="statement:")}


def test_recipient_language_is_the_one_registered_in(edition, other_edition, ja_delegate):
    from tests.factories import UserFactory

    ko_elsewhere = UserFactory(username="ko-elsewhere")
    RegistrationFactory(ticket_type__edition=other_edition, user=ko_elsewhere, language="ko")
    unregistered = UserFactory(username="no-registration")
    assert recipient_languages([ja_delegate.pk, ko_elsewhere.pk, unregistered.pk], edition) == {
        ja_delegate.pk: "ja",
        ko_elsewhere.pk: "ko",  # their latest registration's, another edition's
        unregistered.pk: "en",
    }


def test_version_open_reaches_a_ja_and_an_en_delegate_each_in_their_language(
    edition, ja_delegate, en_delegate, committee_user, django_capture_on_commit_callbacks
):
    statement = make_statement(edition, state=S.DRAFTING, author=committee_user)
    save_translation(
        statement=statement,
        version=statement.versions.get(),
        language="ja",
        actor=committee_user,
        title="東京行動宣言",
        paragraphs={1: "一。"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        transition_statement(
            statement=statement,
            to_state=S.OPEN,
            actor=committee_user,
            comment_deadline=timezone.now() + datetime.timedelta(days=1),
        )
    emails = _by_recipient()
    ja, en = emails[ja_delegate.email], emails[en_delegate.email]
    assert (ja.language, en.language) == ("ja", "en")
    assert ja.subject == "「東京行動宣言」第1版の意見募集が始まりました"
    assert en.subject == "Version 1 of “Tokyo Statement of Commitment” is open for comments"
    assert "/ja/2009-tokyo/statement/" in ja.body_text
    assert "/ja/" not in en.body_text
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent[ja_delegate.email].subject == ja.subject
    assert sent[en_delegate.email].subject == en.subject


def test_reply_and_answer_in_the_recipients_language(
    edition, ja_delegate, en_delegate, committee_user
):
    statement = make_statement(edition, author=committee_user)
    parent = post_comment(statement=statement, author=ja_delegate, body="A", paragraph_key=1)
    post_comment(statement=statement, author=en_delegate, body="B", parent_id=parent.pk)
    amendment = propose_amendment(
        statement=statement,
        author=en_delegate,
        kind=AmendmentKind.REPLACE,
        text="New.",
        rationale="Why.",
        paragraph_key=2,
    )
    answer_amendment(
        amendment=amendment, actor=committee_user, status=AmendmentStatus.ACCEPTED, answer="Yes."
    )
    emails = _by_recipient()
    reply = emails[ja_delegate.email]
    assert (reply.kind, reply.language) == ("statement:reply", "ja")
    assert reply.subject == "「Tokyo Statement of Commitment」へのあなたのコメントへの返信"
    answered = emails[en_delegate.email]
    assert (answered.kind, answered.language) == ("statement:amendment_answered", "en")
    assert "answered your amendment" in answered.body_text


def test_digest_is_written_in_each_persons_language(
    edition, ja_delegate, en_delegate, committee_user, django_capture_on_commit_callbacks
):
    statement = make_statement(edition, author=committee_user)
    StatementTranslation.objects.create(
        version=statement.versions.get(), language="ja", title="東京行動宣言"
    )
    for user in (ja_delegate, en_delegate):
        NotificationPreference.objects.create(user=user, frequency=NotificationFrequency.DAILY)
    ja_parent = post_comment(statement=statement, author=ja_delegate, body="A", paragraph_key=1)
    en_parent = post_comment(statement=statement, author=en_delegate, body="B", paragraph_key=1)
    post_comment(statement=statement, author=committee_user, body="C", parent_id=ja_parent.pk)
    post_comment(statement=statement, author=committee_user, body="D", parent_id=en_parent.pk)
    summaries = dict(PendingNotification.objects.values_list("user__username", "summary"))
    assert (
        summaries["delegate-ja"]
        == "committee-aさんが「東京行動宣言」へのあなたのコメントに返信しました。"
    )
    assert summaries["delegate-en"] == (
        "committee-a replied to your comment on “Tokyo Statement of Commitment”."
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 2
    emails = _by_recipient()
    ja, en = emails[ja_delegate.email], emails[en_delegate.email]
    assert (ja.language, en.language) == ("ja", "en")
    assert ja.subject == "コミットメント宣言のお知らせ 1 件"
    assert ja.body_text.startswith("前回のお知らせ以降：")  # noqa: RUF001
    assert "/ja/2009-tokyo/statement/paragraphs/1/#comment-" in ja.body_text
    assert en.subject == "1 news about the statement of commitment"
    assert en.body_text.startswith("Since our last message:")


def test_sign_on_confirmation_in_the_language_of_the_page(client, edition):
    from statements.models import Statement

    statement = Statement.objects.get(edition=edition)  # the demo's, open for sign-on
    from cms.models import EditionPage

    page = EditionPage.objects.get(edition=edition, locale__language_code="ja")
    response = client.post(
        page.url + "statement/sign/",
        {
            "kind": "person",
            "name": "Sato Hanako",
            "country": "JP",
            "email": "hanako@example.org",
        },
    )
    assert response.status_code == 200
    email = OutboxEmail.objects.get(to_email="hanako@example.org")
    assert email.language == "ja"
    assert "東京行動宣言" in email.subject
    assert "/ja/2009-tokyo/statement/sign/confirm/" in email.body_text
    assert statement.signatories.filter(email="hanako@example.org").exists()
