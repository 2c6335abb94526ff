"""Smaller holes: the 400 page, polyglot uploads, link schemes drawn from the database, the
admin's Gravatar and Content-Security-Policy."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

# A GIF header whose width/height bytes open a JavaScript comment: a valid script and, to a
# sniffer, a GIF (the classic image/script polyglot).
POLYGLOT = b"GIF89a/*\x00\x00\x00\x00\x00\x00\x00*/=1;alert(document.domain);//"


@pytest.fixture
def organizer_client(client):
    client.force_login(get_user_model().objects.get(username="tokyo-organizer"))
    return client


def test_a_gif_script_polyglot_upload_gets_a_form_error(organizer_client):
    response = organizer_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Polyglot",
            "file": SimpleUploadedFile("poly.gif", POLYGLOT, "image/gif"),
            "collection": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.filter(title="Polyglot").exists()

    multiple = organizer_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("poly.gif", POLYGLOT, "image/gif"), "collection": "1"},
    )
    assert multiple.status_code == 200
    assert multiple.json()["success"] is False
    assert not get_image_model().objects.filter(title="poly.gif").exists()


def test_javascript_links_written_to_the_database_are_not_drawn_live(client):
    from sessions_app.models import Release
    from sessions_app.services.releases import cut_release_parts

    release = Release.objects.filter(edition__slug="2009-tokyo").order_by("-number").first()
    snapshot = release.snapshot
    session = next(s for s in snapshot["sessions"] if s["slug"] == "micro-finance-and-npo-banks")
    session["abstract"] = (
        '<p>Read <a href="javascript:alert(1)">the brief</a>, '
        '<a href=" JaVaScRiPt:alert(2)">the notes</a> and '
        '<a href="https://example.org/report">the report</a>.</p>'
        '<p onclick="alert(3)"><script>alert(4)</script>Done.</p>'
    )
    session["materials"] = [{"title": "Slides", "url": "javascript:alert(5)"}]
    speaker = next(s for s in snapshot["speakers"] if s["slug"] == "hiroshi-tanaka")
    speaker["links"] = ["javascript:alert(6)", "https://example.org/hiroshi"]
    Release.objects.filter(pk=release.pk).update(snapshot=snapshot)
    # The session and speaker pages read the parts cut from the snapshot at publication.
    release.refresh_from_db()
    release.parts.all().delete()
    cut_release_parts(release)

    base = "/2009-tokyo/programme/"
    page = client.get(base + "sessions/micro-finance-and-npo-banks/").content.decode()
    assert "javascript" not in page.lower()
    assert "alert(" not in page
    assert "onclick" not in page
    assert '<a href="https://example.org/report" rel="noopener">the report</a>' in page
    assert '<a rel="noopener">the brief</a>' in page
    assert "<li>Slides</li>" in page
    speaker_page = client.get(base + "speakers/hiroshi-tanaka/").content.decode()
    assert 'href="javascript' not in speaker_page.lower()
    assert "<li>javascript:alert(6)</li>" in speaker_page  # shown as text, not as a link
    assert 'href="https://example.org/hiroshi"' in speaker_page


def test_the_400_page_for_an_unknown_host_does_not_repeat_the_host(client):
    response = client.get("/", HTTP_HOST="attacker-<b>evil</b>.example")
    assert response.status_code == 400
    text = response.content.decode()
    assert "attacker" not in text
    assert "evil" not in text
    assert "The request could not be understood." in text


def test_the_admin_sends_its_content_security_policy(client):
    login = client.get("/admin/login/")
    policy = login["Content-Security-Policy"]
    assert policy.startswith("default-src 'self'; script-src 'self' 'unsafe-inline';")
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "http" not in policy  # nothing from another host
    # The public site keeps its own, stricter policy.
    public = client.get("/")["Content-Security-Policy"]
    assert "unsafe-inline" not in public


def test_the_admin_loads_no_gravatar(organizer_client):
    for path in ("/admin/", "/admin/account/"):
        assert "gravatar" not in organizer_client.get(path).content.decode().lower()
