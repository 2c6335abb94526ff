"""Each statement page runs the same number of queries for 3 paragraphs and a handful of
comments as for 60 paragraphs and 3,000 comments and amendments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.pagecache import bump_pages_version
from statements.enums import AmendmentKind, AmendmentStatus
from statements.enums import StatementState as S
from statements.models import Amendment, AmendmentSupport, Comment, Paragraph, Report
from statements.services.versions import create_version, version_source
from tests.factories.statements import delegate, make_statement


def _build(edition, committee_user, *, paragraphs: int, comments: int, amendments: int):
    """A statement with two versions (the second published), comments, replies, amendments
    (some answered and taken in), supports and reports."""
    statement = make_statement(
        edition, paragraphs=paragraphs, state=S.COMMENTS_CLOSED, author=committee_user
    )
    v1 = statement.versions.get(number=1)
    people = [delegate(edition) for _ in range(4)]
    paragraph_rows = list(Paragraph.objects.filter(statement=statement).order_by("key"))
    top = Comment.objects.bulk_create(
        Comment(
            statement=statement,
            version=v1,
            paragraph=paragraph_rows[i % len(paragraph_rows)] if i % 10 else None,
            author=people[i % 4],
            body=f"Comment {i} with **Markdown**",
        )
        for i in range(comments // 2)
    )
    if top[0].pk is None:
        top = list(Comment.objects.filter(statement=statement).order_by("pk"))
    Comment.objects.bulk_create(
        Comment(
            statement=statement,
            version=v1,
            paragraph=parent.paragraph,
            parent=parent,
            author=people[(i + 1) % 4],
            body=f"Reply {i}",
        )
        for i, parent in enumerate(top[: comments - len(top)])
    )
    Report.objects.bulk_create(
        Report(comment=c, reporter=people[(i + 2) % 4], reason="Off topic")
        for i, c in enumerate(top[::7])
    )
    statuses = [AmendmentStatus.PENDING, AmendmentStatus.ACCEPTED, AmendmentStatus.NOT_ACCEPTED]
    rows = Amendment.objects.bulk_create(
        Amendment(
            statement=statement,
            version=v1,
            kind=AmendmentKind.REPLACE if i % 5 else AmendmentKind.NEW_PARAGRAPH,
            paragraph=paragraph_rows[i % len(paragraph_rows)] if i % 5 else None,
            after_paragraph=None if i % 5 else paragraph_rows[i % len(paragraph_rows)],
            author=people[i % 4],
            text=f"Amended text {i}",
            rationale="Because.",
            status=statuses[i % 3],
            answer="" if i % 3 == 0 else "Reason.",
        )
        for i in range(amendments)
    )
    if rows[0].pk is None:
        rows = list(Amendment.objects.filter(statement=statement).order_by("pk"))
    AmendmentSupport.objects.bulk_create(
        AmendmentSupport(amendment=a, user=people[j]) for a in rows[::2] for j in range(2)
    )
    source = version_source(v1).replace("We commit to", "We firmly commit to")
    accepted = [a.pk for a in rows if a.status == AmendmentStatus.ACCEPTED]
    create_version(
        statement=statement, actor=committee_user, source=source, taken_amendment_ids=accepted
    )
    statement.versions.filter(number=2).update(published_at=v1.created_at)
    return statement, people[0]


PAGES = [
    "",
    "paragraphs/2/",
    "general/",
    "changes/",
    "responses/",
    "discussion/",
    "discussion/?sort=supported&paragraph=2",
    "discussion/?answer=accepted&sort=paragraph",
    "committee/",
    "moderation/",
]
DELEGATE_PAGES = PAGES[:8]


def _count(client, url) -> tuple[int, int]:
    """The queries of `url` routed afresh (the pages version moved on: Wagtail's routing and the
    site header are read again, as for the first visitor of an address after a page changed),
    then of the same address again (the route and the header from the cache), and the size
    of its body."""
    bump_pages_version()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200, url
    return (len(queries), len(again)), len(response.content)


@pytest.mark.parametrize("viewer", ["delegate", "organizer"])
def test_statement_pages_run_constant_queries(client, edition, committee_user, base_url, viewer):
    from tests.factories.statements import person_with_role

    _small, reader = _build(edition, committee_user, paragraphs=3, comments=6, amendments=4)
    if viewer == "organizer":
        reader = person_with_role(edition, "organizer")
    client.force_login(reader)
    pages = PAGES if viewer == "organizer" else DELEGATE_PAGES
    small_counts = {page: _count(client, base_url + page) for page in pages}

    large, reader2 = _build(edition, committee_user, paragraphs=60, comments=2400, amendments=600)
    assert Comment.objects.filter(statement=large).count() == 2400
    assert Amendment.objects.filter(statement=large).count() == 600
    if viewer == "organizer":
        reader2 = reader
    client.force_login(reader2)
    large_counts = {page: _count(client, base_url + page) for page in pages}
    assert {p: c[0] for p, c in large_counts.items()} == {p: c[0] for p, c in small_counts.items()}
    assert large_counts[""][1] > small_counts[""][1]
    expected = EXPECTED[viewer]
    assert {p: c[0][0] for p, c in large_counts.items()} == {p: expected[p] for p in pages}
    # Routed from the cache: Wagtail's walk of the tree, the page's view restrictions and the
    # header's menus and translations are not read again.
    assert {p: c[0][1] for p, c in large_counts.items()} == {
        p: expected[p] - ROUTED[viewer].get(p, ROUTED[viewer]["*"]) for p in pages
    }


# Queries of a page routed afresh. About twenty of these are Wagtail's routing, the session and
# the site header (the language switcher finds the home pages of languages the page lacks in
# one query).
EXPECTED = {
    # The amendments' diffs take one query (the texts they change) where amendments are shown.
    # The text asks which languages the statement is translated into (one query); the
    # committee's page counts what each language's translation holds (two).
    "delegate": {
        "": 29,
        "paragraphs/2/": 29,
        "general/": 28,
        "changes/": 28,
        "responses/": 28,
        "discussion/": 29,
        "discussion/?sort=supported&paragraph=2": 29,
        "discussion/?answer=accepted&sort=paragraph": 28,
    },
    # Organizers are not delegates by role: one more query looks for a drafting registration.
    "organizer": {
        "": 30,
        "paragraphs/2/": 30,
        "general/": 29,
        "changes/": 29,
        "responses/": 29,
        "discussion/": 30,
        "discussion/?sort=supported&paragraph=2": 30,
        "discussion/?answer=accepted&sort=paragraph": 29,
        "committee/": 32,
        "moderation/": 28,
    },
}


# What the route cache and the header's cache (cms/routing.py, cms/chrome.py) save when the
# address was routed before: "*" for every page but those named. (The menu's three "has
# something to show" questions are among them.)
ROUTED = {
    "delegate": {"*": 20},
    "organizer": {"*": 20},
}


def test_public_adopted_statement_runs_constant_queries(client, edition, committee_user, base_url):
    from statements.models import Statement

    _build(edition, committee_user, paragraphs=3, comments=6, amendments=4)
    Statement.objects.filter(edition=edition).update(state=S.ADOPTED)
    small = {page: _count(client, base_url + page)[0] for page in ("", "changes/", "responses/")}
    _build(edition, committee_user, paragraphs=60, comments=2400, amendments=600)
    Statement.objects.filter(edition=edition).update(state=S.ADOPTED)
    large = {page: _count(client, base_url + page)[0] for page in ("", "changes/", "responses/")}
    # The statement page lists the signatories once adopted (one query); the response table
    # reads the texts the amendments change (one query). Routed afresh, then from the cache.
    assert small == large == {"": (25, 5), "changes/": (25, 5), "responses/": (25, 5)}
