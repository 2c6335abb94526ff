import datetime

import pytest
from django.utils import timezone

from cfp.enums import ProposalState
from cfp.models import Proposal, ProposalType, Review, ReviewCriterion, ReviewerProfile
from cfp.pages import CallPage
from tests.factories import OrganizationFactory
from tests.factories.cfp import ProposalFactory
from tests.factories.programme import TrackFactory


def _form(edition, **overrides):
    workshop = ProposalType.objects.get(edition=edition, name="Workshop")
    data = {
        "title": "Solidarity finance for women's groups",
        "proposal_type": workshop.pk,
        "duration": 90,
        "abstract": "Self-help groups and their savings.",
        "description": "",
        "language": "en",
        "interpretation_languages": "ja",
        "expected_participants": 25,
        "country": "MY",
    }
    data.update(overrides)
    return data


def test_every_language_has_the_call_page(edition):
    pages = CallPage.objects.filter(edition=edition)
    assert sorted(p.locale.language_code for p in pages) == ["en", "ja"]
    assert {p.slug for p in pages} == {"cfp"}


def test_the_call_page_answers_404_without_a_call(client, edition, base_url):
    assert client.get(base_url).status_code == 404


def test_the_call_page_shows_the_call_and_is_in_the_sitemap(client, call, base_url):
    response = client.get(base_url)
    assert response.status_code == 200
    assert "Propose a session" in response.content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/2009-tokyo/cfp/</loc>" in sitemap


def test_the_call_page_in_japanese(client, call, edition):
    response = client.get("/ja/2009-tokyo/cfp/")
    assert response.status_code == 200
    assert "ワークショップ" in response.content.decode()


def test_new_proposal_needs_a_login(client, call, base_url):
    response = client.get(base_url + "new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_submitter_creates_edits_and_submits_a_draft(client, call, edition, submitter, base_url):
    client.force_login(submitter)
    org = OrganizationFactory(name="Sisters Savings Group")
    response = client.post(base_url + "new/", _form(edition, organizations=[org.pk]))
    proposal = Proposal.objects.get(edition=edition, submitter=submitter)
    assert response["Location"] == f"{base_url}proposals/{proposal.pk}/"
    assert (proposal.state, proposal.language, proposal.country.code) == ("draft", "en", "MY")
    assert list(proposal.organizations.all()) == [org]
    response = client.post(
        f"{base_url}proposals/{proposal.pk}/edit/", _form(edition, title="A better title")
    )
    assert response.status_code == 302
    client.post(f"{base_url}proposals/{proposal.pk}/submit/")
    proposal.refresh_from_db()
    assert (proposal.title, proposal.state) == ("A better title", "submitted")
    page = client.get(f"{base_url}proposals/{proposal.pk}/").content.decode()
    assert "A better title" in page
    assert "Submitted" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("proposal_type", 999999, "Select a valid choice"),
        ("track", 999999, "Select a valid choice"),
        ("abstract", "x" * 1501, "at most 1500 characters"),
        ("duration", 60, "takes"),  # a panel takes 90 minutes only
        ("interpretation_languages", "ja, <script>", "is not a language code"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, call, edition, submitter, base_url, field, value, message
):
    client.force_login(submitter)
    data = _form(edition, **{field: value})
    if field == "duration":
        data["proposal_type"] = ProposalType.objects.get(edition=edition, name="Panel").pk
    response = client.post(base_url + "new/", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "nothing was saved" in content
    assert message in content
    assert not Proposal.objects.filter(edition=edition).exists()


def test_a_track_of_another_edition_is_refused(
    client, call, edition, other_edition, submitter, base_url
):
    client.force_login(submitter)
    foreign = TrackFactory(edition=other_edition)
    response = client.post(base_url + "new/", _form(edition, track=foreign.pk))
    assert "Select a valid choice" in response.content.decode()
    assert not Proposal.objects.filter(edition=edition).exists()


def test_after_the_deadline_the_form_is_refused(client, call, edition, submitter, base_url):
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    client.force_login(submitter)
    response = client.post(base_url + "new/", _form(edition), follow=True)
    assert "The call for proposals is closed." in response.content.decode()
    assert not Proposal.objects.filter(edition=edition).exists()


def test_a_submitter_never_reaches_another_persons_proposal(
    client, call, edition, submitter, other_submitter, base_url
):
    theirs = ProposalFactory(edition=edition, submitter=other_submitter, state="draft")
    client.force_login(submitter)
    for suffix, method in [
        ("", "get"),
        ("edit/", "get"),
        ("edit/", "post"),
        ("submit/", "post"),
        ("withdraw/", "post"),
        ("invite/", "post"),
    ]:
        response = getattr(client, method)(f"{base_url}proposals/{theirs.pk}/{suffix}")
        assert response.status_code == 404, suffix
    theirs.refresh_from_db()
    assert theirs.state == "draft"


def test_a_confirmed_co_speaker_sees_the_proposal_but_cannot_change_it(
    client, call, edition, submitter, other_submitter, base_url
):
    from cfp.services.proposals import confirm_speaker, invite_speaker

    proposal = ProposalFactory(edition=edition, submitter=other_submitter, state="draft")
    speaker = invite_speaker(proposal=proposal, name="Co", email=submitter.email, language="en")
    client.force_login(submitter)
    response = client.get(f"{base_url}speaker/{speaker.token}/")
    assert response.status_code == 200
    client.post(
        f"{base_url}speaker/{speaker.token}/",
        {"name": "Co Speaker", "name_native": "共同", "bio": "Organizer."},
    )
    speaker.refresh_from_db()
    assert (speaker.user, speaker.name_native) == (submitter, "共同")
    assert client.get(f"{base_url}proposals/{proposal.pk}/").status_code == 200
    assert client.get(f"{base_url}proposals/{proposal.pk}/edit/").status_code == 404
    assert confirm_speaker  # the service the view calls


def test_invite_sends_an_email_through_the_outbox(client, call, edition, submitter, base_url):
    from mail.models import OutboxEmail

    proposal = ProposalFactory(edition=edition, submitter=submitter, state="draft")
    client.force_login(submitter)
    client.post(
        f"{base_url}proposals/{proposal.pk}/invite/",
        {"name": "Lee", "email": "lee@example.org", "language": "en"},
    )
    email = OutboxEmail.objects.get(kind="cfp_speaker_invite")
    assert email.to_email == "lee@example.org"
    assert "/2009-tokyo/cfp/speaker/" in email.body_text


# Reviewers ----------------------------------------------------------------------------------


def test_review_pages_are_for_the_programme_committee_only(
    client, call, edition, submitter, organizer_user, base_url
):
    assert client.get(base_url + "review/").status_code == 302
    client.force_login(submitter)
    assert client.get(base_url + "review/").status_code == 403
    assert client.get(base_url + "committee/").status_code == 403
    client.force_login(organizer_user)
    assert client.get(base_url + "review/").status_code == 403
    assert client.get(base_url + "committee/").status_code == 200


def test_a_reviewer_of_another_edition_sees_nothing_here(client, call, other_edition, base_url):
    from tests.factories.cfp import reviewer

    outsider = reviewer(other_edition, username="manila-reviewer")
    client.force_login(outsider)
    assert client.get(base_url + "review/").status_code == 403


def test_review_list_hides_drafts_and_conflicts(client, call, edition, reviewer_user, base_url):
    org = OrganizationFactory(name="Reviewer's Own Co-op")
    ReviewerProfile.objects.create(edition=edition, user=reviewer_user, organization=org)
    visible = ProposalFactory(edition=edition, title="Visible one")
    ProposalFactory(edition=edition, title="Still a draft", state="draft")
    conflicted = ProposalFactory(edition=edition, title="Own organization's")
    conflicted.organizations.add(org)
    client.force_login(reviewer_user)
    content = client.get(base_url + "review/").content.decode()
    assert "Visible one" in content
    assert "Still a draft" not in content
    assert "Own organization&#x27;s" not in content
    assert client.get(f"{base_url}review/{conflicted.pk}/").status_code == 404
    assert client.get(f"{base_url}review/{visible.pk}/").status_code == 200


def test_anonymised_review_shows_no_names(client, call, edition, reviewer_user, base_url):
    call.anonymised_review = True
    call.save()
    org = OrganizationFactory(name="Hidden Cooperative Federation")
    proposal = ProposalFactory(edition=edition, title="Anonymous idea")
    proposal.organizations.add(org)
    client.force_login(reviewer_user)
    for url in (base_url + "review/", f"{base_url}review/{proposal.pk}/"):
        content = client.get(url).content.decode()
        assert "Anonymous idea" in content
        assert proposal.submitter.username not in content
        assert "Hidden Cooperative Federation" not in content


def test_reviewer_scores_a_proposal(client, call, edition, reviewer_user, base_url):
    proposal = ProposalFactory(edition=edition)
    criteria = list(ReviewCriterion.objects.filter(edition=edition))
    client.force_login(reviewer_user)
    data = {f"score_{c.pk}": 4 for c in criteria}
    data["comment_committee"] = "Good"
    response = client.post(f"{base_url}review/{proposal.pk}/", data)
    assert response.status_code == 302
    review = Review.objects.get(proposal=proposal, reviewer=reviewer_user)
    assert (str(review.weighted_score), review.comment_committee) == ("4.00", "Good")


def test_a_score_out_of_range_is_refused(client, call, edition, reviewer_user, base_url):
    proposal = ProposalFactory(edition=edition)
    criteria = list(ReviewCriterion.objects.filter(edition=edition))
    client.force_login(reviewer_user)
    data = {f"score_{c.pk}": 9 for c in criteria}
    response = client.post(f"{base_url}review/{proposal.pk}/", data)
    assert "nothing was saved" in response.content.decode()
    assert not Review.objects.filter(proposal__edition=edition).exists()


# The committee ------------------------------------------------------------------------------


def test_committee_decides_in_bulk_and_sends_after_reading(
    client, call, edition, organizer_user, base_url, django_capture_on_commit_callbacks
):
    from mail.models import OutboxEmail

    first = ProposalFactory(edition=edition, title="First")
    second = ProposalFactory(edition=edition, title="Second")
    client.force_login(organizer_user)
    client.post(
        base_url + "committee/decide/",
        {"decision": "accepted", "proposals": [first.pk, second.pk]},
    )
    assert set(
        Proposal.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    ) == {ProposalState.ACCEPTED}
    assert not OutboxEmail.objects.filter(kind="cfp_decision").exists()
    preview = client.get(base_url + "committee/emails/").content.decode()
    assert "Your proposal is accepted: First" in preview
    # The submitter's status page does not tell the decision before the email.
    client.force_login(first.submitter)
    assert "Accepted" not in client.get(f"{base_url}proposals/{first.pk}/").content.decode()
    client.force_login(organizer_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base_url + "committee/emails/")
    assert OutboxEmail.objects.filter(kind="cfp_decision").count() == 2


def test_decisions_on_another_editions_proposals_are_ignored(
    client, call, edition, other_edition, organizer_user, base_url
):
    ProposalType.objects.create(edition=other_edition, name="Workshop", durations="90")
    foreign = ProposalFactory(edition=other_edition)
    client.force_login(organizer_user)
    response = client.post(
        base_url + "committee/decide/", {"decision": "accepted", "proposals": [foreign.pk]}
    )
    assert response.status_code == 302
    foreign.refresh_from_db()
    assert foreign.state == "submitted"


def test_dashboard_filters(client, call, edition, organizer_user, base_url):
    ProposalFactory(edition=edition, title="=HYPERLINK(1)", language="ja", country="JP")
    ProposalFactory(edition=edition, title="Korean proposal", language="ko", country="KR")
    client.force_login(organizer_user)
    content = client.get(base_url + "committee/?language=ko").content.decode()
    assert "Korean proposal" in content
    assert "HYPERLINK" not in content
    assert "<td>Korean</td>" in content
    # The export button keeps the filters.
    assert 'action="/2009-tokyo/cfp/committee/export/?language=ko"' in content


def test_dashboard_shows_reviewers_progress_and_the_balance(
    client, call, edition, organizer_user, base_url
):
    from cfp.models import ReviewAssignment
    from cfp.services.decisions import decide_proposals
    from tests.factories.cfp import reviewer

    first = reviewer(edition, username="progress-a")
    second = reviewer(edition, username="progress-b")
    org = OrganizationFactory(name="Balance Co-op", kind="cooperative")
    proposals = [
        ProposalFactory(edition=edition, title=f"Balanced {n}", language=language, country=country)
        for n, (language, country) in enumerate([("ja", "JP"), ("ja", "JP"), ("ko", "KR")])
    ]
    proposals[0].organizations.add(org)
    for proposal in proposals:
        ReviewAssignment.objects.create(proposal=proposal, reviewer=first)
    ReviewAssignment.objects.create(proposal=proposals[0], reviewer=second)
    Review.objects.create(proposal=proposals[0], reviewer=first)
    Review.objects.create(proposal=proposals[1], reviewer=second)  # not assigned to them
    decide_proposals(
        edition=edition,
        proposal_ids=[p.pk for p in proposals],
        decision="accepted",
        decided_by=organizer_user,
    )
    client.force_login(organizer_user)
    html = client.get(base_url + "committee/").content.decode()
    # Assigned, assigned and reviewed, all reviews, progress.
    assert "<td>progress-a</td><td>3</td><td>1</td><td>1</td><td>33 %</td>" in html
    assert "<td>progress-b</td><td>1</td><td>0</td><td>1</td><td>0 %</td>" in html
    assert "<li>Japan: 2</li><li>South Korea: 1</li>" in html
    assert "<li>Japanese: 2</li><li>Korean: 1</li>" in html
    assert "<li>Cooperative: 1</li>" in html
    assert "<li>—: 3</li>" in html  # no track


def test_manual_assignment_refuses_a_conflict(
    client, call, edition, organizer_user, reviewer_user, base_url
):
    from cfp.models import ReviewAssignment

    proposal = ProposalFactory(edition=edition, submitter=reviewer_user)
    client.force_login(organizer_user)
    response = client.post(
        base_url + "committee/assign/",
        {"action": "add", "proposal": proposal.pk, "reviewer": reviewer_user.pk},
        follow=True,
    )
    assert "conflict of interest" in response.content.decode()
    assert not ReviewAssignment.objects.filter(proposal__edition=edition).exists()


def test_malaysia_menu_and_sitemap_lead_to_its_open_call(client, db):
    html = client.get("/2011-malaysia/").content.decode()
    nav = html[html.index('<nav class="edition-nav"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'href="/2011-malaysia/cfp/"' in nav
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/2011-malaysia/cfp/</loc>" in sitemap
    assert "/ja/2011-malaysia/cfp/</loc>" in sitemap
    assert client.get("/ja/2011-malaysia/cfp/").status_code == 200


def test_a_personal_late_link_opens_the_form_after_the_deadline(
    client, call, edition, submitter, base_url
):
    from cfp.models import LateSubmissionLink

    call.closes_at = timezone.now() - datetime.timedelta(days=1)
    call.save()
    link = LateSubmissionLink.objects.create(
        call=call, label="Ms Tan", valid_until=timezone.now() + datetime.timedelta(days=1)
    )
    client.force_login(submitter)
    assert client.get(base_url + "new/").status_code == 302  # closed
    response = client.get(f"{base_url}late/{link.token}/")
    assert response["Location"] == base_url + "new/"
    response = client.post(base_url + "new/", _form(edition))
    proposal = Proposal.objects.get(edition=edition, submitter=submitter)
    assert (response.status_code, proposal.late_link) == (302, link)


def test_an_expired_late_link_opens_nothing(client, call, edition, submitter, base_url):
    from cfp.models import LateSubmissionLink

    call.closes_at = timezone.now() - datetime.timedelta(days=1)
    call.save()
    link = LateSubmissionLink.objects.create(
        call=call, label="Late", valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(submitter)
    response = client.get(f"{base_url}late/{link.token}/", follow=True)
    assert "not valid" in response.content.decode()
    client.post(base_url + "new/", _form(edition))
    assert not Proposal.objects.filter(edition=edition).exists()


def test_a_speaker_link_claimed_by_someone_else_answers_404(
    client, call, edition, submitter, other_submitter, base_url
):
    from cfp.services.proposals import invite_speaker

    proposal = ProposalFactory(edition=edition, submitter=submitter, state="draft")
    speaker = invite_speaker(proposal=proposal, name="Co", email="co@example.org", language="en")
    speaker.user = submitter
    speaker.save()
    client.force_login(other_submitter)
    assert client.get(f"{base_url}speaker/{speaker.token}/").status_code == 404
