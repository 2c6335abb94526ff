"""Cached renderings of a release: keyed by edition, release number, language and name, so that
publishing a new release replaces them all without deleting anything."""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from sessions_app.models import Release


def release_cache_key(release: Release, name: str, language: str) -> str:
    return f"programme:{release.edition_id}:{release.number}:{language}:{name}"


def release_etag(release: Release, name: str, language: str) -> str:
    source = f"{release.pk}:{release.number}:{release.published_at.isoformat()}:{language}:{name}"
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def cached_rendering(release: Release, name: str, language: str, render: Callable[[], bytes]):
    """The rendering from the cache, made (and stored until the next release) if missing."""
    return cache.get_or_set(release_cache_key(release, name, language), render, timeout=None)
