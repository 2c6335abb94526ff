"""Copying a previous edition's setup into a new one: rooms, tracks, ticket types with fees,
questions with choices, registration settings and texts, in one step after a preview; never
twice, never from or into an edition the person does not run."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from forum.edition_copy import copy_edition_setup, preview_edition_copy
from forum.enums import EditionRoleKind
from forum.models import Edition
from forum.services import grant_edition_role
from registration.models import Question, RegistrationSettings, TicketType
from sessions_app.models import Room, Session, Track

pytestmark = pytest.mark.django_db

ROOM_FIELDS = ["name", "capacity", "floor", "accessibility_notes", "has_interpretation_booths"]
TICKET_FIELDS = [
    "name",
    "description",
    "capacity",
    "requires_approval",
    "fee_high",
    "fee_upper_middle",
    "fee_lower_middle",
    "fee_low",
    "position",
    "is_public",
]
QUESTION_FIELDS = ["label", "help_text", "kind", "choices", "required", "position"]


@pytest.fixture
def tokyo():
    return Edition.objects.get(slug="2009-tokyo")


@pytest.fixture
def new_edition():
    return Edition.objects.create(
        slug="2013-kathmandu",
        number=9,
        name="AFSE 2013",
        year=2013,
        start_date=datetime.date(2013, 11, 14),
        end_date=datetime.date(2013, 11, 17),
        time_zone="Asia/Kathmandu",
    )


def values(model, edition, fields):
    return list(model.objects.filter(edition=edition).order_by("pk").values_list(*fields))


def test_copy_brings_every_part_with_the_same_values(tokyo, new_edition):
    admin = get_user_model().objects.get(username="tokyo-organizer")
    written = copy_edition_setup(source=tokyo, target=new_edition, user=admin)
    counts = {
        "rooms": Room.objects.filter(edition=tokyo).count(),
        "tracks": Track.objects.filter(edition=tokyo).count(),
        "registration_settings": 1,
        "ticket_types": TicketType.objects.filter(edition=tokyo).count(),
        "questions": Question.objects.filter(edition=tokyo).count(),
        # Tokyo has no call for proposals: its parts copy nothing (tests/cfp/test_questions.py
        # copies Malaysia's).
        "proposal_types": 0,
        "review_criteria": 0,
        "call_questions": 0,
    }
    assert written == counts
    assert counts["rooms"] == 5
    assert counts["tracks"] == 5
    assert counts["ticket_types"] > 0
    assert counts["questions"] > 0
    assert values(Room, new_edition, ROOM_FIELDS) == values(Room, tokyo, ROOM_FIELDS)
    assert values(Track, new_edition, ["name", "slug", "colour"]) == values(
        Track, tokyo, ["name", "slug", "colour"]
    )
    assert values(TicketType, new_edition, TICKET_FIELDS) == values(
        TicketType, tokyo, TICKET_FIELDS
    )
    assert values(Question, new_edition, QUESTION_FIELDS) == values(
        Question, tokyo, QUESTION_FIELDS
    )
    assert any(choices for (*_, choices, _r, _p) in values(Question, new_edition, QUESTION_FIELDS))
    old, new = tokyo.registration_settings, RegistrationSettings.objects.get(edition=new_edition)
    for name in ("currency", "letterhead", "letter_signatory", "payment_instructions"):
        assert getattr(new, name) == getattr(old, name)
    # Registration opens as long before the new edition as it did before the old one.
    assert new.opens_at - datetime.timedelta(days=1468) == old.opens_at
    assert Session.objects.filter(edition=new_edition).count() == 0
    entry = ModelLogEntry.objects.get(action="forum.copy_setup")
    assert (entry.object_id, entry.data["source"]) == (str(new_edition.pk), "2009-tokyo")


def test_copying_twice_is_refused_and_duplicates_nothing(tokyo, new_edition):
    copy_edition_setup(source=tokyo, target=new_edition, user=None)
    before = Room.objects.count(), TicketType.objects.count(), Question.objects.count()
    with pytest.raises(ValidationError) as refused:
        copy_edition_setup(source=tokyo, target=new_edition, user=None)
    assert refused.value.messages == [
        "AFSE 2013 already has everything AFSE 2009 could give it; nothing was copied."
    ]
    assert (Room.objects.count(), TicketType.objects.count(), Question.objects.count()) == before


def test_what_the_target_already_has_is_left_alone_and_the_rest_copied(tokyo, new_edition):
    Room.objects.create(edition=new_edition, name="Main Hall", capacity=900)
    plans = {plan.label: plan for plan in preview_edition_copy(source=tokyo, target=new_edition)}
    assert plans["Rooms"].to_copy == ["Room A", "Room B", "Room C", "Off-site"]
    assert plans["Rooms"].already_there == ["Main Hall"]
    written = copy_edition_setup(source=tokyo, target=new_edition, user=None)
    assert written["rooms"] == 4
    assert Room.objects.get(edition=new_edition, name="Main Hall").capacity == 900


def test_an_edition_cannot_copy_from_itself(tokyo):
    with pytest.raises(ValidationError):
        copy_edition_setup(source=tokyo, target=tokyo, user=None)


@pytest.fixture
def organizer_of_both(client, new_edition):
    person = get_user_model().objects.get(username="tokyo-organizer")
    grant_edition_role(edition=new_edition, user=person, role=EditionRoleKind.ORGANIZER)
    client.force_login(person)
    return client


def test_the_admin_previews_then_copies_on_confirmation(organizer_of_both, tokyo, new_edition):
    url = reverse("forum_edition_copy_setup", args=[new_edition.pk])
    listing = organizer_of_both.get(reverse("edition:index")).content.decode()
    assert url in listing
    first = organizer_of_both.get(url)
    assert list(first.context["form"].fields["source"].queryset) == [tokyo]
    preview = organizer_of_both.get(url, {"source": tokyo.pk})
    page = preview.content.decode()
    assert "What will be copied from AFSE 2009" in page
    assert "<li>Main Hall</li>" in page
    assert "<li>Fair trade</li>" in page
    assert Room.objects.filter(edition=new_edition).count() == 0  # a preview writes nothing

    done = organizer_of_both.post(url, {"source": tokyo.pk}, follow=True)
    assert done.redirect_chain == [(reverse("edition:edit", args=[new_edition.pk]), 302)]
    total = sum(
        model.objects.filter(edition=tokyo).count() for model in (Room, Track, TicketType, Question)
    )
    assert [str(m) for m in done.context["messages"]] == [
        f"{total + 1} items copied from AFSE 2009 into AFSE 2013."
    ]
    again = organizer_of_both.post(url, {"source": tokyo.pk})
    assert [str(m) for m in again.context["messages"]] == [
        "AFSE 2013 already has everything AFSE 2009 could give it; nothing was copied."
    ]


def test_an_organizer_cannot_copy_into_or_from_another_edition(client, tokyo, new_edition):
    client.force_login(get_user_model().objects.get(username="tokyo-organizer"))
    into_foreign = reverse("forum_edition_copy_setup", args=[new_edition.pk])
    refused = client.post(into_foreign, {"source": tokyo.pk})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert Room.objects.filter(edition=new_edition).count() == 0
    manila = Edition.objects.get(slug="2007-manila")
    from_foreign = reverse("forum_edition_copy_setup", args=[tokyo.pk])
    response = client.post(from_foreign, {"source": manila.pk})
    assert response.status_code == 200
    assert "source" in response.context["form"].errors
    assert Room.objects.filter(edition=tokyo).count() == 5


def test_copy_brings_the_translations_and_matches_by_the_source_in_any_admin_language(
    tokyo, new_edition
):
    from django.utils import translation

    admin = get_user_model().objects.get(username="tokyo-organizer")
    with translation.override("ja"):
        copy_edition_setup(source=tokyo, target=new_edition, user=admin)
        again = preview_edition_copy(source=tokyo, target=new_edition)
    delegate = TicketType.objects.get(edition=new_edition, name_en="Delegate")
    assert (delegate.name_ja, delegate.name_ko, delegate.name_ind) == (
        "代表参加者",
        "대표 참가자",
        "Delegasi",
    )
    hall = Room.objects.get(edition=new_edition, name_en="Main Hall")
    assert (hall.name_ja, hall.name_th) == ("メインホール", None)
    visits = Question.objects.get(edition=new_edition, label_en__startswith="Which fact-finding")
    assert visits.choices_ja == "多摩のワーカーズコープ\n生協の農場\nNPOバンク"
    assert RegistrationSettings.objects.get(edition=new_edition).payment_instructions_ja.startswith(
        "AFSE 2009の口座へ"
    )
    # Copied once: what is there is matched by its source name, whatever the admin's language.
    assert all(not plan.to_copy for plan in again)
