"""The review list, the dashboard and its export answer in the same number of queries whatever
the number of proposals, reviewers and reviews (with filters and every sort), and show a page
at a time, paged in SQL."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cfp.models import Proposal, ProposalType, Review, ReviewAssignment
from cfp.services.decisions import decide_proposals
from cfp.services.exports import write_proposal_export
from tests.factories import OrganizationFactory
from tests.factories.cfp import ProposalFactory, reviewer
from tests.factories.programme import TrackFactory

DASHBOARD_QUERIES = (
    "",
    "?sort=score",
    "?sort=-score",
    "?sort=-reviews",
    "?sort=title&page=2",
    "?sort=submitted&language=ms&country=MY",
    "?state=accepted&sort=reviews",
)


def _fill(edition, proposals: int, reviewers: int, *, track=None) -> None:
    people = [
        reviewer(edition, username=f"q-reviewer-{edition.pk}-{reviewers}-{n}")
        for n in range(reviewers)
    ]
    org = OrganizationFactory()
    panel = ProposalType.objects.get(edition=edition, name="Panel")
    workshop = ProposalType.objects.get(edition=edition, name="Workshop")
    start = Proposal.objects.filter(edition=edition).count()
    for n in range(start, start + proposals):
        proposal = ProposalFactory(
            edition=edition,
            title=f"Q{n}",
            track=track,
            proposal_type=panel if n % 2 else workshop,
            language="ms" if n % 3 == 0 else "en",
            country="MY" if n % 3 == 0 else "JP",
        )
        proposal.organizations.add(org)
        for person in people[:3]:
            ReviewAssignment.objects.create(proposal=proposal, reviewer=person)
            Review.objects.create(proposal=proposal, reviewer=person, weighted_score=Decimal(n % 5))


def _count(client, url) -> int:
    """The queries of `url` asked a second time: the first visit of an address routes it and
    reads the site header (then kept in the cache until a page changes: cms/routing.py,
    cms/chrome.py), which no amount of proposals changes."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _accept_some(edition, organizer_user, count: int) -> None:
    decide_proposals(
        edition=edition,
        proposal_ids=list(
            Proposal.objects.filter(edition=edition)
            .order_by("pk")
            .values_list("pk", flat=True)[:count]
        ),
        decision="accepted",
        decided_by=organizer_user,
    )


def test_review_list_queries_do_not_grow(client, call, edition, reviewer_user, base_url):
    client.force_login(reviewer_user)
    urls = ("review/", "review/?mine=1", "review/?page=2")

    def assign_to_me() -> None:
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(proposal=p, reviewer=reviewer_user)
            for p in Proposal.objects.filter(edition=edition).exclude(
                assignments__reviewer=reviewer_user
            )
        )

    _fill(edition, proposals=5, reviewers=2)
    assign_to_me()
    small = [_count(client, base_url + url) for url in urls]
    _fill(edition, proposals=40, reviewers=4)
    assign_to_me()
    large = [_count(client, base_url + url) for url in urls]
    assert large == small


def test_dashboard_queries_do_not_grow_with_filters_and_sorts(
    client, call, edition, organizer_user, base_url
):
    track = TrackFactory(edition=edition)
    client.force_login(organizer_user)
    _fill(edition, proposals=5, reviewers=2, track=track)
    _accept_some(edition, organizer_user, 2)
    urls = [*DASHBOARD_QUERIES, f"?track={track.pk}&type={call.edition.proposal_types.first().pk}"]
    small = [_count(client, base_url + "committee/" + url) for url in urls]
    _fill(edition, proposals=40, reviewers=4, track=track)
    _accept_some(edition, organizer_user, 30)
    large = [_count(client, base_url + "committee/" + url) for url in urls]
    assert large == small


def test_export_queries_do_not_grow(
    client, call, edition, organizer_user, base_url, django_capture_on_commit_callbacks
):
    client.force_login(organizer_user)

    def export_queries() -> tuple[int, int]:
        with (
            django_capture_on_commit_callbacks(execute=False),
            CaptureQueriesContext(connection) as request_queries,
        ):
            response = client.post(base_url + "committee/export/?sort=title")
        assert response.status_code == 302
        export_id = int(re.search(r"/exports/(\d+)/$", response["Location"]).group(1))
        with CaptureQueriesContext(connection) as task_queries:
            assert write_proposal_export(export_id=export_id) == "done"
        return len(request_queries), len(task_queries)

    _fill(edition, proposals=5, reviewers=2)
    export_queries()  # routed: then from the call page's entry in the route cache (cms/routing.py)
    small = export_queries()
    _fill(edition, proposals=40, reviewers=4)
    large = export_queries()
    assert large == small


def test_long_lists_are_shown_a_page_at_a_time(
    client, call, edition, reviewer_user, organizer_user, base_url, monkeypatch
):
    monkeypatch.setattr("cfp.paging.PER_PAGE", 10)
    _fill(edition, proposals=25, reviewers=2)
    client.force_login(reviewer_user)
    first = client.get(base_url + "review/").content.decode()
    assert "Page 1 of 3 (25 proposals)" in first
    assert len(re.findall(r'href="/2009-tokyo/cfp/review/\d+/"', first)) == 10
    assert 'rel="prev"' not in first
    assert 'href="?page=2" rel="next"' in first
    last = client.get(base_url + "review/?page=3").content.decode()
    assert len(re.findall(r'href="/2009-tokyo/cfp/review/\d+/"', last)) == 5
    assert 'href="?page=2" rel="prev"' in last
    assert 'rel="next"' not in last
    beyond = client.get(base_url + "review/?page=99").content.decode()
    assert "Page 3 of 3 (25 proposals)" in beyond
    client.force_login(organizer_user)
    board = client.get(base_url + "committee/?sort=title&page=2").content.decode()
    assert "Page 2 of 3 (25 proposals)" in board
    assert 'href="?sort=title&amp;page=1" rel="prev"' in board
    assert 'href="?sort=title&amp;page=3" rel="next"' in board
    assert board.count('name="proposals" value=') == 10
    # Sorted by title in SQL: Q0, Q1, Q10…Q19, Q2, Q20…; page 2 holds the 11th to 20th.
    titles = re.findall(r'<label for="decide-\d+">(Q\d+)</label>', board)
    assert titles == sorted(f"Q{n}" for n in range(25))[10:20]


def test_filters_count_only_what_they_keep(client, call, edition, organizer_user, base_url):
    _fill(edition, proposals=25, reviewers=2)
    client.force_login(organizer_user)
    malay = client.get(base_url + "committee/?language=ms").content.decode()
    # Q0, Q3, … Q24: every third proposal is in Malay (fewer than a page: no page links).
    assert malay.count('name="proposals" value=') == 9
    assert 'class="pagination"' not in malay
    nothing = client.get(base_url + "committee/?language=ms&country=JP").content.decode()
    assert "No proposals." in nothing
    assert 'name="proposals" value=' not in nothing
    assert 'class="pagination"' not in nothing


def test_dashboard_sorts_by_mean_weighted_score_in_sql(
    client, call, edition, organizer_user, base_url
):
    people = [reviewer(edition, username=f"score-reviewer-{n}") for n in range(3)]
    scores = {"Low": ["1.00", "2.00"], "High": ["5.00", "4.00", "4.50"], "Middle": ["3.00"]}
    for title, values in scores.items():
        proposal = ProposalFactory(edition=edition, title=title)
        for person, value in zip(people, values, strict=False):
            Review.objects.create(proposal=proposal, reviewer=person, weighted_score=Decimal(value))
    ProposalFactory(edition=edition, title="Unreviewed")
    client.force_login(organizer_user)

    def order(sort: str) -> list[str]:
        html = client.get(f"{base_url}committee/?sort={sort}").content.decode()
        return re.findall(r'<label for="decide-\d+">(\w+)</label>', html)

    # Unreviewed proposals come last either way.
    assert order("score") == ["High", "Middle", "Low", "Unreviewed"]
    assert order("-score") == ["Low", "Middle", "High", "Unreviewed"]
    assert order("-reviews")[:3] == ["High", "Low", "Middle"]
    html = client.get(f"{base_url}committee/?sort=score").content.decode()
    assert "<td>4.50</td>" in html  # (5 + 4 + 4.5) / 3
    assert "<td>3 / 0</td>" in html  # three reviews, none assigned


@pytest.mark.postgres
def test_dashboard_page_and_count_are_limited_in_sql(
    client, call, edition, organizer_user, base_url, monkeypatch
):
    monkeypatch.setattr("cfp.paging.PER_PAGE", 10)
    _fill(edition, proposals=25, reviewers=2)
    client.force_login(organizer_user)
    with CaptureQueriesContext(connection) as queries:
        client.get(base_url + "committee/?page=2")
    proposal_queries = [
        q["sql"] for q in queries if 'FROM "cfp_proposal"' in q["sql"] and "cfp_review" in q["sql"]
    ]
    assert any("LIMIT 10 OFFSET 10" in sql for sql in proposal_queries)
    assert any(
        sql.startswith('SELECT COUNT(*) AS "__count" FROM "cfp_proposal"')
        for sql in (q["sql"] for q in queries)
    )
