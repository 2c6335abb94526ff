"""The edition's own questions in the call for proposals (issue 13): the organizer writes them
with the same builder as the registration form's (forum.questions), in several languages; the
submitter answers them on the proposal form; the answers show on the proposal's page and to
its reviewers, are checked (required, choices, another edition's question) and copied with
the edition's setup."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cfp.models import CallQuestion, Proposal, ProposalAnswer, ProposalType
from cfp.services.errors import CfpError
from cfp.services.proposals import create_proposal, submit_proposal, update_proposal
from forum.edition_copy import copy_edition_setup
from forum.models import Edition
from forum.questions import QuestionKind
from tests.factories import EditionFactory
from tests.factories.cfp import ProposalFactory


@pytest.fixture
def questions(edition):
    membership = CallQuestion.objects.create(
        edition=edition,
        label="Are you a member of the network?",
        label_ja="ネットワークの会員ですか",
        kind=QuestionKind.CHOICE,
        choices="Member\nNot yet",
        choices_ja="会員\nまだ",
        required=True,
        position=0,
    )
    access = CallQuestion.objects.create(
        edition=edition, label="Step-free access needed?", kind=QuestionKind.CHECKBOX, position=1
    )
    takeaway = CallQuestion.objects.create(
        edition=edition, label="What do participants take home?", position=2
    )
    return membership, access, takeaway


def _form(edition, **overrides):
    workshop = ProposalType.objects.get(edition=edition, name="Workshop")
    data = {
        "title": "Cooperative care",
        "proposal_type": workshop.pk,
        "duration": 90,
        "abstract": "Care cooperatives in an ageing society.",
        "language": "en",
        "country": "JP",
    }
    data.update(overrides)
    return data


def _answers(proposal) -> dict[str, str]:
    return dict(
        ProposalAnswer.objects.filter(proposal=proposal).values_list("question__label", "value")
    )


def test_the_form_asks_the_calls_questions_and_stores_the_answers(
    client, call, edition, questions, submitter, base_url
):
    membership, access, takeaway = questions
    client.force_login(submitter)
    form = client.get(base_url + "new/").content.decode()
    for question in questions:
        assert f'name="question_{question.pk}"' in form
    assert "Are you a member of the network?" in form

    response = client.post(
        base_url + "new/",
        _form(
            edition,
            **{
                f"question_{membership.pk}": "Member",
                f"question_{access.pk}": "on",
                f"question_{takeaway.pk}": "A plan for a care cooperative.",
            },
        ),
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(edition=edition, submitter=submitter)
    assert _answers(proposal) == {
        membership.label: "Member",
        access.label: "yes",
        takeaway.label: "A plan for a care cooperative.",
    }

    # The status page shows them, the choice and the box as a reader reads them.
    page = client.get(f"{base_url}proposals/{proposal.pk}/").content.decode()
    assert "Answers to the call" in page
    assert "<dd>Member</dd>" in page
    assert "<dd>Yes</dd>" in page
    assert "A plan for a care cooperative." in page
    # In Japanese, the choice in its translation.
    japanese = client.get(f"/ja/2009-tokyo/cfp/proposals/{proposal.pk}/").content.decode()
    assert "ネットワークの会員ですか" in japanese
    assert "<dd>会員</dd>" in japanese


def test_editing_shows_the_stored_answers_and_replaces_them(
    client, call, edition, questions, submitter, base_url
):
    membership, access, _takeaway = questions
    client.force_login(submitter)
    client.post(
        base_url + "new/",
        _form(edition, **{f"question_{membership.pk}": "Member", f"question_{access.pk}": "on"}),
    )
    proposal = Proposal.objects.get(edition=edition, submitter=submitter)
    edit_url = f"{base_url}proposals/{proposal.pk}/edit/"
    form = client.get(edit_url).context["form"]
    assert form.initial[f"question_{membership.pk}"] == "Member"
    assert form.initial[f"question_{access.pk}"] is True

    # Unticking the box and changing the choice: the box's row goes, the choice changes.
    client.post(edit_url, _form(edition, **{f"question_{membership.pk}": "Not yet"}))
    assert _answers(proposal) == {membership.label: "Not yet"}


def test_a_required_question_and_a_choice_not_offered_are_refused(
    client, call, edition, questions, submitter, base_url
):
    membership, _access, _takeaway = questions
    client.force_login(submitter)
    missing = client.post(base_url + "new/", _form(edition))
    assert missing.status_code == 200
    assert f"question_{membership.pk}" in missing.context["form"].errors
    forged = client.post(
        base_url + "new/", _form(edition, **{f"question_{membership.pk}": "Chairman"})
    )
    assert f"question_{membership.pk}" in forged.context["form"].errors
    # An answer to a question of no edition's is ignored: the proposal is saved with its one.
    unknown = client.post(
        base_url + "new/",
        _form(edition, **{f"question_{membership.pk}": "Member", "question_9999": "x"}),
    )
    assert unknown.status_code == 302
    proposal = Proposal.objects.get(edition=edition)
    assert _answers(proposal) == {membership.label: "Member"}
    # A NUL byte in an answer: a clear refusal (the site's guard), nothing saved.
    nul = client.post(
        base_url + "new/",
        _form(
            edition,
            title="Another",
            **{f"question_{membership.pk}": "Member", f"question_{_takeaway.pk}": "bad\x00"},
        ),
    )
    assert nul.status_code == 400
    assert Proposal.objects.filter(edition=edition).count() == 1


def test_the_service_refuses_another_editions_question(call, edition, questions, submitter):
    other = Edition.objects.get(slug="2011-malaysia")
    foreign = CallQuestion.objects.filter(edition=other).first()
    assert foreign is not None  # the demo's call asks questions
    data = {
        "title": "T",
        "abstract": "A",
        "proposal_type": ProposalType.objects.get(edition=edition, name="Workshop"),
        "duration": 90,
    }
    membership = questions[0]
    with pytest.raises(CfpError, match="unknown question"):
        create_proposal(
            call=call,
            submitter=submitter,
            data=data,
            answers={membership.pk: "Member", foreign.pk: "yes"},
        )
    assert not Proposal.objects.filter(edition=edition, submitter=submitter).exists()
    proposal = create_proposal(
        call=call, submitter=submitter, data=data, answers={membership.pk: "Member"}
    )
    with pytest.raises(CfpError, match="not one of the choices"):
        update_proposal(proposal=proposal, call=call, data={}, answers={membership.pk: "Boss"})
    assert _answers(proposal) == {membership.label: "Member"}


def test_submitting_needs_the_answers_to_a_question_added_after_the_draft(call, edition, submitter):
    proposal = ProposalFactory(edition=edition, submitter=submitter, state="draft")
    CallQuestion.objects.create(edition=edition, label="Your network?", required=True)
    with pytest.raises(CfpError, match=r"Please answer before you submit: Your network\?"):
        submit_proposal(proposal=proposal, call=call)
    proposal.refresh_from_db()
    assert proposal.state == "draft"


def test_reviewers_see_the_answers(client, call, edition, questions, reviewer_user, base_url):
    membership, access, _takeaway = questions
    proposal = ProposalFactory(edition=edition)
    ProposalAnswer.objects.create(proposal=proposal, question=membership, value="Not yet")
    ProposalAnswer.objects.create(proposal=proposal, question=access, value="yes")
    from cfp.models import ReviewAssignment

    ReviewAssignment.objects.create(proposal=proposal, reviewer=reviewer_user)
    client.force_login(reviewer_user)
    page = client.get(f"{base_url}review/{proposal.pk}/").content.decode()
    assert "Are you a member of the network?" in page
    assert "<dd>Not yet</dd>" in page
    assert "<dd>Yes</dd>" in page


def test_the_demo_call_asks_questions_in_two_languages(client, db):
    malaysia = Edition.objects.get(slug="2011-malaysia")
    labels = list(
        CallQuestion.objects.filter(edition=malaysia).values_list("label", "label_ja", "kind")
    )
    assert [kind for *_labels, kind in labels] == ["choice", "checkbox", "text"]
    assert all(label_ja for _label, label_ja, _kind in labels)
    submitted = Proposal.objects.filter(edition=malaysia).exclude(state="draft")
    assert (
        ProposalAnswer.objects.filter(proposal__in=submitted).values("proposal").distinct().count()
        == submitted.count()
    )
    client.force_login(get_user_model().objects.get(username="malaysia-submitter"))
    mine = submitted.filter(submitter__username="malaysia-submitter").first()
    page = client.get(f"/ja/2011-malaysia/cfp/proposals/{mine.pk}/").content.decode()
    assert "貴団体はフォーラムのネットワークの会員ですか" in page


def test_copying_the_edition_brings_the_calls_questions_and_translations(db):
    malaysia = Edition.objects.get(slug="2011-malaysia")
    target = EditionFactory(slug="2013-seoul")
    user = get_user_model().objects.filter(is_superuser=True).first()
    written = copy_edition_setup(source=malaysia, target=target, user=user)
    assert written["call_questions"] == CallQuestion.objects.filter(edition=malaysia).count() == 3
    assert written["proposal_types"] == 5
    assert written["review_criteria"] == 3
    copied = CallQuestion.objects.filter(edition=target).order_by("position")
    source = CallQuestion.objects.filter(edition=malaysia).order_by("position")
    fields = ["label", "label_ja", "kind", "choices", "choices_ja", "required", "position"]
    assert [[getattr(q, f) for f in fields] for q in copied] == [
        [getattr(q, f) for f in fields] for q in source
    ]


def test_an_organizer_builds_the_questions_of_their_edition_only(client, call, edition):
    tokyo_organizer = get_user_model().objects.get(username="tokyo-organizer")
    malaysia = Edition.objects.get(slug="2011-malaysia")
    foreign = CallQuestion.objects.filter(edition=malaysia).first()
    client.force_login(tokyo_organizer)
    index = client.get(reverse("callquestion:index"))
    assert index.status_code == 200
    assert foreign.label not in index.content.decode()
    assert client.get(reverse("callquestion:edit", args=[foreign.pk])).status_code in (
        302,
        403,
        404,
    )
    created = client.post(
        reverse("callquestion:add"),
        {
            "edition": edition.pk,
            "label": "Which region are you from?",
            "help_text": "",
            "kind": "choice",
            "choices": "South-East Asia\nEast Asia\nSouth Asia",
            "position": 0,
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    assert CallQuestion.objects.filter(edition=edition, label="Which region are you from?")
    refused = client.post(
        reverse("callquestion:add"),
        {"edition": malaysia.pk, "label": "Sneaky", "kind": "text", "position": 0},
    )
    assert refused.status_code == 200  # the form refuses an edition one does not organize
    assert not CallQuestion.objects.filter(label="Sneaky").exists()
    one_choice = client.post(
        reverse("callquestion:add"),
        {"edition": edition.pk, "label": "Only one", "kind": "choice", "choices": "A"},
    )
    assert one_choice.status_code == 200
    assert not CallQuestion.objects.filter(label="Only one").exists()


def test_the_dashboard_export_has_a_column_for_each_question(
    client, call, edition, questions, organizer_user, base_url, django_capture_on_commit_callbacks
):
    from tests.cfp.test_exports import _download, _export

    membership, access, takeaway = questions
    proposal = ProposalFactory(edition=edition, title="Care co-ops")
    ProposalAnswer.objects.create(proposal=proposal, question=membership, value="Not yet")
    ProposalAnswer.objects.create(proposal=proposal, question=access, value="yes")
    ProposalAnswer.objects.create(proposal=proposal, question=takeaway, value="=SUM(1)")
    client.force_login(organizer_user)
    export = _export(client, base_url + "committee/export/", django_capture_on_commit_callbacks)
    header, row = _download(client, base_url, export).splitlines()[:2]
    assert header.endswith(
        "Are you a member of the network?,Step-free access needed?,What do participants take home?"
    )
    # The choice as read, the box as "Yes", a formula neutralised.
    assert row.endswith("Not yet,Yes,'=SUM(1)")
