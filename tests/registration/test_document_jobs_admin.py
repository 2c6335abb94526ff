"""Badge batches in the Wagtail admin: start one for an edition, follow it, download it; all
scoped to the organizer's editions."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registration.documents.services.batches import start_document_job
from registration.enums import DocumentJobKind, DocumentJobStatus
from registration.models import DocumentJob
from tests.factories.documents import RegistrationFactory, TicketTypeFactory
from tests.registration.conftest import pdf_reader

pytestmark = pytest.mark.django_db

BADGES = "/admin/registration-documents/badges/"


def login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def test_organizer_prints_the_badges_of_a_ticket_type(
    client, edition, django_capture_on_commit_callbacks
):
    login(client, "tokyo-organizer")
    # Ticket types of the test's own (the demo's have registrations of their own).
    delegate = TicketTypeFactory(edition=edition, name="Batch delegate")
    observer = TicketTypeFactory(edition=edition, name="Batch observer")
    for i in range(6):
        RegistrationFactory(ticket_type=delegate, name=f"Delegate {i}")
    RegistrationFactory(ticket_type=observer, name="Observer 0")

    form = client.get(BADGES)
    assert form.status_code == 200
    assert "AFSE 2009: Batch delegate" in form.content.decode()
    assert "AFSE 2007" not in form.content.decode()  # not an edition this person organizes

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            BADGES,
            {"edition": "2009-tokyo", "ticket_types": [delegate.pk], "statuses": ["confirmed"]},
        )
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/registration-documents/jobs/{job.pk}/"
    assert (job.kind, job.status, job.total, job.done) == (
        DocumentJobKind.BADGES,
        DocumentJobStatus.DONE,
        6,
        6,
    )

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert '<progress id="job-progress" max="6" value="6" data-job-progress>100%</progress>' in html
    assert 'href="/files/' in html  # a signed link that expires
    assert "/static/js/document-job.js" in html
    assert "6 of 6 badges" in html

    status = client.get(f"/admin/registration-documents/jobs/{job.pk}/status.json")
    assert "no-store" in status["Cache-Control"].split(", ")
    state = status.json()
    signed = state.pop("download_url")
    assert state == {
        "status": "done",
        "status_label": "Done",
        "done": 6,
        "total": 6,
        "percent": 100,
        "finished": True,
        "error": "",
    }
    assert signed.startswith("/files/")
    through_link = client.get(signed)
    assert through_link.status_code == 200
    assert through_link["Cache-Control"] == "private, no-store"
    assert through_link["Content-Disposition"] == (
        f'attachment; filename="2009-tokyo-badges-{job.pk}.pdf"'
    )
    assert len(pdf_reader(b"".join(through_link.streaming_content)).pages) == 2

    download = client.get(f"/admin/registration-documents/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="2009-tokyo-badges-{job.pk}.pdf"'
    )
    assert len(pdf_reader(b"".join(download.streaming_content)).pages) == 2


def test_a_queued_job_page_polls_and_offers_no_download(client, edition):
    user = login(client, "tokyo-organizer")
    delegate = TicketTypeFactory(edition=edition, name="Queued batch delegate")
    RegistrationFactory(ticket_type=delegate)
    job = start_document_job(
        edition=edition,
        kind=DocumentJobKind.BADGES,
        filters={"ticket_types": [delegate.pk]},
        actor=user,
    )  # not committed: it stays queued
    html = client.get(f"/admin/registration-documents/jobs/{job.pk}/").content.decode()
    assert "data-finished" not in html
    assert 'data-template="%(done)s of %(total)s badges"' in html
    assert "0 of 1 badges" in html
    assert (
        client.get(f"/admin/registration-documents/jobs/{job.pk}/status.json").json()["finished"]
        is False
    )
    assert client.get(f"/admin/registration-documents/jobs/{job.pk}/download/").status_code == 404


def test_another_editions_ticket_type_is_refused(client, delegate, other_edition):
    login(client, "organizer")
    manila = TicketTypeFactory(edition=other_edition, name="Manila delegate")
    RegistrationFactory(ticket_type=delegate)
    response = client.post(
        BADGES, {"edition": "2009-tokyo", "ticket_types": [manila.pk], "statuses": ["confirmed"]}
    )
    assert response.status_code == 400
    assert "Choose ticket types of this edition." in response.content.decode()
    assert DocumentJob.objects.count() == 0


def test_an_edition_the_person_does_not_organize_is_refused(client, other_edition):
    login(client, "tokyo-organizer")
    RegistrationFactory(ticket_type=TicketTypeFactory(edition=other_edition))
    response = client.post(BADGES, {"edition": "2007-manila", "statuses": ["confirmed"]})
    assert response.status_code == 400
    assert DocumentJob.objects.count() == 0


def test_nothing_to_print_is_said(client, edition):
    login(client, "tokyo-organizer")
    # A ticket type of the test's own, with no waitlisted registration (the demo has some).
    delegate = TicketTypeFactory(edition=edition, name="Nothing to print delegate")
    RegistrationFactory(ticket_type=delegate)
    response = client.post(
        BADGES,
        {"edition": "2009-tokyo", "ticket_types": [delegate.pk], "statuses": ["waitlisted"]},
    )
    assert response.status_code == 400
    assert "No registration matches these filters." in response.content.decode()


def test_another_editions_job_is_out_of_reach(client, other_edition):
    organizer = get_user_model().objects.get(username="organizer")
    RegistrationFactory(ticket_type=TicketTypeFactory(edition=other_edition))
    job = start_document_job(
        edition=other_edition, kind=DocumentJobKind.BADGES, filters={}, actor=organizer
    )
    login(client, "tokyo-organizer")
    for suffix in ("", "status.json", "download/"):
        assert (
            client.get(f"/admin/registration-documents/jobs/{job.pk}/{suffix}").status_code == 404
        )
    assert "AFSE 2007" not in client.get(BADGES).content.decode()


def test_other_roles_print_no_badges(client):
    login(client, "tokyo-programme")
    assert client.get(BADGES).status_code in (302, 403)


def test_badge_page_runs_a_constant_number_of_queries(client, delegate, edition):
    user = login(client, "tokyo-organizer")
    RegistrationFactory(ticket_type=delegate)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BADGES).status_code == 200
        return len(queries.captured_queries)

    def add_jobs(number: int) -> None:
        for _ in range(number):
            start_document_job(edition=edition, kind=DocumentJobKind.BADGES, filters={}, actor=user)

    add_jobs(2)
    small = count()
    add_jobs(30)
    for i in range(20):
        TicketTypeFactory(edition=edition, name=f"Extra {i}")
    assert count() == small
