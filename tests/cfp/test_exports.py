"""The dashboard's CSV export: started by a POST, written by a task into the private storage,
its page shows the progress (refreshing itself, or as JSON) and hands the file only to the
edition's committee; with anonymised review the file has no names."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from cfp.enums import ExportStatus
from cfp.models import ProposalExport, ProposalType, Review, ReviewAssignment
from cfp.selectors import DashboardFilters
from cfp.services.exports import (
    EXPORT_DEADLINE,
    start_proposal_export,
    write_proposal_export,
)
from forum.documents import private_storage
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.cfp import ProposalFactory, organizer, reviewer
from tests.factories.programme import TrackFactory


def _export(client, url, capture) -> ProposalExport:
    """POST the export (its task runs at commit, eagerly) and follow to its page."""
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    pk = int(re.search(r"/committee/exports/(\d+)/$", response["Location"]).group(1))
    return ProposalExport.objects.get(pk=pk)


def _download(client, base_url, export) -> str:
    response = client.get(f"{base_url}committee/exports/{export.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="2009-tokyo-proposals.csv"' in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def two_proposals(edition):
    """Two proposals with known reviews, in the order of the default sort (highest score)."""
    first_reviewer = reviewer(edition, username="csv-reviewer-1")
    second_reviewer = reviewer(edition, username="csv-reviewer-2")
    track = TrackFactory(edition=edition, name="Social finance")
    panel = ProposalType.objects.get(edition=edition, name="Panel")
    submitter = UserFactory(username="csv-submitter", first_name="Aiko", last_name="Tanaka")
    high = ProposalFactory(
        edition=edition,
        title="=HYPERLINK(1)",
        language="ja",
        country="JP",
        track=track,
        submitter=submitter,
    )
    high.organizations.add(
        OrganizationFactory(name="Kobe Workers' Co-op"), OrganizationFactory(name="Asia Fund")
    )
    low = ProposalFactory(
        edition=edition,
        title="Korean proposal",
        language="ko",
        country="KR",
        proposal_type=panel,
        submitter=UserFactory(username="csv-second", first_name="", last_name=""),
    )
    ReviewAssignment.objects.create(proposal=high, reviewer=first_reviewer)
    ReviewAssignment.objects.create(proposal=high, reviewer=second_reviewer)
    Review.objects.create(proposal=high, reviewer=first_reviewer, weighted_score=Decimal("4.50"))
    Review.objects.create(proposal=high, reviewer=second_reviewer, weighted_score=Decimal("3.25"))
    Review.objects.create(proposal=low, reviewer=first_reviewer, weighted_score=Decimal("1.00"))
    return high, low


def test_the_export_task_writes_the_rows_the_request_wrote_before(
    client,
    call,
    edition,
    organizer_user,
    base_url,
    two_proposals,
    django_capture_on_commit_callbacks,
):
    high, low = two_proposals
    client.force_login(organizer_user)
    export = _export(client, base_url + "committee/export/", django_capture_on_commit_callbacks)
    assert (export.status, export.rows, export.anonymised) == (ExportStatus.DONE, 2, False)
    assert export.file.name.startswith("cfp-exports/")
    assert private_storage().exists(export.file.name)
    # The rows of the former export in the request (same columns, formulas neutralised,
    # organizations in their order, the submitter's user name when there is no full name).
    assert _download(client, base_url, export) == (
        "ID,Title,Type,Track,Language,Country,State,Reviews,Reviewers assigned,"
        "Mean weighted score,Submitter,Organizations\r\n"
        f"{high.pk},'=HYPERLINK(1),Workshop,Social finance,Japanese,JP,Submitted,2,2,3.88,"
        "Aiko Tanaka,Asia Fund; Kobe Workers' Co-op\r\n"
        f"{low.pk},Korean proposal,Panel,,Korean,KR,Submitted,1,0,1.00,csv-second,\r\n"
    )


def test_the_export_keeps_the_dashboards_filters_and_sort(
    client,
    call,
    edition,
    organizer_user,
    base_url,
    two_proposals,
    django_capture_on_commit_callbacks,
):
    high, low = two_proposals
    client.force_login(organizer_user)
    korean = _export(
        client, base_url + "committee/export/?language=ko", django_capture_on_commit_callbacks
    )
    body = _download(client, base_url, korean)
    assert "Korean proposal" in body
    assert "HYPERLINK" not in body
    lowest_first = _export(
        client, base_url + "committee/export/?sort=-score", django_capture_on_commit_callbacks
    )
    lines = _download(client, base_url, lowest_first).splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == [str(low.pk), str(high.pk)]


def test_the_export_is_written_in_the_language_it_was_asked_in(
    client, call, edition, organizer_user, two_proposals
):
    export = start_proposal_export(
        edition=edition, filters=DashboardFilters(), language="ja", actor=organizer_user
    )
    assert write_proposal_export(export_id=export.pk) == "done"
    export.refresh_from_db()
    with private_storage().open(export.file.name, "rb") as stream:
        body = stream.read().decode()
    assert "ワークショップ" in body
    assert "Workshop" not in body


def test_anonymised_export_hides_names(
    client,
    call,
    edition,
    organizer_user,
    base_url,
    two_proposals,
    django_capture_on_commit_callbacks,
):
    call.anonymised_review = True
    call.save()
    client.force_login(organizer_user)
    export = _export(client, base_url + "committee/export/", django_capture_on_commit_callbacks)
    assert export.anonymised is True
    body = _download(client, base_url, export)
    assert body.splitlines()[0] == (
        "ID,Title,Type,Track,Language,Country,State,Reviews,Reviewers assigned,Mean weighted score"
    )
    for name in ("Aiko", "Tanaka", "csv-submitter", "csv-second", "Kobe", "Asia Fund"):
        assert name not in body
    assert "Korean proposal" in body


def test_a_file_with_names_is_not_handed_out_once_the_review_is_anonymised(
    client,
    call,
    edition,
    organizer_user,
    base_url,
    two_proposals,
    django_capture_on_commit_callbacks,
):
    client.force_login(organizer_user)
    export = _export(client, base_url + "committee/export/", django_capture_on_commit_callbacks)
    call.anonymised_review = True
    call.save()
    assert client.get(f"{base_url}committee/exports/{export.pk}/download/").status_code == 404
    page = client.get(f"{base_url}committee/exports/{export.pk}/").content.decode()
    assert "before the review was anonymised" in page
    assert "/download/" not in page


def test_the_export_page_refreshes_until_ready_and_answers_json(
    client,
    call,
    edition,
    organizer_user,
    base_url,
    two_proposals,
    held_tasks,
    django_capture_on_commit_callbacks,
):
    client.force_login(organizer_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base_url + "committee/export/?language=ko")
    assert held_tasks() == 1
    export = ProposalExport.objects.get(edition=edition)
    assert response["Location"] == f"{base_url}committee/exports/{export.pk}/"
    # Not written yet (no worker has taken the task): the page refreshes itself.
    waiting = client.get(response["Location"])
    assert waiting["Cache-Control"] == "no-store"
    assert '<meta http-equiv="refresh" content="2">' in waiting.content.decode()
    assert "/download/" not in waiting.content.decode()
    state = client.get(response["Location"], HTTP_ACCEPT="application/json").json()
    assert (state["status"], state["finished"], state["download_url"]) == ("queued", False, "")
    assert write_proposal_export(export_id=export.pk) == "done"
    assert write_proposal_export(export_id=export.pk) == "skipped"
    ready = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert "Download the CSV file (1 proposal)" in ready
    state = client.get(response["Location"], HTTP_ACCEPT="application/json").json()
    assert state == {
        "id": export.pk,
        "status": "done",
        "status_label": "Ready",
        "finished": True,
        "rows": 1,
        "anonymised": False,
        "stale": False,
        "download_url": f"{base_url}committee/exports/{export.pk}/download/",
        "error": "",
    }


def test_an_export_whose_worker_was_lost_is_shown_failed(
    client, call, edition, organizer_user, base_url
):
    export = ProposalExport.objects.create(edition=edition, created_by=organizer_user)
    ProposalExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - EXPORT_DEADLINE - datetime.timedelta(minutes=1)
    )
    client.force_login(organizer_user)
    state = client.get(
        f"{base_url}committee/exports/{export.pk}/", HTTP_ACCEPT="application/json"
    ).json()
    assert (state["status"], state["finished"]) == ("failed", True)
    assert state["error"] == "The export took too long; start it again."


def test_the_export_is_started_by_a_post_only(client, call, organizer_user, base_url):
    client.force_login(organizer_user)
    assert client.get(base_url + "committee/export/").status_code == 405
    assert not ProposalExport.objects.exists()


def test_only_the_editions_committee_reaches_an_export(
    client,
    call,
    edition,
    other_edition,
    organizer_user,
    reviewer_user,
    base_url,
    two_proposals,
    django_capture_on_commit_callbacks,
):
    client.force_login(organizer_user)
    export = _export(client, base_url + "committee/export/", django_capture_on_commit_callbacks)
    status_url = f"{base_url}committee/exports/{export.pk}/"
    download_url = status_url + "download/"
    client.logout()
    # Anonymous visitors are sent to log in; nothing is handed out.
    assert client.get(download_url).status_code == 302
    assert client.post(base_url + "committee/export/").status_code == 302
    # A reviewer of this edition (programme committee, not the organizers) is refused.
    client.force_login(reviewer_user)
    assert client.get(download_url).status_code == 403
    assert client.get(status_url).status_code == 403
    assert client.post(base_url + "committee/export/").status_code == 403
    # An organizer and a reviewer of another edition are refused here.
    for outsider in (
        organizer(other_edition, username="manila-organizer"),
        reviewer(other_edition, username="manila-reviewer"),
        UserFactory(username="nobody-here"),
    ):
        client.force_login(outsider)
        assert client.get(download_url).status_code == 403
        assert client.get(status_url).status_code == 403
    assert ProposalExport.objects.count() == 1


def test_an_export_of_another_edition_is_not_reached_through_this_one(
    client, call, edition, other_edition, organizer_user, base_url
):
    from cfp.models import Call

    Call.objects.create(edition=other_edition, opens_at=call.opens_at, closes_at=call.closes_at)
    foreign = start_proposal_export(
        edition=other_edition, filters=DashboardFilters(), language="en", actor=None
    )
    assert write_proposal_export(export_id=foreign.pk) == "done"
    client.force_login(organizer_user)  # an organizer of this edition only
    assert client.get(f"{base_url}committee/exports/{foreign.pk}/").status_code == 404
    assert client.get(f"{base_url}committee/exports/{foreign.pk}/download/").status_code == 404


def test_old_exports_and_their_files_are_removed_when_a_new_one_starts(
    call, edition, organizer_user, django_capture_on_commit_callbacks
):
    old = start_proposal_export(
        edition=edition, filters=DashboardFilters(), language="en", actor=organizer_user
    )
    write_proposal_export(export_id=old.pk)
    old.refresh_from_db()
    ProposalExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    with django_capture_on_commit_callbacks(execute=True):
        start_proposal_export(
            edition=edition, filters=DashboardFilters(), language="en", actor=organizer_user
        )
    assert not ProposalExport.objects.filter(pk=old.pk).exists()
    assert not private_storage().exists(old.file.name)
