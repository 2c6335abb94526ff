"""The printed programme is never rendered in a request: a file of the private storage, made by
a task (once, under a lock); conditional GET through Django's machinery; every cached page and
export in the language asked for."""

import io
import shutil

import pytest
import weasyprint
from django.utils.http import http_date
from pypdf import PdfReader

from forum.documents import private_storage, read_private
from forum.models import Edition
from sessions_app.caching import previous_printed, printed_file_name, stored_printed
from sessions_app.models import Release
from sessions_app.services.releases import publish_release
from sessions_app.tasks import task_render_export

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/programme/"
PDF = "programme.pdf"


def _lang(pdf: bytes) -> str:
    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"])


@pytest.fixture
def tokyo(db):
    return Edition.objects.get(slug="2009-tokyo")


def test_after_publishing_the_previous_release_is_served_until_the_new_one_is_rendered(
    client, tokyo, held_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    before = Release.objects.filter(edition=tokyo).order_by("-number").first()
    task_render_export.apply(kwargs={"release_id": before.pk, "name": PDF, "language": "en"})
    previous_file = printed_file_name(before, PDF, "en")
    assert private_storage().exists(previous_file)
    with django_capture_on_commit_callbacks(execute=True):
        release = publish_release(edition=tokyo, title="v3")
    # The cache warming (and registration's notices), waiting for a worker.
    queued = held_tasks()
    assert queued >= 1

    def no_rendering(*args, **kwargs):
        raise AssertionError("a PDF was rendered in the request")

    with monkeypatch.context() as patch:  # nothing is rendered here, whatever the machine's load
        patch.setattr(weasyprint.HTML, "write_pdf", no_rendering)
        response = client.get(BASE + PDF)
    assert response.status_code == 200
    assert response.content == read_private(previous_file)
    assert response["Cache-Control"] == "no-cache"
    assert "ETag" not in response
    assert "Last-Modified" not in response
    assert held_tasks() == queued + 1  # its render, queued once…
    assert client.get(BASE + PDF).status_code == 200
    assert held_tasks() == queued + 1  # …not again while it is under way
    assert stored_printed(release, PDF, "en") is None

    task_render_export.apply(kwargs={"release_id": release.pk, "name": PDF, "language": "en"})
    ready = client.get(BASE + PDF)
    assert ready.status_code == 200
    assert ready.content == read_private(printed_file_name(release, PDF, "en"))
    assert ready.content != read_private(previous_file)
    assert ready["Cache-Control"] == "public, max-age=300"
    assert ready["Content-Disposition"] == 'inline; filename="2009-tokyo-programme.pdf"'
    assert ready["Last-Modified"] == http_date(release.published_at.timestamp())
    assert previous_printed(release, PDF, "en") == previous_file


def test_with_no_file_at_all_the_page_says_it_is_being_prepared(client, tokyo, held_tasks):
    shutil.rmtree(private_storage().path(f"programme/{tokyo.pk}/ja"), ignore_errors=True)
    response = client.get("/ja" + BASE + PDF)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert '<html lang="ja">' in page
    assert '<meta http-equiv="refresh" content="10">' in page
    assert "<script" not in page
    assert 'href="/ja/2009-tokyo/programme/"' in page
    assert held_tasks() == 1
    assert client.get("/ja" + BASE + PDF).status_code == 503
    assert held_tasks() == 1  # one render, not one per visitor


def test_the_embedded_default_renders_a_missing_file_when_asked(client, tokyo):
    # Eager tasks (make run): the task runs when queued, and the file is served at once.
    shutil.rmtree(private_storage().path(f"programme/{tokyo.pk}/en"), ignore_errors=True)
    response = client.get(BASE + PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "ETag" in response
    release = Release.objects.filter(edition=tokyo).order_by("-number").first()
    assert response.content == read_private(printed_file_name(release, PDF, "en"))


# --- Conditional GET ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [BASE, BASE + "schedule.ics", BASE + "schedule.json", BASE + PDF])
def test_a_weak_etag_sent_back_gets_304(client, path):
    first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"')
    again = client.get(path, HTTP_IF_NONE_MATCH=f"W/{etag}")
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert client.get(path, HTTP_IF_NONE_MATCH=f'W/"other", {etag}').status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200


@pytest.mark.parametrize("path", [BASE, BASE + "schedule.ics", BASE + "schedule.xml"])
def test_if_modified_since_gets_304_only_from_the_release_date_on(client, path, tokyo):
    release = Release.objects.filter(edition=tokyo).order_by("-number").first()
    published = release.published_at.timestamp()
    current = client.get(path, HTTP_IF_MODIFIED_SINCE=http_date(published))
    assert current.status_code == 304
    later = client.get(path, HTTP_IF_MODIFIED_SINCE=http_date(published + 3600))
    assert later.status_code == 304
    older = client.get(path, HTTP_IF_MODIFIED_SINCE=http_date(published - 1))
    assert older.status_code == 200
    assert older["Last-Modified"] == http_date(published)
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    stale = client.get(
        path, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=http_date(published)
    )
    assert stale.status_code == 200


# --- Both languages within one cache lifetime -------------------------------------------------


def test_the_page_and_every_export_answer_in_the_language_asked_within_one_cache_lifetime(
    client,
):
    def fetch(language: str, name: str):
        prefix = "" if language == "en" else "/ja"
        response = client.get(prefix + BASE + name)
        assert response.status_code == 200, (language, name)
        return response.content

    for round_ in range(2):  # the second round reads everything from the cache and the files
        for language in ("en", "ja", "en"):
            page = fetch(language, "").decode()
            assert f'<html lang="{language}">' in page
            ics = fetch(language, "schedule.ics").decode().replace("\r\n ", "")  # unfolded
            xml = fetch(language, "schedule.xml").decode()
            json = fetch(language, "schedule.json").decode()
            for body in (ics, xml, json):
                if language == "ja":
                    assert "/ja/2009-tokyo/programme/" in body, round_
                else:
                    assert "/ja/2009-tokyo/programme/" not in body, round_
            assert _lang(fetch(language, PDF)) == language
