import datetime

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from cms.models import EditionPage
from statements.discussion.services import propose_amendment
from statements.enums import AmendmentKind, AmendmentStatus
from statements.enums import StatementState as S
from statements.models import Amendment, AmendmentSupport, Comment, Statement, TransitionLog
from tests.factories.statements import delegate, make_statement

ROLES = [
    "anonymous",
    "participant",
    "delegate_user",
    "moderator_user",
    "committee_user",
    "foreign_organizer",
]


def _login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


def _url_of(edition):
    page = EditionPage.objects.filter(edition=edition, locale__language_code="en").first()
    return page.url + "statement/"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("participant", 404),
        ("delegate_user", 200),
        ("moderator_user", 200),
        ("committee_user", 200),
        ("foreign_organizer", 404),
    ],
)
def test_open_draft_is_for_delegates(request, client, statement, base_url, who, expected):
    _login(client, request, who)
    response = client.get(base_url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    if expected == 200:
        html = response.content.decode()
        assert "We commit to paragraph 3 of the solidarity economy." in html
        assert "0 comments on paragraph 3" in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("participant", 403),
        ("delegate_user", 200),
        ("moderator_user", 200),
        ("committee_user", 200),
        ("foreign_organizer", 403),
    ],
)
def test_paragraph_discussion_by_role(request, client, statement, base_url, who, expected):
    _login(client, request, who)
    response = client.get(base_url + "paragraphs/2/")
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert "<h1>Paragraph 2 of version 1</h1>" in html
        assert ("Propose an amendment" in html) is (who in ("delegate_user", "committee_user"))


def test_public_sees_the_draft_only_when_the_committee_shows_it(client, edition, base_url):
    make_statement(edition, state=S.OPEN, show_draft_publicly=True)
    response = client.get(base_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "We commit to paragraph 1 of the solidarity economy." in html
    assert "comments on paragraph" not in html  # the discussion is for delegates
    assert client.get(base_url + "paragraphs/1/").status_code == 302


def test_public_sees_the_adopted_statement(client, edition, base_url):
    make_statement(edition, state=S.ADOPTED)
    response = client.get(base_url)
    assert response.status_code == 200
    assert "Adopted on Nov. 10, 2009 in Tokyo." in response.content.decode()
    assert client.get(base_url + "responses/").status_code == 200
    assert client.get(base_url + "changes/").status_code == 200


def test_drafting_is_for_the_committee_only(
    client, edition, base_url, delegate_user, committee_user
):
    make_statement(edition, state=S.DRAFTING)
    client.force_login(delegate_user)
    assert client.get(base_url).status_code == 403
    client.force_login(committee_user)
    html = client.get(base_url).content.decode()
    assert "not yet published to delegates" in html


def test_no_statement_is_404_but_offers_creation_to_the_committee(
    client, edition, base_url, committee_user
):
    Statement.objects.filter(edition=edition).delete()
    assert client.get(base_url).status_code == 404
    client.force_login(committee_user)
    assert "Create the statement" in client.get(base_url).content.decode()


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("anonymous", 403, "Log in as a delegate to take part."),
        ("participant", 403, "Only the delegates of AFSE 2009 take part"),
        ("moderator_user", 403, "Only the delegates of AFSE 2009 take part"),
        ("foreign_organizer", 403, "Only the delegates of AFSE 2009 take part"),
    ],
)
def test_posting_a_comment_refused_by_role(
    request, client, statement, base_url, who, status, message
):
    _login(client, request, who)
    response = client.post(base_url + "comments/", {"paragraph": "1", "body": "Hello"})
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Comment.objects.filter(statement__edition__slug="2009-tokyo").exists()


def test_delegate_comments_and_script_is_escaped(client, statement, base_url, delegate_user):
    client.force_login(delegate_user)
    response = client.post(
        base_url + "comments/",
        {"paragraph": "2", "body": "<script>alert('x')</script> *care work*"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your comment has been posted." in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; <em>care work</em>" in html
    comment = Comment.objects.get(statement__edition__slug="2009-tokyo")
    assert (comment.paragraph.key, comment.author) == (2, delegate_user)
    assert response.redirect_chain[-1][0].endswith(f"/statement/paragraphs/2/#comment-{comment.pk}")


def test_forged_paragraph_id_is_refused_with_a_message(client, statement, base_url, delegate_user):
    client.force_login(delegate_user)
    response = client.post(base_url + "comments/", {"paragraph": "999", "body": "Hi"})
    assert response.status_code == 400
    assert "There is no such paragraph in the current version." in response.content.decode()
    assert client.get(base_url + "paragraphs/999/").status_code == 404
    assert not Comment.objects.filter(statement__edition__slug="2009-tokyo").exists()


def test_closed_statement_refuses_comments(client, edition, base_url, delegate_user):
    make_statement(edition, state=S.COMMENTS_CLOSED)
    client.force_login(delegate_user)
    response = client.post(base_url + "comments/", {"paragraph": "1", "body": "Late"})
    assert response.status_code == 400
    assert "The statement is not open for comments." in response.content.decode()
    assert not Comment.objects.filter(statement__edition__slug="2009-tokyo").exists()


def test_delegate_of_another_edition_cannot_post_here(client, statement, base_url, other_edition):
    client.force_login(delegate(other_edition))
    response = client.post(base_url + "comments/", {"body": "From Manila"})
    assert response.status_code == 403
    assert not Comment.objects.filter(statement__edition__slug="2009-tokyo").exists()


def test_ids_of_another_edition_are_not_found_here(
    client, statement, base_url, other_edition, delegate_user
):
    other = make_statement(other_edition)
    manila_delegate = delegate(other_edition)
    amendment = propose_amendment(
        statement=other,
        author=manila_delegate,
        kind=AmendmentKind.REPLACE,
        text="Other.",
        rationale="r",
        paragraph_key=1,
    )
    foreign = Comment.objects.create(
        statement=other, version=other.versions.get(), author=delegate_user, body="Mine elsewhere"
    )
    client.force_login(delegate_user)
    assert client.post(base_url + f"amendments/{amendment.pk}/support/").status_code == 404
    assert client.post(base_url + f"comments/{foreign.pk}/withdraw/").status_code == 404
    assert client.get(base_url + f"comments/{foreign.pk}/report/").status_code == 404
    assert client.post(base_url + f"comments/{foreign.pk}/support/").status_code == 404
    assert not AmendmentSupport.objects.filter(amendment=amendment).exists()
    assert Comment.objects.get(pk=foreign.pk).withdrawn_at is None
    assert _url_of(other_edition) != base_url


def test_double_support_is_refused_with_a_message(
    client, statement, base_url, delegate_user, other_delegate
):
    amendment = propose_amendment(
        statement=statement,
        author=delegate_user,
        kind=AmendmentKind.REPLACE,
        text="Other.",
        rationale="r",
        paragraph_key=1,
    )
    client.force_login(other_delegate)
    url = base_url + f"amendments/{amendment.pk}/support/"
    assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 400
    assert "You already support this amendment." in response.content.decode()
    assert AmendmentSupport.objects.filter(amendment=amendment).count() == 1


def test_edit_and_withdraw_own_comment_through_the_pages(
    client, statement, base_url, delegate_user, other_delegate
):
    client.force_login(delegate_user)
    client.post(base_url + "comments/", {"body": "Frist"})
    comment = Comment.objects.get(statement__edition__slug="2009-tokyo")
    client.force_login(other_delegate)
    assert client.post(base_url + f"comments/{comment.pk}/edit/", {"body": "X"}).status_code == 404
    client.force_login(delegate_user)
    response = client.post(base_url + f"comments/{comment.pk}/edit/", {"body": "First"})
    assert response.status_code == 302
    assert Comment.objects.get(statement__edition__slug="2009-tokyo").body == "First"
    client.post(base_url + f"comments/{comment.pk}/withdraw/")
    html = client.get(base_url + "general/").content.decode()
    assert "Withdrawn by its author." in html
    assert "First" not in html


def test_report_through_the_page(client, statement, base_url, delegate_user, other_delegate):
    client.force_login(delegate_user)
    client.post(base_url + "comments/", {"body": "Hmm"})
    comment = Comment.objects.get(statement__edition__slug="2009-tokyo")
    client.force_login(other_delegate)
    response = client.post(
        base_url + f"comments/{comment.pk}/report/", {"reason": "Off topic"}, follow=True
    )
    assert "the moderators will look at this comment" in response.content.decode()
    assert comment.reports.get().reason == "Off topic"


def test_amendment_through_the_page(client, statement, base_url, delegate_user):
    client.force_login(delegate_user)
    response = client.post(
        base_url + "amendments/",
        {
            "kind": "new_paragraph",
            "paragraph": "2",
            "after": "2",
            "text": "Also this.",
            "rationale": "Gap.",
        },
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get(statement__edition__slug="2009-tokyo")
    assert (amendment.kind, amendment.after_paragraph.key, amendment.paragraph) == (
        "new_paragraph",
        2,
        None,
    )


def test_notification_choice(client, statement, base_url, delegate_user):
    client.force_login(delegate_user)
    response = client.post(base_url + "notifications/", {"frequency": "daily"})
    assert response.status_code == 302
    assert delegate_user.statement_notification_preference.frequency == "daily"
    assert client.post(base_url + "notifications/", {"frequency": "hourly"}).status_code == 400


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("participant", 403),
        ("delegate_user", 403),
        ("moderator_user", 403),
        ("committee_user", 200),
        ("foreign_organizer", 403),
    ],
)
def test_committee_page_by_role(request, client, statement, base_url, who, expected):
    _login(client, request, who)
    assert client.get(base_url + "committee/").status_code == expected
    assert client.get(base_url + "committee/version/").status_code == expected


def test_committee_writes_creates_opens_and_answers_through_the_pages(
    client, edition, base_url, committee_user, delegate_user
):
    Statement.objects.filter(edition=edition).delete()
    client.force_login(committee_user)
    response = client.post(
        base_url + "committee/create/",
        {"title": "Tokyo Statement", "source": "# Commitments\n\nWe commit.\n\nWe act."},
    )
    assert response.status_code == 302
    statement = Statement.objects.get(edition=edition)
    deadline = (timezone.now() + datetime.timedelta(days=2)).astimezone(
        datetime.timezone(datetime.timedelta(hours=9))
    )
    response = client.post(
        base_url + "committee/state/",
        {"to_state": "open", "comment_deadline": deadline.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.state == S.OPEN
    assert statement.comment_deadline == deadline.replace(second=0, microsecond=0)
    amendment = propose_amendment(
        statement=statement,
        author=delegate_user,
        kind=AmendmentKind.REPLACE,
        text="We commit firmly.",
        rationale="Stronger.",
        paragraph_key=1,
    )
    response = client.post(
        base_url + f"committee/amendments/{amendment.pk}/",
        {"status": "accepted", "answer": "Agreed."},
    )
    assert response.status_code == 302
    # A version cannot be written while open.
    response = client.post(base_url + "committee/version/", {"source": "[1] We commit firmly."})
    assert response.status_code == 400
    client.post(base_url + "committee/state/", {"to_state": "comments_closed"})
    response = client.post(
        base_url + "committee/version/",
        {
            "source": "# Commitments\n\n[1] We commit firmly.\n\n[2] We act.",
            "note": "Amendment taken",
            "amendments": [str(amendment.pk)],
        },
    )
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.taken_into.number == 2
    html = client.get(base_url + "changes/").content.decode()
    assert "We commit<ins> firmly</ins>." in html
    assert f"Amendment {amendment.pk}</a> (Accepted)" in html
    html = client.get(base_url + "responses/").content.decode()
    assert "Agreed." in html
    response = client.post(base_url + "committee/state/", {"to_state": "closed"})
    assert response.status_code == 400
    assert "cannot go from “Comments closed” to “Closed”" in response.content.decode()
    assert TransitionLog.objects.filter(statement=statement).count() == 2


def test_transition_refused_to_delegates_through_the_page(
    client, statement, base_url, delegate_user
):
    client.force_login(delegate_user)
    response = client.post(base_url + "committee/state/", {"to_state": "comments_closed"})
    assert response.status_code == 403
    assert Statement.objects.get(pk=statement.pk).state == S.OPEN


def test_answer_page_refused_to_delegates(client, statement, base_url, delegate_user):
    amendment = propose_amendment(
        statement=statement,
        author=delegate_user,
        kind=AmendmentKind.REPLACE,
        text="X.",
        rationale="r",
        paragraph_key=1,
    )
    client.force_login(delegate_user)
    response = client.post(
        base_url + f"committee/amendments/{amendment.pk}/", {"status": "accepted", "answer": "Me"}
    )
    assert response.status_code == 403
    assert (
        Amendment.objects.get(statement__edition__slug="2009-tokyo").status
        == AmendmentStatus.PENDING
    )


def test_statement_pages_in_japanese(client, statement, delegate_user):
    client.force_login(delegate_user)
    response = client.get("/ja/2009-tokyo/statement/paragraphs/1/")
    html = response.content.decode()
    assert response.status_code == 200
    # The paragraph's label in the Japanese catalogue (English until the lead adds it).
    with translation.override("ja"):
        label = gettext("paragraph %(number)s of version %(version)s") % {
            "number": 1,
            "version": 1,
        }
    assert f"<h1>{capfirst(label)}</h1>" in html
    assert "修正案を提出" in html
