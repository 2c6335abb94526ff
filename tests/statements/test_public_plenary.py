"""The plenary view for the projector: the paragraph under discussion highlighted, links and
keys to move, and the committee putting a paragraph on the projector."""

import re

import pytest

from forum.pagecache import bump_pages_version
from statements.enums import StatementState
from statements.models import Paragraph, Statement
from tests.factories.statements import delegate, make_statement

pytestmark = pytest.mark.django_db


def _current(html: str) -> str | None:
    match = re.search(r'class="plenary__paragraph plenary__paragraph--current" id="p(\d+)"', html)
    return match.group(1) if match else None


def test_plenary_highlights_the_paragraph_asked_for(client, base_url):
    response = client.get(base_url + "plenary/?p=3")
    assert response.status_code == 200
    html = response.content.decode()
    assert _current(html) == "3"
    assert html.count("plenary__paragraph--current") == 1
    assert 'id="p3" aria-current="true"' in html
    # Paragraph 5 was left out of the adopted version: from 4 the next one is 6.
    assert '<a href="?p=2#p2" rel="prev" data-plenary="prev">' in html
    assert '<a href="?p=4#p4" rel="next" data-plenary="next">' in html
    assert "/static/js/statement-plenary.js" in html
    assert "/static/css/statement-plenary.css" in html
    assert "<script>" not in html
    assert 'style="' not in html
    assert "Discuss paragraph" not in html  # visitors do not lead the plenary

    html = client.get(base_url + "plenary/?p=4").content.decode()
    assert '<a href="?p=6#p6" rel="next" data-plenary="next">' in html


def test_plenary_ends_have_one_link_and_unknown_keys_say_so(client, base_url):
    html = client.get(base_url + "plenary/?p=1").content.decode()
    assert 'data-plenary="prev"' not in html
    html = client.get(base_url + "plenary/?p=13").content.decode()
    assert 'data-plenary="next"' not in html
    for bad in ("5", "999", "abc", "-1", "1e9"):
        html = client.get(base_url + f"plenary/?p={bad}").content.decode()
        assert _current(html) is None, bad
        assert "There is no such paragraph in this version." in html
        assert '<a href="?p=1#p1" rel="next" data-plenary="next">' in html


def test_committee_puts_a_paragraph_on_the_projector(client, base_url, edition, committee_user):
    client.force_login(committee_user)
    html = client.get(base_url + "plenary/").content.decode()
    assert "Discuss paragraph 3 now" in html
    response = client.post(base_url + "plenary/show/", {"p": "7"})
    assert response.status_code == 302
    assert response["Location"] == base_url + "plenary/?p=7#p7"
    statement = Statement.objects.get(edition=edition)
    assert statement.plenary_paragraph == Paragraph.objects.get(statement=statement, key=7)
    # The projector, opened without ?p, follows the committee.
    client.logout()
    assert _current(client.get(base_url + "plenary/").content.decode()) == "7"


@pytest.mark.parametrize("value", ["999", "abc", ""])
def test_committee_cannot_show_a_forged_paragraph(client, base_url, edition, committee_user, value):
    client.force_login(committee_user)
    response = client.post(base_url + "plenary/show/", {"p": value})
    assert response.status_code == 400
    assert Statement.objects.get(edition=edition).plenary_paragraph is None


def test_paragraph_of_another_statement_cannot_be_shown(
    client, base_url, other_edition, committee_user, edition
):
    manila = make_statement(other_edition, paragraphs=20)
    assert Paragraph.objects.filter(statement=manila, key=20).exists()
    client.force_login(committee_user)
    assert client.post(base_url + "plenary/show/", {"p": "20"}).status_code == 400


def test_only_the_committee_moves_the_projector(
    client, base_url, edition, participant, foreign_organizer
):
    response = client.post(base_url + "plenary/show/", {"p": "3"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    for user in (delegate(edition, username="plenary-delegate"), participant, foreign_organizer):
        client.force_login(user)
        assert client.post(base_url + "plenary/show/", {"p": "3"}).status_code == 403
    assert Statement.objects.get(edition=edition).plenary_paragraph is None
    assert client.get(base_url + "plenary/show/").status_code == 405


def test_delegates_follow_the_open_draft_in_plenary(client, base_url, edition):
    make_statement(edition, paragraphs=4, state=StatementState.OPEN)
    response = client.get(base_url + "plenary/?p=2")
    assert response.status_code == 302  # visitors: the draft is not public
    client.force_login(delegate(edition, username="plenary-reader"))
    html = client.get(base_url + "plenary/?p=2").content.decode()
    assert _current(html) == "2"
    assert "We commit to paragraph 2 of the solidarity economy." in html


@pytest.mark.parametrize("paragraphs", [3, 60])
def test_plenary_query_count_is_constant(
    client, base_url, edition, django_assert_num_queries, paragraphs
):
    make_statement(edition, paragraphs=paragraphs, state=StatementState.ADOPTED)
    client.get(base_url + "plenary/?p=2")
    bump_pages_version()  # routed afresh, as after a page changed
    # Wagtail's site, pages (the statement page beneath the edition page), edition and menus
    # (18), the statement (1), its version and text (2).
    with django_assert_num_queries(23):
        response = client.get(base_url + "plenary/?p=2")
    assert _current(response.content.decode()) == "2"
    # Routed again: the route and the header's menus (with whether each feature page has
    # something to show) come from the cache (cms/routing.py, cms/chrome.py).
    with django_assert_num_queries(3):
        response = client.get(base_url + "plenary/?p=2")
    assert _current(response.content.decode()) == "2"
