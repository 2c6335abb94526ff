"""The review list, the dashboard and its export answer in the same number of queries whatever
the number of proposals, reviewers and reviews."""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cfp.models import Review, ReviewAssignment
from tests.factories import OrganizationFactory
from tests.factories.cfp import ProposalFactory, reviewer


def _fill(edition, proposals: int, reviewers: int) -> None:
    people = [reviewer(edition, username=f"q-reviewer-{edition.pk}-{n}") for n in range(reviewers)]
    org = OrganizationFactory()
    for n in range(proposals):
        proposal = ProposalFactory(edition=edition, title=f"Q{n}")
        proposal.organizations.add(org)
        for person in people[:3]:
            ReviewAssignment.objects.create(proposal=proposal, reviewer=person)
            Review.objects.create(proposal=proposal, reviewer=person, weighted_score=Decimal(n % 5))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_review_list_queries_do_not_grow(client, call, edition, reviewer_user, base_url):
    client.force_login(reviewer_user)
    _fill(edition, proposals=2, reviewers=2)
    small = _count(client, base_url + "review/")
    _fill(edition, proposals=25, reviewers=4)
    large = _count(client, base_url + "review/")
    assert large == small


def test_dashboard_and_export_queries_do_not_grow(client, call, edition, organizer_user, base_url):
    client.force_login(organizer_user)
    _fill(edition, proposals=2, reviewers=2)
    small = _count(client, base_url + "committee/")
    small_csv = _count(client, base_url + "committee/export/")
    _fill(edition, proposals=25, reviewers=4)
    from cfp.models import Proposal
    from cfp.services.decisions import decide_proposals

    decide_proposals(
        edition=edition,
        proposal_ids=list(
            Proposal.objects.filter(edition=edition).values_list("pk", flat=True)[:10]
        ),
        decision="accepted",
        decided_by=organizer_user,
    )
    large = _count(client, base_url + "committee/")
    large_csv = _count(client, base_url + "committee/export/")
    assert (large, large_csv) == (small, small_csv)


def test_long_lists_are_shown_a_page_at_a_time(
    client, call, edition, reviewer_user, organizer_user, base_url, monkeypatch
):
    monkeypatch.setattr("cfp.paging.PER_PAGE", 10)
    _fill(edition, proposals=25, reviewers=2)
    client.force_login(reviewer_user)
    first = client.get(base_url + "review/").content.decode()
    assert "Page 1 of 3 (25 proposals)" in first
    assert len(re.findall(r'href="/2009-tokyo/cfp/review/\d+/"', first)) == 10
    last = client.get(base_url + "review/?page=3").content.decode()
    assert len(re.findall(r'href="/2009-tokyo/cfp/review/\d+/"', last)) == 5
    client.force_login(organizer_user)
    board = client.get(base_url + "committee/?sort=title&page=2").content.decode()
    assert "Page 2 of 3 (25 proposals)" in board
    assert "sort=title&amp;page=3" in board
    assert board.count('name="proposals" value=') == 10
