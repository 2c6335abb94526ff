"""Amendments are shown against the paragraph they change, and every page names a paragraph the
same way: its printed number in a named version. On the demo's Tokyo statement."""

import pytest
from django.contrib.auth import get_user_model

from statements.models import Amendment

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/statement/"


@pytest.fixture
def tokyo_delegate(client):
    user = get_user_model().objects.get(username="tokyo-delegate-1")
    client.force_login(user)
    return user


def _amendment(paragraph_key):
    return Amendment.objects.get(
        statement__edition__slug="2009-tokyo", paragraph__key=paragraph_key
    )


def test_paragraph_page_is_named_by_its_number_in_the_version_shown(client, tokyo_delegate):
    # Paragraph 5 of the draft was left out of version 2: the key 6 is printed as 5 there.
    html = client.get(BASE + "paragraphs/6/").content.decode()
    assert "<h1>Paragraph 5 of version 2</h1>" in html
    assert "<title>Paragraph 5 of version 2 · Tokyo Statement of Commitment" in html


def test_amendment_on_its_paragraph_page_shows_its_diff(client, tokyo_delegate):
    amendment = _amendment(3)
    html = client.get(BASE + "paragraphs/3/").content.decode()
    assert f"Amendment {amendment.pk}: a new wording of paragraph 3 of version 1" in html
    assert (
        "leaves the poor, the elderly<ins>, the handicapped</ins> and the unemployed without "
        "protection<ins>, in Asia as elsewhere</ins>." in html
    )


def test_response_table_shows_each_amendment_against_the_text_it_changed(client):
    html = client.get(BASE + "responses/").content.decode()
    deleted = _amendment(5)
    assert "Proposed change" in html
    assert "Current text" not in html
    # Paragraph 5 of the draft, gone from the adopted version.
    row = html[html.index(f'id="amendment-{deleted.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Paragraph 5 of version 1" in row
    assert "not in version 2" in row
    assert "Solidarity economy initiatives <del>remain</del><ins>are</ins> <del>small</del>" in row
    # A new paragraph after paragraph 9 of the draft is wholly added.
    new = Amendment.objects.get(statement__edition__slug="2009-tokyo", kind="new_paragraph")
    row = html[html.index(f'id="amendment-{new.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "new, after paragraph 9 of version 1" in row
    assert (
        "<ins>We commit to the responsible stewardship of natural resources, and to local and "
        "grassroots development.</ins>" in row
    )


def test_committee_sees_the_diff_of_pending_amendments(client):
    committee = get_user_model().objects.get(username="kl-drafting")
    client.force_login(committee)
    amendment = Amendment.objects.get(statement__edition__slug="2011-malaysia", paragraph__key=4)
    html = client.get("/2011-malaysia/statement/committee/").content.decode()
    assert "paragraph 4 of version 1" in html
    assert "most of our members<ins>, and the informal workers among them,</ins> still" in html
    html = client.get(f"/2011-malaysia/statement/committee/amendments/{amendment.pk}/").content
    assert "most of our members<ins>, and the informal workers among them,</ins> still" in (
        html.decode()
    )
