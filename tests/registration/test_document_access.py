"""Who may fetch each kind of registration file: the participant's own documents, the
organizers' view of a visa letter and badge batches. Files live in the private storage, are
rendered by a task (the "being prepared" page meanwhile) and are never reachable under /media/."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from forum.documents import private_storage, signed_file_url
from registration.documents.services.batches import start_document_job
from registration.documents.services.participant import document_name
from registration.documents.tasks import task_render_participant_document
from registration.enums import DocumentJobKind
from registration.services.privacy import erase_expired_passport_details
from tests.factories.documents import RegistrationFactory
from tests.factories.statements import person_with_role
from tests.registration.conftest import pdf_text
from tests.registration.test_pdf_downloads import issue, pay

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/register/me/"
KINDS = ("badge", "letter", "receipt", "certificate")
User = get_user_model()


@pytest.fixture
def ram(delegate):
    user = User.objects.create_user("ram", "ram@example.org", "pw-ram-2009")
    registration = RegistrationFactory(
        ticket_type=delegate, user=user, email=user.email, name="Ram Shrestha"
    )
    issue(registration)
    pay(registration)
    registration.checked_in_at = timezone.now()
    registration.save()
    # Ids come back after a rolled-back test (SQLite): no files of an earlier test's Ram.
    shutil.rmtree(private_storage().path(f"participants/{registration.pk}"), ignore_errors=True)
    return registration


@pytest.fixture
def eve(delegate):
    user = User.objects.create_user("eve", "eve@example.org", "pw-eve-2009")
    return RegistrationFactory(ticket_type=delegate, user=user, email=user.email, name="Eve Adams")


@pytest.fixture
def manila_organizer(other_edition):
    return person_with_role(other_edition, "organizer", username="manila-organizer-files")


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf))


def _pdf(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_each_participant_document_reaches_its_owner_only(client, ram, eve, manila_organizer):
    for kind in KINDS:
        anonymous = client.get(f"{BASE}{kind}.pdf")
        assert anonymous.status_code == 302
        assert anonymous["Location"] == f"/accounts/login/?next={BASE}{kind}.pdf"

    client.force_login(ram.user)
    for kind in KINDS:
        assert _pdf(client.get(f"{BASE}{kind}.pdf")).startswith(b"%PDF")
    stored = sorted(private_storage().listdir(f"participants/{ram.pk}")[1])
    assert [name.split("-")[0] for name in stored] == sorted(KINDS)

    # Another participant of the edition gets their own badge, and none of Ram's documents.
    client.force_login(eve.user)
    text = _text(_pdf(client.get(f"{BASE}badge.pdf")))
    assert "Eve Adams" in text
    assert "Ram Shrestha" not in text
    for kind in ("letter", "receipt", "certificate"):
        assert client.get(f"{BASE}{kind}.pdf").status_code == 404

    # Another edition's organizer has no registration here: nothing.
    client.force_login(manila_organizer)
    for kind in KINDS:
        assert client.get(f"{BASE}{kind}.pdf").status_code == 404

    # Nothing of it under MEDIA_ROOT, nor at a /media/ address.
    assert not (Path(settings.MEDIA_ROOT) / "participants").exists()
    for name in stored:
        assert client.get(f"/media/participants/{ram.pk}/{name}").status_code == 404


def test_the_organizers_letter_view_is_for_the_editions_organizers_only(
    client, ram, eve, manila_organizer
):
    url = f"/admin/registration-documents/letters/{ram.visa_letter.pk}/letter.pdf"
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    client.force_login(eve.user)  # a participant: no admin at all
    assert client.get(url).status_code == 302
    client.force_login(manila_organizer)
    assert client.get(url).status_code == 404
    client.force_login(User.objects.get(username="tokyo-organizer"))
    response = client.get(url)
    assert _pdf(response).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"].split(", ")


def test_a_badge_batch_is_for_its_editions_organizers_only(
    client, edition, delegate, eve, manila_organizer, django_capture_on_commit_callbacks
):
    organizer = User.objects.get(username="tokyo-organizer")
    with django_capture_on_commit_callbacks(execute=True):
        job = start_document_job(
            edition=edition,
            kind=DocumentJobKind.BADGES,
            filters={"ticket_types": [delegate.pk]},
            actor=organizer,
        )
    job.refresh_from_db()
    page = f"/admin/registration-documents/jobs/{job.pk}/"
    download = f"{page}download/"
    link = signed_file_url(job.file.name, user=organizer, filename="badges.pdf")
    counting = f"/media/document-jobs/2009-tokyo-badges-{job.pk}.pdf"

    assert client.get(page).status_code == 302  # to the admin's login
    assert client.get(download).status_code == 302
    assert client.get(link).status_code == 404
    assert client.get(counting).status_code == 404
    assert client.get(f"/media/{job.file.name}").status_code == 404
    client.force_login(eve.user)
    assert client.get(download).status_code == 302
    assert client.get(link).status_code == 404
    client.force_login(manila_organizer)
    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404
    assert client.get(f"{page}status.json").status_code == 404
    assert client.get(link).status_code == 404

    client.force_login(organizer)
    for url in (download, link):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_missing_document_is_rendered_once_by_a_task_while_the_page_waits(
    client, ram, held_tasks
):
    client.force_login(ram.user)
    first = client.get(f"{BASE}badge.pdf")
    assert first.status_code == 503
    assert first["Retry-After"] == "10"
    assert first["Cache-Control"] == "no-store"
    page = first.content.decode()
    assert "<h1>Badge (PDF)</h1>" in page
    assert f'href="{BASE}"' in page
    assert "<script" not in page
    assert held_tasks() == 1
    assert client.get(f"{BASE}badge.pdf").status_code == 503
    assert held_tasks() == 1  # one render, however often the page refreshes

    name = document_name(ram, "badge", "en")
    task_render_participant_document.apply(
        kwargs={"registration_id": ram.pk, "kind": "badge", "language": "en", "lock": name}
    )
    assert "Ram Shrestha" in _text(_pdf(client.get(f"{BASE}badge.pdf")))

    # A change to what the badge prints makes a new file; the old one goes once it is replaced.
    ram.name = "Ram B. Shrestha"
    ram.save()
    assert client.get(f"{BASE}badge.pdf").status_code == 503
    assert held_tasks() == 2
    renewed = document_name(ram, "badge", "en")
    task_render_participant_document.apply(
        kwargs={"registration_id": ram.pk, "kind": "badge", "language": "en", "lock": renewed}
    )
    assert "Ram B. Shrestha" in _text(_pdf(client.get(f"{BASE}badge.pdf")))
    assert not private_storage().exists(name)


def test_erasing_passport_details_removes_the_stored_letters(client, ram):
    client.force_login(ram.user)
    assert "NP7654321" in _text(_pdf(client.get(f"{BASE}letter.pdf")))
    folder = f"participants/{ram.pk}"
    assert len(private_storage().listdir(folder)[1]) == 1
    erase_expired_passport_details(today=ram.edition.end_date + datetime.timedelta(days=400))
    assert private_storage().listdir(folder)[1] == []
