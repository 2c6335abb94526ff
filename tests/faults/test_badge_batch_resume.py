"""The periodic resume of badge batches and the organizer's retry, in one process (eager
tasks): only missing parts are rendered, a job lost too often fails, and a failed job is
retried from the admin with its missing parts."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from registration.documents.services.batches import (
    CLAIM_TIMEOUT,
    MAX_RESUMES,
    render_part,
    resume_stuck_jobs,
)
from registration.enums import DocumentJobKind, DocumentJobStatus
from registration.models import DocumentJob
from tests.factories.documents import RegistrationFactory, TicketTypeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def job(edition):
    ticket = TicketTypeFactory(edition=edition, name="Resume delegate")
    ids = [RegistrationFactory(ticket_type=ticket).pk for _ in range(8)]
    return DocumentJob.objects.create(
        edition=edition,
        kind=DocumentJobKind.BADGES,
        status=DocumentJobStatus.RUNNING,
        filters={
            "ticket_types": [ticket.pk],
            "statuses": ["confirmed"],
            "language": "en",
            "parts": [ids[:4], ids[4:]],
            "parts_done": [],
            "claims": {},
        },
        total=8,
    )


def test_resume_renders_only_the_part_whose_worker_was_lost(
    job, django_capture_on_commit_callbacks
):
    assert render_part(job_id=job.pk, index=0, ids=job.filters["parts"][0]) == "rendered"
    # Part 1 was claimed by a worker that then died.
    claimed = timezone.now()
    job.refresh_from_db()
    job.filters["claims"] = {"1": claimed.isoformat()}
    job.save()
    # Within its time limit it may still be running: nothing to resume.
    assert resume_stuck_jobs() == {"resumed": 0, "restarted": 0, "failed": 0}
    # A second delivery of the part while the claim holds renders nothing.
    assert render_part(job_id=job.pk, index=1, ids=job.filters["parts"][1]) == "skipped"

    later = claimed + CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert resume_stuck_jobs(now=later) == {"resumed": 1, "restarted": 0, "failed": 0}
    assert len(callbacks) == 1  # part 1 queued (and rendered at once: eager tasks)
    job.refresh_from_db()
    assert (job.status, job.done, job.filters["parts_done"]) == (
        DocumentJobStatus.DONE,
        8,
        [0, 1],
    )
    assert job.filters["resumes"] == 1


def test_a_job_lost_too_often_fails_and_the_organizer_retries_it(
    client, job, django_capture_on_commit_callbacks
):
    assert render_part(job_id=job.pk, index=1, ids=job.filters["parts"][1]) == "rendered"
    job.refresh_from_db()
    job.filters["resumes"] = MAX_RESUMES
    job.save()
    assert resume_stuck_jobs() == {"resumed": 0, "restarted": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == DocumentJobStatus.FAILED
    assert job.error == "The job stopped 4 times. Retry it."

    client.force_login(get_user_model().objects.get(username="tokyo-organizer"))
    page = client.get(f"/admin/registration-documents/jobs/{job.pk}/").content.decode()
    assert "Retry the job" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/registration-documents/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.done, job.error) == (DocumentJobStatus.DONE, 8, "")
    assert job.filters["parts_done"] == [0, 1]
    # A job that did not fail is not retried.
    response = client.post(f"/admin/registration-documents/jobs/{job.pk}/retry/", follow=True)
    assert "Only a failed job can be retried." in response.content.decode()
