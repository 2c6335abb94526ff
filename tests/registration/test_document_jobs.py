"""Badge batches: filters checked against the edition, parts of whole sheets rendered apart and
joined in order, progress, failures, and a real worker of concurrency 2 rendering parts in both
of its processes."""

import datetime
import io
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from forum.celery import app as celery_app
from forum.documents import private_storage
from forum.models import Edition
from registration.documents.services.batches import (
    DocumentJobError,
    expire_lost_job,
    render_part,
    split_parts,
    start_document_job,
)
from registration.documents.tasks import (
    PART_SOFT_TIME_LIMIT,
    PART_TIME_LIMIT,
    task_render_document_part,
)
from registration.enums import DocumentJobKind, DocumentJobStatus, RegistrationStatus
from registration.models import DocumentJob
from tests.factories.documents import RegistrationFactory, TicketTypeFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(db):
    return get_user_model().objects.get(username="tokyo-organizer")


def job_text(job: DocumentJob) -> list[str]:
    with job.file.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (0, []),
        (1, [1]),
        (25, [25]),
        (100, [52, 48]),
        (150, [52, 52, 46]),
        (700, [176, 176, 176, 172]),
    ],
)
def test_parts_are_whole_sheets_and_as_even_as_possible(count, sizes):
    parts = split_parts(list(range(count)))
    assert [len(part) for part in parts] == sizes
    assert [pk for part in parts for pk in part] == list(range(count))
    assert all(len(part) % 4 == 0 for part in parts[:-1])


def test_batch_prints_the_chosen_ticket_types_and_statuses_in_name_order(
    edition, organizer, django_capture_on_commit_callbacks
):
    # Ticket types of the test's own (the demo's have registrations of their own).
    delegate = TicketTypeFactory(edition=edition, name="Batch delegate")
    observer = TicketTypeFactory(edition=edition, name="Batch observer")
    for i in range(60):
        RegistrationFactory(ticket_type=delegate, name=f"Delegate {59 - i:02d}")
    RegistrationFactory(ticket_type=observer, name="An Observer")
    RegistrationFactory(
        ticket_type=delegate, name="A Waitlisted", status=RegistrationStatus.WAITLISTED
    )

    with django_capture_on_commit_callbacks(execute=True):
        job = start_document_job(
            edition=edition,
            kind=DocumentJobKind.BADGES,
            filters={"ticket_types": [str(delegate.pk)], "statuses": ["confirmed"]},
            actor=organizer,
        )

    job.refresh_from_db()
    assert job.status == DocumentJobStatus.DONE
    assert (job.done, job.total, job.percent) == (60, 60, 100)
    confirmed = delegate.registrations.filter(status="confirmed").order_by("name", "pk")
    assert job.filters == {
        "ticket_types": [delegate.pk],
        "statuses": ["confirmed"],
        "language": "en",
        "parts": [[r.pk for r in confirmed]],  # kept, so that a lost part can be resumed
        "parts_done": [0],
        "claims": {},
    }
    assert job.error == ""
    assert job.finished_at is not None
    # In the private storage, beneath a random folder of 22 characters.
    name = rf"document-jobs/[\w-]{{22}}/2009-tokyo-badges-{job.pk}\.pdf"
    assert re.fullmatch(name, job.file.name)
    assert job.file.storage is private_storage()
    pages = job_text(job)
    assert len(pages) == 15
    names = [name for page in pages for name in re.findall(r"Delegate \d\d", page)]
    assert names == [f"Delegate {i:02d}" for i in range(60)]
    assert "An Observer" not in " ".join(pages)
    assert "A Waitlisted" not in " ".join(pages)
    assert not private_storage().exists(f"document-jobs/parts/{job.pk}/part-00.pdf")


def test_large_batch_is_joined_from_its_parts_in_order(
    edition, organizer, django_capture_on_commit_callbacks
):
    delegate = TicketTypeFactory(edition=edition, name="Large batch delegate")
    for i in range(110):
        RegistrationFactory(ticket_type=delegate, name=f"Person {i:03d}")
    with django_capture_on_commit_callbacks(execute=True):
        job = start_document_job(
            edition=edition,
            kind=DocumentJobKind.BADGES,
            filters={"ticket_types": [delegate.pk]},  # not the demo's registrations
            actor=organizer,
        )
    job.refresh_from_db()
    assert job.status == DocumentJobStatus.DONE
    assert job.filters["parts_done"] == [0, 1]
    pages = job_text(job)
    assert len(pages) == 28  # 110 badges, 4 to a sheet
    names = [name for page in pages for name in re.findall(r"Person \d{3}", page)]
    assert names == [f"Person {i:03d}" for i in range(110)]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"statuses": ["sleeping"]}, "Choose known statuses."),
        ({"ticket_types": ["x"]}, "Choose ticket types of this edition."),
        ({"ticket_types": [999999]}, "Choose ticket types of this edition."),
        ({"statuses": ["refused"]}, "No registration matches these filters."),
    ],
)
def test_bad_filters_start_nothing(edition, delegate, organizer, filters, message):
    RegistrationFactory(ticket_type=delegate)
    with pytest.raises(DocumentJobError, match=re.escape(message)):
        start_document_job(
            edition=edition, kind=DocumentJobKind.BADGES, filters=filters, actor=organizer
        )
    assert DocumentJob.objects.count() == 0


def test_another_editions_ticket_type_is_refused(edition, other_edition, delegate, organizer):
    manila = TicketTypeFactory(edition=other_edition)
    RegistrationFactory(ticket_type=delegate)
    with pytest.raises(DocumentJobError, match="Choose ticket types of this edition"):
        start_document_job(
            edition=edition,
            kind=DocumentJobKind.BADGES,
            filters={"ticket_types": [delegate.pk, manila.pk]},
            actor=organizer,
        )


def test_only_badges_are_printed_in_batch(edition, delegate, organizer):
    RegistrationFactory(ticket_type=delegate)
    with pytest.raises(DocumentJobError, match="cannot be printed in batch"):
        start_document_job(
            edition=edition, kind=DocumentJobKind.LETTERS, filters={}, actor=organizer
        )


def running_job(edition, registrations, **fields) -> DocumentJob:
    return DocumentJob.objects.create(
        edition=edition,
        kind=DocumentJobKind.BADGES,
        status=DocumentJobStatus.RUNNING,
        filters={"ticket_types": [], "statuses": ["confirmed"], "language": "en"},
        total=len(registrations),
        **fields,
    )


def test_progress_counts_each_part_once(edition, delegate):
    registrations = [RegistrationFactory(ticket_type=delegate) for _ in range(8)]
    job = running_job(edition, registrations)
    first, second = [r.pk for r in registrations[:4]], [r.pk for r in registrations[4:]]

    assert render_part(job_id=job.pk, index=0, ids=first) == "rendered"
    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == (DocumentJobStatus.RUNNING, 4, 50)
    # The same part delivered again by the broker is not counted twice.
    assert render_part(job_id=job.pk, index=0, ids=first) == "skipped"
    job.refresh_from_db()
    assert job.done == 4
    assert render_part(job_id=job.pk, index=1, ids=second) == "joined"
    job.refresh_from_db()
    assert (job.status, job.done) == (DocumentJobStatus.DONE, 8)
    assert len(job_text(job)) == 2


def test_a_failing_part_fails_the_job_with_its_error(edition, delegate, settings, tmp_path):
    registrations = [RegistrationFactory(ticket_type=delegate) for _ in range(4)]
    job = running_job(edition, registrations)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.PRIVATE_MEDIA_ROOT = blocked

    result = task_render_document_part.delay(
        job_id=job.pk, index=0, ids=[r.pk for r in registrations]
    )

    assert result.get() == "failed"
    job.refresh_from_db()
    assert job.status == DocumentJobStatus.FAILED
    assert job.error.startswith(("FileExistsError", "NotADirectoryError"))
    assert job.finished_at is not None
    # The other parts stop at once.
    assert render_part(job_id=job.pk, index=1, ids=[registrations[0].pk]) == "skipped"


def test_parts_are_time_limited():
    assert (task_render_document_part.soft_time_limit, task_render_document_part.time_limit) == (
        PART_SOFT_TIME_LIMIT,
        PART_TIME_LIMIT,
    )
    assert PART_TIME_LIMIT <= settings.CELERY_TASK_TIME_LIMIT


def test_a_lost_job_fails_after_its_deadline(edition, delegate):
    job = running_job(edition, [RegistrationFactory(ticket_type=delegate)])
    DocumentJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=121)
    )
    job.refresh_from_db()
    assert expire_lost_job(job).status == DocumentJobStatus.FAILED
    assert job.error == "The job did not finish in time."
    fresh = running_job(edition, [RegistrationFactory(ticket_type=delegate)])
    assert expire_lost_job(fresh).status == DocumentJobStatus.RUNNING


# --- A real worker --------------------------------------------------------------------------


def _test_database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{quote(db['NAME'], safe='')}"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_of_concurrency_2_renders_parts_in_both_processes(demo_site, tmp_path):
    edition = Edition.objects.get(slug="2009-tokyo")
    organizer = get_user_model().objects.get(username="tokyo-organizer")
    ticket = TicketTypeFactory(edition=edition, name="Worker test delegate")
    for i in range(100):
        RegistrationFactory(ticket_type=ticket, name=f"Person {i:03d}")
    queue = f"forum-test-{uuid.uuid4().hex}"
    nodename = f"{queue}@localhost"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "LOG_LEVEL": "INFO",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "forum", "worker", "--pool=prefork",
        "--concurrency=2", "--loglevel=INFO", "--without-heartbeat", "--without-gossip",
        "--without-mingle", "-n", nodename, "-Q", queue,
    ]  # fmt: skip
    celery_app.conf.task_always_eager = False  # the autouse fixture restores it
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    with log.open("wb") as output:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 30
        while f"{nodename} ready." not in log.read_text(errors="replace"):
            assert worker.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        job = start_document_job(
            edition=edition,
            kind=DocumentJobKind.BADGES,
            filters={"ticket_types": [ticket.pk]},  # the test's own registrations only
            actor=organizer,
        )  # autocommit: queued at once
        deadline = time.monotonic() + 120
        seen = set()
        while time.monotonic() < deadline:
            job.refresh_from_db()
            seen.add((job.status, job.done))
            if job.status in (DocumentJobStatus.DONE, DocumentJobStatus.FAILED):
                break
            time.sleep(0.05)
    finally:
        celery_app.conf.task_default_queue = previous_queue
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=15)
        with celery_app.connection_for_write() as broker:
            bound = celery_app.amqp.queues[queue].bind(broker.default_channel)
            bound.declare()
            bound.delete()

    output = log.read_text(errors="replace")
    assert job.status == DocumentJobStatus.DONE, f"{job.error}\n{output}"
    assert (job.done, job.total) == (100, 100)
    assert len(job_text(job)) == 25
    rendered_by = re.findall(rf"INFO/(ForkPoolWorker-\d+)\] job {job.pk} part (\d)", output)
    assert sorted(part for _process, part in rendered_by) == ["0", "1"]
    # The two parts were rendered by the two pool processes, side by side.
    assert len({process for process, _part in rendered_by}) == 2, output
