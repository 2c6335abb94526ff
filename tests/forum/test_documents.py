"""Private files (forum/documents/): where files are kept, Wagtail documents through Wagtail's
serve view only, signed links that expire, and the render-once lock."""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from forum.documents import (
    SIGNED_LINK_SALT,
    private_storage,
    release_render_lock,
    save_private,
    signed_file_url,
    start_render_once,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", "alice@example.org", "pw-alice-2009")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob", "bob@example.org", "pw-bob-2009")


@pytest.fixture
def stored(db):
    return save_private("tests/secret-report.pdf", b"%PDF-1.7 secret")


# A streamed file is read to its end, which closes it (the test client's wrapper); never
# response.close(): that sends request_finished, which closes the database connection in the
# middle of the test's transaction (PostgreSQL).


def _document(collection, name: str, body: bytes):
    return get_document_model().objects.create(
        title=name, file=ContentFile(body, name=name), collection=collection
    )


def test_private_storage_is_outside_media_root_and_has_no_address(stored):
    path = Path(private_storage().path(stored))
    assert path.read_bytes() == b"%PDF-1.7 secret"
    assert Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    with pytest.raises(NotImplementedError):
        private_storage().url(stored)


def test_images_stay_public_in_media_root():
    name = default_storage.save("images/poster.png", ContentFile(b"png"))
    assert Path(settings.MEDIA_ROOT) in Path(default_storage.path(name)).parents
    assert default_storage.url(name) == f"/media/{name}"


def test_wagtail_documents_are_kept_in_private_storage_and_served_by_wagtail_only(client):
    root = Collection.get_first_root_node()
    document = _document(root, "minutes.pdf", b"%PDF-1.7 minutes")
    assert document.file.name == "documents/minutes.pdf"
    assert not (Path(settings.MEDIA_ROOT) / "documents").exists()
    assert Path(private_storage().path(document.file.name)).read_bytes() == b"%PDF-1.7 minutes"
    # The only address is Wagtail's serve view, which applies collection privacy.
    assert document.url == f"/documents/{document.pk}/minutes.pdf"
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 minutes"
    assert client.get("/media/documents/minutes.pdf").status_code == 404


def test_a_private_collections_document_is_refused_to_visitors(client, alice):
    private = Collection.get_first_root_node().add_child(name="Organizers only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = _document(private, "budget.pdf", b"%PDF-1.7 budget")
    response = client.get(document.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    client.force_login(alice)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 budget"


def test_a_signed_link_serves_the_file_to_its_owner_only(client, stored, alice, bob):
    url = signed_file_url(stored, user=alice, filename="report.pdf")
    assert url.startswith("/files/")
    assert "secret-report" not in url
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(bob)
    assert client.get(url).status_code == 404  # someone else
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 secret"
    assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_signed_link_stops_working_after_it_expires(client, stored, alice):
    class Earlier(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - settings.PRIVATE_FILE_LINK_MAX_AGE - 5)

    payload = {"n": stored, "u": alice.pk, "f": "report.pdf", "t": "application/pdf"}
    expired = Earlier(salt=SIGNED_LINK_SALT).sign_object(payload, compress=True)
    fresh = signing.TimestampSigner(salt=SIGNED_LINK_SALT).sign_object(payload, compress=True)
    client.force_login(alice)
    response = client.get(f"/files/{fresh}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 secret"
    assert client.get(f"/files/{expired}/").status_code == 404


def test_a_link_cannot_be_made_up_or_altered(client, stored, alice):
    client.force_login(alice)
    url = signed_file_url(stored, user=alice, filename="report.pdf")
    token = url.removeprefix("/files/").rstrip("/")
    forged = signing.dumps(
        {"n": stored, "u": alice.pk, "f": "report.pdf"}, key="not-the-secret", salt=SIGNED_LINK_SALT
    )
    for guess in (
        "/files/1/",
        f"/files/{stored}/",
        "/files/tests%2Fsecret-report.pdf/",
        f"/files/{forged}/",
        f"/files/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}/",
        f"/media/{stored}",
    ):
        assert client.get(guess).status_code == 404, guess


def test_a_render_is_started_once_until_its_lock_is_released():
    started = []
    assert start_render_once("report", lambda: started.append(1)) is True
    assert start_render_once("report", lambda: started.append(2)) is False
    assert start_render_once("other", lambda: started.append(3)) is True
    assert started == [1, 3]
    release_render_lock("report")
    assert start_render_once("report", lambda: started.append(4)) is True
    assert started == [1, 3, 4]


def test_a_broker_that_is_down_leaves_no_lock_behind(caplog):
    def broken():
        raise ConnectionError("broker down")

    assert start_render_once("report", broken) is False
    assert cache.get("render-lock:report") is None
    assert "could not queue the render of report" in caplog.text


def test_files_left_in_media_root_by_older_versions_move_to_private_storage(settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    for name in ("documents/minutes.pdf", "document-jobs/2009-tokyo-badges-1.pdf", "images/a.png"):
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(name.encode())
    out = StringIO()
    call_command("move_private_files", stdout=out)
    assert out.getvalue().endswith("moved 2 file(s)\n")
    assert sorted(p.name for p in settings.MEDIA_ROOT.iterdir()) == ["images"]
    assert (settings.PRIVATE_MEDIA_ROOT / "documents/minutes.pdf").read_bytes() == (
        b"documents/minutes.pdf"
    )
    assert private_storage().exists("document-jobs/2009-tokyo-badges-1.pdf")
    again = StringIO()
    call_command("move_private_files", stdout=again)
    assert again.getvalue() == "moved 0 file(s)\n"
