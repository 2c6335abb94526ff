import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cfp import selectors
from cfp.enums import ProposalState
from cfp.models import (
    LateSubmissionLink,
    Proposal,
    ProposalSpeaker,
    ProposalType,
    Review,
    ReviewAssignment,
    ReviewCriterion,
    ReviewerProfile,
)
from cfp.services.decisions import decide_proposals, send_decision_emails
from cfp.services.errors import CfpError
from cfp.services.proposals import (
    confirm_speaker,
    create_proposal,
    invite_speaker,
    submit_proposal,
    update_proposal,
    withdraw_proposal,
)
from cfp.services.review import assign_reviewers, save_review, weighted_score
from mail.models import OutboxEmail
from sessions_app.models import SessionSpeaker
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.cfp import ProposalFactory, reviewer
from tests.factories.programme import TrackFactory


def _data(edition, **overrides):
    data = {
        "title": "Worker co-ops in care",
        "abstract": "Care cooperatives from three countries.",
        "description": "",
        "proposal_type": ProposalType.objects.get(edition=edition, name="Workshop"),
        "track": None,
        "duration": 90,
        "language": "ja",
        "interpretation_languages": "en, ko",
        "expected_participants": 40,
        "country": "JP",
    }
    data.update(overrides)
    return data


def test_create_proposal_makes_a_draft_with_its_submitter_as_confirmed_speaker(
    call, edition, submitter
):
    org = OrganizationFactory(name="Workers Co-op Union")
    proposal = create_proposal(
        call=call, submitter=submitter, data=_data(edition), organizations=[org]
    )
    assert proposal.state == ProposalState.DRAFT
    assert list(proposal.organizations.all()) == [org]
    speaker = proposal.speakers.get()
    assert (speaker.user, speaker.is_submitter, speaker.confirmed) == (submitter, True, True)


def test_create_proposal_after_the_deadline_is_refused_and_saves_nothing(call, edition, submitter):
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    with pytest.raises(CfpError, match="closed"):
        create_proposal(call=call, submitter=submitter, data=_data(edition))
    assert Proposal.objects.filter(edition=edition).count() == 0


def test_a_late_link_lets_its_holder_submit_after_the_deadline(call, edition, submitter):
    call.closes_at = timezone.now() - datetime.timedelta(days=1)
    call.save()
    link = LateSubmissionLink.objects.create(
        call=call, label="Ms Tan", valid_until=timezone.now() + datetime.timedelta(days=2)
    )
    proposal = create_proposal(call=call, submitter=submitter, data=_data(edition), late_link=link)
    submit_proposal(proposal=proposal, call=call)
    assert proposal.state == ProposalState.SUBMITTED


def test_a_type_of_another_edition_is_refused(call, edition, other_edition, submitter):
    foreign = ProposalType.objects.create(edition=other_edition, name="Visit", durations="90")
    with pytest.raises(Exception, match="another edition"):
        create_proposal(call=call, submitter=submitter, data=_data(edition, proposal_type=foreign))
    assert Proposal.objects.filter(edition=edition).count() == 0


def test_submit_then_withdraw(call, edition, submitter):
    proposal = create_proposal(call=call, submitter=submitter, data=_data(edition))
    submit_proposal(proposal=proposal, call=call)
    assert proposal.state == ProposalState.SUBMITTED
    assert OutboxEmail.objects.filter(kind="cfp_submitted", to_email=submitter.email).count() == 1
    with pytest.raises(CfpError):
        submit_proposal(proposal=proposal, call=call)
    withdraw_proposal(proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.WITHDRAWN


def test_edits_stop_at_the_deadline(call, edition, submitter):
    proposal = create_proposal(call=call, submitter=submitter, data=_data(edition))
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    with pytest.raises(CfpError):
        update_proposal(proposal=proposal, call=call, data={"title": "Changed"})
    assert Proposal.objects.get(pk=proposal.pk).title == "Worker co-ops in care"


def test_invited_co_speaker_gets_an_email_in_the_chosen_language_and_confirms(
    call, edition, submitter
):
    proposal = create_proposal(call=call, submitter=submitter, data=_data(edition))
    speaker = invite_speaker(proposal=proposal, name="Kim", email="Kim@Example.org", language="ja")
    email = OutboxEmail.objects.get(kind="cfp_speaker_invite")
    assert (email.to_email, email.language) == ("kim@example.org", "ja")
    assert speaker.token in email.body_text
    assert "招待" in email.subject or "登壇" in email.subject
    kim = UserFactory(username="kim")
    confirm_speaker(speaker=speaker, user=kim, profile={"name": "Kim", "name_native": "김"})
    speaker.refresh_from_db()
    assert (speaker.user, speaker.name_native, speaker.confirmed) == (kim, "김", True)


def test_the_same_speaker_is_not_invited_twice(call, edition, submitter):
    proposal = create_proposal(call=call, submitter=submitter, data=_data(edition))
    invite_speaker(proposal=proposal, name="Kim", email="kim@example.org", language="en")
    with pytest.raises(CfpError):
        invite_speaker(proposal=proposal, name="Kim", email="KIM@example.org", language="en")
    assert proposal.speakers.count() == 2


def test_weighted_score_weighs_each_criterion(call, edition):
    criteria = list(ReviewCriterion.objects.filter(edition=edition))
    scores = {criteria[0].pk: 5, criteria[1].pk: 2, criteria[2].pk: 3}
    # (5*3 + 2*1 + 3*2) / 6
    assert weighted_score(scores, criteria) == Decimal("3.83")


def test_save_review_stores_scores_and_weighted_score(call, edition, reviewer_user):
    proposal = ProposalFactory(edition=edition)
    criteria = list(ReviewCriterion.objects.filter(edition=edition))
    review = save_review(
        proposal=proposal,
        reviewer=reviewer_user,
        call=call,
        scores={c.pk: 4 for c in criteria},
        comment_committee="Strong",
        comment_submitter="Please add a facilitator.",
    )
    assert review.weighted_score == Decimal("4.00")
    assert review.scores.count() == 3
    # A second save rewrites the same review.
    save_review(
        proposal=proposal, reviewer=reviewer_user, call=call, scores={c.pk: 2 for c in criteria}
    )
    assert Review.objects.get(proposal=proposal).weighted_score == Decimal("2.00")


def test_save_review_refuses_a_missing_criterion_or_a_conflict(call, edition, reviewer_user):
    criteria = list(ReviewCriterion.objects.filter(edition=edition))
    proposal = ProposalFactory(edition=edition)
    with pytest.raises(CfpError):
        save_review(
            proposal=proposal, reviewer=reviewer_user, call=call, scores={criteria[0].pk: 3}
        )
    org = OrganizationFactory()
    ReviewerProfile.objects.create(edition=edition, user=reviewer_user, organization=org)
    proposal.organizations.add(org)
    with pytest.raises(CfpError, match="conflict"):
        save_review(
            proposal=proposal,
            reviewer=reviewer_user,
            call=call,
            scores={c.pk: 3 for c in criteria},
        )
    assert Review.objects.filter(proposal__edition=edition).count() == 0


def test_a_non_reviewer_cannot_review(call, edition, submitter):
    criteria = list(ReviewCriterion.objects.filter(edition=edition))
    proposal = ProposalFactory(edition=edition)
    with pytest.raises(CfpError):
        save_review(
            proposal=proposal, reviewer=submitter, call=call, scores={c.pk: 3 for c in criteria}
        )


def test_assign_reviewers_balances_loads_and_respects_conflicts(call, edition):
    call.reviewers_per_proposal = 2
    call.save()
    reviewers = [reviewer(edition, username=f"assign-r{n}") for n in range(4)]
    org = OrganizationFactory(name="Conflicted Co-op")
    ReviewerProfile.objects.create(edition=edition, user=reviewers[0], organization=org)
    proposals = [ProposalFactory(edition=edition) for _ in range(6)]
    proposals[0].organizations.add(org)
    made = assign_reviewers(edition=edition, call=call)
    assert made == 12
    for proposal in proposals:
        assert ReviewAssignment.objects.filter(proposal=proposal).count() == 2
    assert not ReviewAssignment.objects.filter(
        proposal=proposals[0], reviewer=reviewers[0]
    ).exists()
    # The demo's tokyo-programme is a reviewer too: five reviewers share twelve places.
    everyone = selectors.reviewers_of_edition(edition)
    loads = sorted(ReviewAssignment.objects.filter(reviewer=r).count() for r in everyone)
    assert (len(everyone), sum(loads), max(loads) - min(loads)) == (5, 12, 1)
    # Running it again changes nothing.
    assert assign_reviewers(edition=edition, call=call) == 0


def test_assign_reviewers_skips_own_country_when_the_call_says_so(call, edition):
    call.exclude_own_country = True
    call.reviewers_per_proposal = 1
    call.save()
    japanese = reviewer(edition, username="assign-jp")
    ReviewerProfile.objects.create(edition=edition, user=japanese, country="JP")
    korean = reviewer(edition, username="assign-kr")
    ProposalFactory(edition=edition, country="JP")
    assign_reviewers(edition=edition, call=call)
    assigned = ReviewAssignment.objects.filter(proposal__edition=edition)
    assert list(assigned.values_list("reviewer", flat=True)) == [korean.pk]


def test_decisions_wait_for_the_send_action_then_go_once(call, edition, organizer_user):
    accepted = ProposalFactory(edition=edition, title="Accepted one")
    rejected = ProposalFactory(edition=edition, title="Rejected one")
    Review.objects.create(
        proposal=rejected, reviewer=organizer_user, comment_submitter="Too broad for a workshop."
    )
    decide_proposals(
        edition=edition, proposal_ids=[accepted.pk], decision="accepted", decided_by=organizer_user
    )
    decide_proposals(
        edition=edition, proposal_ids=[rejected.pk], decision="rejected", decided_by=organizer_user
    )
    assert OutboxEmail.objects.filter(kind="cfp_decision").count() == 0
    assert send_decision_emails(edition=edition) == 2
    emails = {e.to_email: e for e in OutboxEmail.objects.filter(kind="cfp_decision")}
    assert len(emails) == 2
    rejected_email = emails[rejected.submitter.email]
    assert "Too broad for a workshop." in rejected_email.body_text
    assert organizer_user.username not in rejected_email.body_text
    assert send_decision_emails(edition=edition) == 0


def test_decide_leaves_other_editions_and_drafts_alone(call, edition, other_edition, submitter):
    draft = ProposalFactory(edition=edition, state=ProposalState.DRAFT)
    ProposalType.objects.create(edition=other_edition, name="Workshop", durations="90")
    foreign = ProposalFactory(edition=other_edition)
    decided = decide_proposals(
        edition=edition,
        proposal_ids=[draft.pk, foreign.pk],
        decision="accepted",
        decided_by=submitter,
    )
    assert decided == []
    assert Proposal.objects.get(pk=foreign.pk).state == ProposalState.SUBMITTED


def test_accepted_proposal_with_confirmed_speakers_becomes_an_unscheduled_session(
    call, edition, organizer_user
):
    track = TrackFactory(edition=edition)
    proposal = ProposalFactory(
        edition=edition,
        title="Seeds of solidarity",
        track=track,
        language="ko",
        interpretation_languages="en, ja",
        expected_participants=30,
    )
    speaker = ProposalSpeaker.objects.create(proposal=proposal, email="co@example.org", name="Co")
    decide_proposals(
        edition=edition, proposal_ids=[proposal.pk], decision="accepted", decided_by=organizer_user
    )
    proposal.refresh_from_db()
    assert proposal.session is None  # the co-speaker has not confirmed
    confirm_speaker(speaker=speaker, user=UserFactory(username="co-speaker"), profile={})
    proposal.refresh_from_db()
    session = proposal.session
    assert (session.title, session.kind, session.track, session.language) == (
        "Seeds of solidarity",
        "workshop",
        track,
        "ko",
    )
    assert (session.interpretation_languages, session.expected_attendance) == ("en, ja", 30)
    assert (session.start, session.room, session.status) == (None, None, "draft")
    names = sorted(
        SessionSpeaker.objects.filter(session=session).values_list("speaker__name", flat=True)
    )
    assert names == sorted(["Co", proposal.submitter.username])


def test_edits_flow_into_the_session_until_it_is_scheduled(call, edition, organizer_user):
    from tests.factories.programme import RoomFactory, local

    proposal = ProposalFactory(edition=edition, title="Before")
    decide_proposals(
        edition=edition, proposal_ids=[proposal.pk], decision="accepted", decided_by=organizer_user
    )
    proposal.refresh_from_db()
    update_proposal(proposal=proposal, call=call, data={"title": "After"}, by_organizer=True)
    session = proposal.session
    session.refresh_from_db()
    assert session.title == "After"
    session.room = RoomFactory(edition=edition)
    session.start = local(edition, 0, "10:00")
    session.end = local(edition, 0, "11:30")
    session.save()
    update_proposal(proposal=proposal, call=call, data={"title": "Later"}, by_organizer=True)
    session.refresh_from_db()
    assert session.title == "After"
