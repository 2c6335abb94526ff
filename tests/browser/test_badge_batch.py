"""A badge batch followed in a real Chromium: the job page's script polls the job's status and
moves the progress bar as parts finish, then offers the download.

The database cannot be used in this thread while Playwright's loop runs, so the parts are
rendered (as the worker would) from another thread.
"""

import re
import threading

import pytest
from playwright.sync_api import Page, expect

from registration.enums import DocumentJobKind, DocumentJobStatus

pytestmark = pytest.mark.browser


def in_thread(function):
    """Run `function` in a thread of its own (with its own database connection)."""
    outcome = {}

    def run():
        from django.db import connection

        try:
            outcome["value"] = function()
        except Exception as error:  # re-raised below, in the test's thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def make_running_job():
    from forum.models import Edition
    from registration.models import DocumentJob
    from tests.factories.documents import RegistrationFactory, TicketTypeFactory

    edition = Edition.objects.get(slug="2009-tokyo")
    # A ticket type of the test's own (the demo has its "Delegate" and its registrations).
    ticket = TicketTypeFactory(edition=edition, name="Browser batch delegate")
    ids = [RegistrationFactory(ticket_type=ticket, name=f"Person {i}").pk for i in range(8)]
    job = DocumentJob.objects.create(
        edition=edition,
        kind=DocumentJobKind.BADGES,
        status=DocumentJobStatus.RUNNING,
        filters={"ticket_types": [ticket.pk], "statuses": ["confirmed"], "language": "en"},
        total=len(ids),
    )
    return job.pk, ids


def test_progress_bar_follows_the_parts_and_offers_the_download(page: Page, live_server):
    from registration.documents.services.batches import render_part

    job_id, ids = in_thread(make_running_job)
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("tokyo-organizer")
    page.locator("#id_password").fill("afse-demo-2009")
    page.locator("form button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{live_server.url}/admin/registration-documents/jobs/{job_id}/")
    progress = page.locator("#job-progress")
    expect(progress).to_have_attribute("value", "0")
    expect(page.locator("[data-job-count]")).to_have_text("0 of 8 badges")
    expect(page.locator("[data-job-download]")).to_be_hidden()

    in_thread(lambda: render_part(job_id=job_id, index=0, ids=ids[:4]))
    expect(page.locator("[data-job-count]")).to_have_text("4 of 8 badges")
    expect(progress).to_have_attribute("value", "4")
    expect(page.locator("[data-job-status]")).to_have_text("Running")

    in_thread(lambda: render_part(job_id=job_id, index=1, ids=ids[4:]))
    expect(page.locator("[data-job-status]")).to_have_text("Done")
    expect(page.locator("[data-job-count]")).to_have_text("8 of 8 badges")
    link = page.get_by_role("link", name="Download the badges (PDF)")
    expect(link).to_be_visible()
    expect(page.locator("[data-job-refresh]")).to_be_hidden()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"2009-tokyo-badges-{job_id}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
