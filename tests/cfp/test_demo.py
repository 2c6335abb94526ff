from django.conf import settings

from cfp.enums import ProposalState
from cfp.models import Call, Proposal, Review
from forum.models import Edition


def test_demo_malaysia_has_an_open_call_with_proposals_in_several_states_and_languages(db):
    edition = Edition.objects.get(slug="2011-malaysia")
    call = Call.objects.get(edition=edition)
    assert call.is_open()
    proposals = Proposal.objects.filter(edition=edition)
    assert proposals.count() == 40
    states = set(proposals.values_list("state", flat=True))
    assert states == set(ProposalState.values)
    assert len(set(proposals.values_list("language", flat=True))) >= 6
    assert Review.objects.filter(proposal__edition=edition).count() > 10
    accepted = proposals.filter(state=ProposalState.ACCEPTED)
    assert all(p.session_id for p in accepted)


def _log_in(client, username):
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": settings.DEMO_ADMIN_PASSWORD},
    )
    assert response.status_code == 302, username


def test_demo_submitter_and_reviewer_log_in_and_see_their_pages(client, db):
    _log_in(client, "malaysia-submitter")
    page = client.get("/2011-malaysia/cfp/").content.decode()
    assert "My proposals" in page
    client.logout()
    _log_in(client, "malaysia-reviewer")
    response = client.get("/2011-malaysia/cfp/review/")
    assert response.status_code == 200
    assert "Workshop" in response.content.decode()
