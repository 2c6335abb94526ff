"""Cached renderings of a release: keyed by edition, release number, language and name, so that
publishing a new release replaces them all without deleting anything.

Printed exports (the programme book) are files of the private storage instead, rendered by a
task, never in a request; a request that finds none serves the previous release's file or the
"being prepared" page (sessions_app.views)."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from forum.documents import private_storage, save_private, start_render_once
from sessions_app.models import Release


def programme_scope(edition_id: int) -> str:
    """The page cache's scope of an edition's public programme; its version is the id of the
    edition's latest release (forum/pagecache.py)."""
    return f"programme:{edition_id}"


def announce_current_release(release: Release) -> None:
    """`release` is now the edition's public programme: answers of the earlier one stored by the
    page cache are stale."""
    from forum.pagecache import set_scope_version

    set_scope_version(programme_scope(release.edition_id), release.pk)


def forget_current_release(edition_id: int) -> None:
    from forum.pagecache import forget_scope

    forget_scope(programme_scope(edition_id))


def release_cache_key(release: Release, name: str, language: str) -> str:
    return f"programme:{release.edition_id}:{release.number}:{language}:{name}"


def release_etag(release: Release, name: str, language: str) -> str:
    source = f"{release.pk}:{release.number}:{release.published_at.isoformat()}:{language}:{name}"
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def cached_rendering(release: Release, name: str, language: str, render: Callable[[], bytes]):
    """The rendering from the cache, made (and stored until the next release) if missing."""
    return cache.get_or_set(release_cache_key(release, name, language), render, timeout=None)


# --- Printed exports: files of the private storage, rendered by a task ------------------------


def is_printed(name: str) -> bool:
    """Exports too heavy to render in a request (the printed programme: seconds of CPU)."""
    return name.endswith(".pdf")


def _printed_folder(release: Release, language: str) -> str:
    return f"programme/{release.edition_id}/{language}"


def printed_file_name(release: Release, name: str, language: str) -> str:
    # The digest tells apart releases that once had the same number (a release deleted).
    digest = release_etag(release, name, language)[:16]
    return f"{_printed_folder(release, language)}/{release.number}-{digest}-{name}"


def printed_lock(release: Release, name: str, language: str) -> str:
    return f"programme:{release.edition_id}:{release.number}:{language}:{name}"


def stored_printed(release: Release, name: str, language: str) -> str | None:
    file = printed_file_name(release, name, language)
    return file if private_storage().exists(file) else None


def previous_printed(release: Release, name: str, language: str) -> str | None:
    """The same export of the latest earlier release that has one, if any (served while the
    new release's is rendered)."""
    folder = _printed_folder(release, language)
    storage = private_storage()
    if not storage.exists(folder):
        return None
    earlier = []
    for file in storage.listdir(folder)[1]:
        number, _digest, rest = [*file.split("-", 2), "", ""][:3]
        if rest == name and number.isdigit() and int(number) < release.number:
            earlier.append((int(number), file))
    return f"{folder}/{max(earlier)[1]}" if earlier else None


def start_printed_render(release: Release, name: str, language: str) -> bool:
    """Queue the render of a printed export unless one is already under way (a lock)."""
    from sessions_app.tasks import task_render_export

    return start_render_once(
        printed_lock(release, name, language),
        lambda: task_render_export.delay(release_id=release.pk, name=name, language=language),
    )


def prepared_printed(release: Release, name: str, language: str) -> str | None:
    """The stored file of the export, or None after starting its render (once). With eager
    tasks (the embedded default) the render happens here and the file is returned."""
    file = stored_printed(release, name, language)
    if file is None:
        start_printed_render(release, name, language)
        file = stored_printed(release, name, language)
    return file


def render_printed(release: Release, name: str, language: str) -> str:
    """Render the export of `release` into the private storage (the task's work)."""
    from sessions_app.exporters import EXPORTS

    file = printed_file_name(release, name, language)
    if not private_storage().exists(file):
        with translation.override(language):
            body = EXPORTS[name].render(
                release.snapshot, base_url=settings.SITE_URL, language=language
            )
        save_private(file, body)
    return file


# --- What of a release is ready (the publishing progress page) --------------------------------


@dataclass(frozen=True)
class ExportReadiness:
    name: str
    language: str
    ready: bool


def release_readiness(release: Release) -> list[ExportReadiness]:
    """Each export of `release` in each site language, and whether it is ready to serve without
    rendering: a light export is in the cache, a printed one is a stored file. One cache read
    and one storage check per export and language, whatever the size of the programme."""
    from sessions_app.exporters import EXPORTS

    rows = []
    for language, _name in settings.LANGUAGES:
        keys = {
            name: release_cache_key(release, name, language)
            for name in EXPORTS
            if not is_printed(name)
        }
        cached = cache.get_many(list(keys.values())) if keys else {}
        for name in EXPORTS:
            if is_printed(name):
                ready = stored_printed(release, name, language) is not None
            else:
                ready = keys[name] in cached
            rows.append(ExportReadiness(name=name, language=language, ready=ready))
    return rows
