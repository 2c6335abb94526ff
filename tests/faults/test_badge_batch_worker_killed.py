"""A badge batch whose worker is killed with SIGKILL mid-batch completes once a worker is back
and the periodic resume has run, without rendering again the parts that were done."""

import datetime
import io
import re
import time

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from registration.documents.services.batches import (
    CLAIM_TIMEOUT,
    resume_stuck_jobs,
    start_document_job,
)
from registration.enums import DocumentJobKind, DocumentJobStatus, RegistrationStatus
from registration.models import DocumentJob
from tests.factories import EditionFactory
from tests.factories.registration import RegistrationFactory, TicketTypeFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

PART = re.compile(r"job (\d+) part (\d+): (\d+) badges in")


def renders(output: str, job_id: int) -> list[int]:
    return sorted(int(part) for job, part, _n in PART.findall(output) if int(job) == job_id)


def wait_for(job: DocumentJob, condition, timeout: float) -> DocumentJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            break
        time.sleep(0.05)
    return job


def test_killed_worker_mid_batch_resumes_with_the_missing_parts_only(
    smtp_server, start_worker, private_redis, monkeypatch
):
    # The workers store parts and the joined file in the test run's folders.
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", str(settings.PRIVATE_MEDIA_ROOT))
    edition = EditionFactory(
        name="AFSE 2033", year=2033, slug="2033-hanoi", start_date=datetime.date(2033, 10, 1)
    )
    ticket = TicketTypeFactory(edition=edition, name="Delegate", capacity=500)
    for number in range(192):
        RegistrationFactory(
            ticket_type=ticket, name=f"Person {number:03d}", status=RegistrationStatus.CONFIRMED
        )
    private_redis.start()
    first = start_worker(smtp_port=smtp_server.port, broker_url=private_redis.url)

    job = start_document_job(
        edition=edition, kind=DocumentJobKind.BADGES, filters={}, actor=None
    )  # autocommit: queued at once
    finished = (DocumentJobStatus.DONE, DocumentJobStatus.FAILED)
    job = wait_for(job, lambda j: j.done >= 48 or j.status in finished, 180)
    first.process.kill()  # SIGKILL: nothing is acknowledged, nothing cleaned up
    first.process.wait(timeout=10)
    job.refresh_from_db()
    assert job.status == DocumentJobStatus.RUNNING, first.output()
    assert len(job.filters["parts"]) == 4
    done_before = sorted(job.filters["parts_done"])
    assert 1 <= len(done_before) < 4
    # A part may have been rendered but not recorded when the kill came: it counts as missing.
    assert set(done_before) <= set(renders(first.output(), job.pk))

    second = start_worker(smtp_port=smtp_server.port, broker_url=private_redis.url)
    # Beat's periodic check, once the killed parts' claims are older than their time limit.
    later = timezone.now() + CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    assert resume_stuck_jobs(now=later) == {"resumed": 1, "restarted": 0, "failed": 0}
    job = wait_for(job, lambda j: j.status in finished, 240)
    time.sleep(1.0)  # duplicates of the queued parts, if any, have been taken and skipped

    assert job.status == DocumentJobStatus.DONE, f"{job.error}\n{second.output()}"
    assert (job.done, job.total, job.filters["resumes"]) == (192, 192, 1)
    # The second worker renders exactly the parts not recorded as done: no recorded part is redone.
    missing = [index for index in range(4) if index not in done_before]
    assert renders(second.output(), job.pk) == missing
    assert not set(renders(second.output(), job.pk)) & set(done_before)
    with job.file.open("rb") as pdf:
        assert len(PdfReader(io.BytesIO(pdf.read())).pages) == 48  # 192 badges, 4 a sheet
