"""The overview of the discussion, filtered and sorted, and delegates supporting comments; on
the demo's open Malaysian draft."""

import re

import pytest
from django.contrib.auth import get_user_model

from statements.models import Amendment, Comment, CommentSupport

pytestmark = pytest.mark.django_db

BASE = "/2011-malaysia/statement/"


def _login(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def _entries(html: str) -> list[str]:
    return re.findall(r'<li class="contribution contribution--\w+" id="(\w+-\d+)">', html)


def _amendment(key):
    return Amendment.objects.get(statement__edition__slug="2011-malaysia", paragraph__key=key)


def _comment(key):
    return Comment.objects.get(
        statement__edition__slug="2011-malaysia", paragraph__key=key, parent=None
    )


def test_overview_sorted_by_support_shows_counts(client):
    _login(client, "kl-delegate-1")
    html = client.get(BASE + "discussion/?sort=supported").content.decode()
    entries = _entries(html)
    # 5 top-level comments and 5 amendments (none withdrawn).
    assert len(entries) == 10
    assert entries[:3] == [
        f"amendment-{_amendment(5).pk}",
        f"amendment-{_amendment(4).pk}",
        f"amendment-{_amendment(8).pk}",
    ]
    assert "5 supporters" in html
    assert "Paragraph 5 of version 1" in html
    assert "10 contributions" in html


def test_overview_filters_by_paragraph_kind_and_answer(client):
    _login(client, "kl-delegate-1")
    html = client.get(BASE + "discussion/?paragraph=4").content.decode()
    assert _entries(html) == [f"amendment-{_amendment(4).pk}", f"comment-{_comment(4).pk}"]
    assert "1 reply" in html
    assert "most of our members<ins>, and the informal workers among them,</ins> still" in html

    html = client.get(BASE + "discussion/?answer=accepted").content.decode()
    assert _entries(html) == [f"amendment-{_amendment(5).pk}"]
    assert "only amendments are listed" in html

    html = client.get(BASE + "discussion/?kind=comments&sort=paragraph").content.decode()
    general = Comment.objects.get(statement__edition__slug="2011-malaysia", paragraph=None)
    assert _entries(html) == [
        f"comment-{general.pk}",
        *(f"comment-{_comment(key).pk}" for key in (4, 5, 7, 8)),
    ]
    html = client.get(BASE + "discussion/?paragraph=general").content.decode()
    assert _entries(html) == [f"comment-{general.pk}"]
    # A forged value counts as not given.
    html = client.get(BASE + "discussion/?paragraph=999&sort=nonsense").content.decode()
    assert len(_entries(html)) == 10


def test_overview_is_for_the_delegates(client):
    response = client.get(BASE + "discussion/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    _login(client, "tokyo-delegate-1")  # a delegate of 2009, not of 2011
    assert client.get(BASE + "discussion/").status_code == 403


def test_delegates_support_a_comment_once_and_see_the_count(client):
    comment = _comment(4)
    _login(client, "kl-delegate-1")
    response = client.post(BASE + f"comments/{comment.pk}/support/")
    assert response.status_code == 302
    assert response["Location"] == BASE + f"paragraphs/4/#comment-{comment.pk}"
    html = client.get(BASE + "paragraphs/4/").content.decode()
    block = html[html.index(f'id="comment-{comment.pk}"') :]
    block = block[: block.index("</article>")]
    assert "1 supporter" in block
    assert "You support it" in block
    again = client.post(BASE + f"comments/{comment.pk}/support/")
    assert again.status_code == 400
    assert "You already support this comment." in again.content.decode()
    assert CommentSupport.objects.filter(comment=comment).count() == 1

    _login(client, comment.author.username)
    own = client.post(BASE + f"comments/{comment.pk}/support/")
    assert own.status_code == 400
    assert "You cannot support your own comment." in own.content.decode()
    _login(client, "tokyo-delegate-1")
    assert client.post(BASE + f"comments/{comment.pk}/support/").status_code == 403
    assert CommentSupport.objects.filter(comment=comment).count() == 1
    assert client.get(BASE + f"comments/{comment.pk}/support/").status_code == 405
