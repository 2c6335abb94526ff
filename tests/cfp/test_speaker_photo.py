"""A co-speaker's photo: verified by Pillow, at most 5 MB (a larger or broken file gets a clear
form error and nothing is saved), stored in the media library and carried to the programme's
speaker when the proposal becomes a session."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from cfp.models import ProposalSpeaker
from cfp.services.decisions import decide_proposals
from cfp.services.proposals import invite_speaker
from tests.factories.cfp import ProposalFactory


def _png(extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (29, 92, 77)).save(buffer, format="PNG")
    return buffer.getvalue() + extra


def _invited(edition, submitter, other_submitter):
    proposal = ProposalFactory(edition=edition, submitter=other_submitter)
    return invite_speaker(proposal=proposal, name="Co", email=submitter.email, language="en")


def _post(client, base_url, speaker, photo: SimpleUploadedFile):
    return client.post(
        f"{base_url}speaker/{speaker.token}/",
        {"name": "Co Speaker", "bio": "Organizer.", "photo": photo},
    )


def test_an_oversized_photo_gets_a_message_and_nothing_is_saved(
    client, call, edition, submitter, other_submitter, base_url
):
    speaker = _invited(edition, submitter, other_submitter)
    images = get_image_model().objects.count()
    client.force_login(submitter)
    big = SimpleUploadedFile("me.png", _png(b"\0" * (5 * 1024 * 1024)), "image/png")
    response = _post(client, base_url, speaker, big)
    assert response.status_code == 200
    assert "The photo is larger than 5 MB" in response.content.decode()
    speaker.refresh_from_db()
    assert speaker.confirmed_at is None
    assert speaker.photo_id is None
    assert get_image_model().objects.count() == images


def test_a_file_that_is_no_picture_is_refused(
    client, call, edition, submitter, other_submitter, base_url
):
    speaker = _invited(edition, submitter, other_submitter)
    client.force_login(submitter)
    fake = SimpleUploadedFile("me.png", b"<?php echo 1; ?>" * 10, "image/png")
    response = _post(client, base_url, speaker, fake)
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    gif = io.BytesIO()
    PillowImage.new("RGB", (4, 4)).save(gif, format="GIF")
    response = _post(client, base_url, speaker, SimpleUploadedFile("me.gif", gif.getvalue()))
    assert "must be a JPEG, PNG or WebP" in response.content.decode()
    speaker.refresh_from_db()
    assert speaker.confirmed_at is None


def test_the_photo_is_stored_and_reaches_the_programme_speaker(
    client, call, edition, submitter, other_submitter, organizer_user, base_url
):
    speaker = _invited(edition, submitter, other_submitter)
    decide_proposals(
        edition=edition,
        proposal_ids=[speaker.proposal_id],
        decision="accepted",
        decided_by=organizer_user,
    )
    client.force_login(submitter)
    response = _post(client, base_url, speaker, SimpleUploadedFile("me.png", _png(), "image/png"))
    assert response.status_code == 302
    speaker = ProposalSpeaker.objects.select_related("photo", "speaker").get(pk=speaker.pk)
    assert speaker.confirmed_at is not None
    assert (speaker.photo.width, speaker.photo.height) == (40, 30)
    assert speaker.photo.file.name.endswith(".png")
    assert speaker.speaker is not None
    assert speaker.speaker.photo_id == speaker.photo_id
