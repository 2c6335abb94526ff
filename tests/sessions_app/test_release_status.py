"""Publishing returns at once to a progress page, where each export of the release (calendar,
frab XML and JSON, the printed programme) becomes ready in every language; the page refreshes
itself until all are."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from forum.documents import save_private
from forum.models import Edition
from sessions_app.caching import printed_file_name, release_cache_key
from sessions_app.exporters import EXPORTS
from sessions_app.models import Release
from sessions_app.tasks import _render_into_cache

pytestmark = pytest.mark.django_db


def login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def status_url(slug: str, number: int) -> str:
    return reverse("sessions_app_release_status", args=[slug, number])


def test_publishing_leads_to_the_progress_page_until_every_export_is_ready(client):
    login(client, "tokyo-organizer")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    response = client.post(reverse("release:add"), {"edition": tokyo.pk, "title": "v3"})
    release = Release.objects.get(edition=tokyo, number=3)
    assert response.status_code == 302
    assert response["Location"] == status_url("2009-tokyo", 3)

    total = len(EXPORTS) * len(settings.LANGUAGES)
    html = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert f"0 of {total} exports ready" in html
    assert "Japanese" in html  # every site language
    assert "Thai" in html

    # A light export rendered by the warming task is in the cache: ready.
    _render_into_cache(release, "schedule.ics", "en")
    status = client.get(status_url("2009-tokyo", 3), HTTP_ACCEPT="application/json").json()
    assert (status["ready"], status["total"], status["done"]) == (1, total, False)
    assert {"name": "schedule.ics", "language": "en", "ready": True} in status["exports"]

    # The rest: the printed programme as stored files, the others in the cache.
    for row in status["exports"]:
        if row["name"].endswith(".pdf"):
            save_private(printed_file_name(release, row["name"], row["language"]), b"%PDF-1.7")
        else:
            cache.set(release_cache_key(release, row["name"], row["language"]), b"x", None)
    done = client.get(status_url("2009-tokyo", 3)).content.decode()
    assert "Every export is ready." in done
    assert 'http-equiv="refresh"' not in done


def test_the_progress_page_is_the_editions_own(client):
    login(client, "tokyo-drafting")  # no programme role
    response = client.get(status_url("2009-tokyo", 1))
    assert response.status_code in (302, 403)
    login(client, "tokyo-organizer")
    assert client.get(status_url("2009-tokyo", 99)).status_code == 404
    assert client.get(status_url("no-such-edition", 1)).status_code == 404
