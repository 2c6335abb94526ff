"""The tiny JSON document the projector polls: the committee's paragraph, revalidated by ETag."""

import pytest

from statements.enums import StatementState
from tests.factories.statements import make_statement

pytestmark = pytest.mark.django_db


def test_plenary_state_follows_the_committee_with_an_etag(
    client, base_url, committee_user, django_assert_max_num_queries
):
    response = client.get(base_url + "plenary/current/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"key": None, "number": None, "version": 2, "poll": 3}
    assert response["Cache-Control"] == "private, no-cache"
    etag = response["ETag"]
    assert etag.startswith('"plenary-')

    # The page lookup, the statement and the roles: the same few queries whatever the size.
    with django_assert_max_num_queries(12):
        unchanged = client.get(base_url + "plenary/current/", headers={"if-none-match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag

    client.force_login(committee_user)
    client.post(base_url + "plenary/show/", {"p": "6"})
    client.logout()
    moved = client.get(base_url + "plenary/current/", headers={"if-none-match": etag})
    assert moved.status_code == 200
    # Key 6 is printed as paragraph 5 in the adopted version 2.
    assert moved.json() == {"key": 6, "number": 5, "version": 2, "poll": 3}
    assert moved["ETag"] != etag


def test_plenary_state_of_a_draft_is_for_those_who_may_read_it(client, base_url, edition):
    make_statement(edition, paragraphs=4, state=StatementState.OPEN)
    response = client.get(base_url + "plenary/current/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_plenary_without_javascript_reloads_only_when_following_the_committee(client, base_url):
    html = client.get(base_url + "plenary/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="15"></noscript>' in html
    assert f'data-state-url="{base_url}plenary/current/"' in html
    assert 'data-committee-key=""' in html
    html = client.get(base_url + "plenary/?p=3").content.decode()
    assert "http-equiv" not in html
