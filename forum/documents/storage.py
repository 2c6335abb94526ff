"""Generated and private files: where they are kept, how they are handed out, and how a missing
one is rendered once, in the background.

- Every generated file (badge batches and their parts, participants' badges, letters, receipts
  and certificates, the printed programme, statement PDFs and comment matrices) and every Wagtail
  document lives in the private storage (the "private" alias of STORAGES, the folder
  settings.PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT). It has no public address: a file leaves it
  through a view that checks who asks (`file_response`), or through a signed link that expires
  and works only for the person it was made for (`signed_file_url` → `serve_signed_file`).
- MEDIA_ROOT (the default storage) keeps only what may be public: images and their renditions.
  Wagtail stores documents through the default storage and has no option to change it, so
  `MediaStorage` keeps Wagtail's `documents/` folder in the private storage.
- A view whose file is missing starts its render in a Celery task, once (`start_render_once`:
  a lock in the shared cache), and answers with the "being prepared" page (`being_prepared`:
  503 with Retry-After). With eager tasks (the embedded default) the file exists as soon as the
  render was started, so the view serves it at once.

This module is the core's: it never imports a feature app.
"""

import logging
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PRIVATE_STORAGE_ALIAS = "private"
# Folders of the default storage that are kept in the private storage instead (Wagtail's
# documents: served only by Wagtail's serve view, which applies collection privacy).
PRIVATE_MEDIA_FOLDERS = ("documents",)
SIGNED_LINK_SALT = "forum.documents.file"
RENDER_LOCK_PREFIX = "render-lock:"
# How long a render may run before another request may start it again (a lost worker).
RENDER_LOCK_SECONDS = 10 * 60
RETRY_AFTER_SECONDS = 10


class PrivateStorage(FileSystemStorage):
    """Files in settings.PRIVATE_MEDIA_ROOT, with no URL of their own."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, base_url=None, **kwargs)

    # Read on each use (not cached): tests and management commands may move the folder.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        # Wagtail's serve view falls back to streaming the file when a storage has no URL.
        raise NotImplementedError("Private files have no public address.")


class MediaStorage(FileSystemStorage):
    """The default storage: MEDIA_ROOT, which a proxy may serve, except the folders of
    PRIVATE_MEDIA_FOLDERS, which are read and written in the private storage."""

    @staticmethod
    def is_private(name) -> bool:
        first = str(name).replace("\\", "/").lstrip("/").split("/", 1)[0]
        return first in PRIVATE_MEDIA_FOLDERS

    def path(self, name):
        if self.is_private(name):
            return private_storage().path(name)
        return super().path(name)

    def _save(self, name, content):
        if self.is_private(name):
            return private_storage()._save(name, content)
        return super()._save(name, content)

    def url(self, name):
        if self.is_private(name):
            raise NotImplementedError("Private files have no public address.")
        return super().url(name)


def private_storage() -> FileSystemStorage:
    return storages[PRIVATE_STORAGE_ALIAS]


def random_folder() -> str:
    """A folder name nobody can guess (128 random bits)."""
    return secrets.token_urlsafe(16)


def save_private(name: str, content: bytes) -> str:
    """Store `content` at exactly `name` in the private storage, replacing what was there; a
    reader never sees a half-written file (written beside it, then renamed over it)."""
    storage = private_storage()
    target = Path(storage.path(name))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o640)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def read_private(name: str) -> bytes:
    with private_storage().open(name, "rb") as stream:
        return stream.read()


def delete_private(*names: str) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)


def siblings(name: str, *, prefix: str) -> list[str]:
    """The other files beside `name` whose file name starts with `prefix` (older renderings of
    the same document), as storage names."""
    folder = os.path.dirname(name)
    storage = private_storage()
    if not storage.exists(folder):
        return []
    _dirs, files = storage.listdir(folder)
    return [
        f"{folder}/{file}"
        for file in files
        if file.startswith(prefix) and f"{folder}/{file}" != name and not file.startswith(".")
    ]


def file_response(
    name: str,
    *,
    filename: str,
    content_type: str = "application/pdf",
    as_attachment: bool = False,
    cache_control: str = "private, no-store",
) -> FileResponse:
    """A private file for a request whose permission the caller has checked (404 if gone)."""
    storage = private_storage()
    try:
        stream = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream, content_type=content_type, as_attachment=as_attachment, filename=filename
    )
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Signed links -----------------------------------------------------------------------------


def signed_file_url(
    name: str,
    *,
    user,
    filename: str,
    content_type: str = "application/pdf",
    as_attachment: bool = False,
) -> str:
    """A link to a private file for `user` alone, valid for settings.PRIVATE_FILE_LINK_MAX_AGE
    seconds. The token carries the storage name, signed with SECRET_KEY: it cannot be made up."""
    token = signing.dumps(
        {"n": name, "u": user.pk, "f": filename, "t": content_type, "a": as_attachment},
        salt=SIGNED_LINK_SALT,
        compress=True,
    )
    return reverse("private_file", kwargs={"token": token})


def serve_signed_file(request: HttpRequest, token: str) -> HttpResponse:
    """The file a signed link names, if the link is genuine, has not expired and was made for
    the person asking; 404 otherwise (anonymous visitors included)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    try:
        data = signing.loads(
            token, salt=SIGNED_LINK_SALT, max_age=settings.PRIVATE_FILE_LINK_MAX_AGE
        )
    except signing.BadSignature:  # forged, altered or expired (SignatureExpired)
        raise Http404 from None
    if data.get("u") != request.user.pk:
        raise Http404
    return file_response(
        data["n"],
        filename=data["f"],
        content_type=data.get("t", "application/pdf"),
        as_attachment=bool(data.get("a")),
    )


# --- Rendering once, in the background --------------------------------------------------------


def render_lock_key(key: str) -> str:
    return RENDER_LOCK_PREFIX + key


def start_render_once(key: str, enqueue: Callable[[], object]) -> bool:
    """Call `enqueue` (which queues the Celery task rendering the file `key`) unless a render
    of `key` was started less than RENDER_LOCK_SECONDS ago. The lock is an atomic `cache.add`
    on the shared cache; the task releases it when done (`release_render_lock`).

    Returns whether this call started the render. A broker that is down is logged and the lock
    released, so that a later request tries again."""
    lock = render_lock_key(key)
    if not cache.add(lock, 1, RENDER_LOCK_SECONDS):
        return False
    try:
        enqueue()
    except Exception:
        logger.exception("could not queue the render of %s", key)
        cache.delete(lock)
        return False
    return True


def release_render_lock(key: str) -> None:
    cache.delete(render_lock_key(key))


def being_prepared(request: HttpRequest, *, title: str = "", back_url: str = "") -> HttpResponse:
    """The "being prepared" page: 503 with Retry-After, refreshed by the browser (a meta
    refresh, no script). `back_url` defaults to the folder the file is in (the page that
    links to it)."""
    if not back_url:
        back_url = request.path.rstrip("/").rsplit("/", 1)[0] + "/"
    response = render(
        request,
        "documents/being_prepared.html",
        {
            "title": title or _("Your document is being prepared"),
            "retry_after": RETRY_AFTER_SECONDS,
            "back_url": back_url,
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
