"""The call in the Wagtail admin: organizers manage their own edition's call, types and
criteria; another edition's are out of reach by id."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cfp.models import Call, ProposalType
from forum.models import Edition

pytestmark = pytest.mark.django_db


def login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_organizer_sets_up_a_call_for_their_edition(client):
    login(client, "tokyo-organizer")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    response = client.post(
        reverse("call:add"),
        {
            "edition": tokyo.pk,
            "opens_at": "2009-06-01 09:00",
            "closes_at": "2009-08-01 18:00",
            "guidelines": "Propose!",
            "reviewers_per_proposal": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Call.objects.get(edition=tokyo).reviewers_per_proposal == 3
    response = client.post(
        reverse("proposaltype:add"),
        {
            "edition": tokyo.pk,
            "name": "Site visit",
            "name_ja": "現地視察",
            "name_zh_hans": "实地考察",
            "session_kind": "visit",
            "durations": "180",
            "position": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    kind = ProposalType.objects.get(edition=tokyo, name="Site visit")
    assert (kind.localized_name("ja"), kind.duration_list) == ("現地視察", [180])
    # Simplified Chinese is the site's zh-hans (the JSON field keyed it "zh" and never matched).
    assert kind.localized_name("zh-hans") == "实地考察"
    assert kind.localized_name("ko") == "Site visit"  # untranslated: the source


def test_a_call_for_another_edition_is_refused(client):
    login(client, "tokyo-organizer")
    malaysia = Edition.objects.get(slug="2011-malaysia")
    response = client.post(
        reverse("call:add"),
        {
            "edition": malaysia.pk,
            "opens_at": "2011-06-01 09:00",
            "closes_at": "2011-08-01 18:00",
            "reviewers_per_proposal": "3",
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    malaysia_call = Call.objects.get(edition=malaysia)
    assert client.get(reverse("call:edit", args=[malaysia_call.pk])).status_code in (302, 403)
    index = client.get(reverse("call:index")).content.decode()
    assert reverse("call:edit", args=[malaysia_call.pk]) not in index


def test_the_programme_committee_does_not_manage_the_call(client):
    login(client, "tokyo-programme")
    response = client.get(reverse("call:index"))
    assert response.status_code in (302, 403)


def test_closing_before_opening_is_refused(client):
    login(client, "tokyo-organizer")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    response = client.post(
        reverse("call:add"),
        {
            "edition": tokyo.pk,
            "opens_at": "2009-08-01 09:00",
            "closes_at": "2009-06-01 09:00",
            "reviewers_per_proposal": "3",
        },
    )
    assert response.status_code == 200
    assert "The call must close after it opens." in response.content.decode()
    assert not Call.objects.filter(edition=tokyo).exists()


def test_organizer_edits_a_proposal_of_their_edition_only(client):
    from cfp.models import Proposal

    login(client, "tokyo-organizer")
    malaysia_proposal = Proposal.objects.filter(edition__slug="2011-malaysia").first()
    response = client.get(reverse("proposal:edit", args=[malaysia_proposal.pk]))
    assert response.status_code in (302, 403)
    assert client.get(reverse("proposal:add")).status_code in (302, 403)
