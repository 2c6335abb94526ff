import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation

logger = logging.getLogger(__name__)


@shared_task(name="sessions_app.warm_programme_cache")
def task_warm_programme_cache(*, release_id: int) -> None:
    """Render a newly published release's exports into the cache, in every language, so that
    the first calendar client to poll does not wait for them."""
    from sessions_app.exporters import EXPORTS
    from sessions_app.models import Release

    release = Release.objects.select_related("edition").filter(pk=release_id).first()
    if release is None:
        logger.info("release %s is gone; nothing to warm", release_id)
        return
    for language, _name in settings.LANGUAGES:
        for name in EXPORTS:
            if name.endswith(".pdf"):
                # Heavier: a task of its own, under its own time limit.
                task_render_export.delay(release_id=release.pk, name=name, language=language)
            else:
                _render_into_cache(release, name, language)
    logger.info("release %s of %s warmed", release.number, release.edition.slug)


@shared_task(name="sessions_app.render_export", soft_time_limit=240, time_limit=300)
def task_render_export(*, release_id: int, name: str, language: str) -> None:
    """Render one export of a release (the printed programme) into the cache."""
    from sessions_app.models import Release

    release = Release.objects.filter(pk=release_id).first()
    if release is None:
        logger.info("release %s is gone; nothing to render", release_id)
        return
    _render_into_cache(release, name, language)


def _render_into_cache(release, name: str, language: str) -> None:
    from sessions_app.caching import cached_rendering
    from sessions_app.exporters import EXPORTS

    export = EXPORTS[name]
    with translation.override(language):
        cached_rendering(
            release,
            name,
            language,
            lambda: export.render(release.snapshot, base_url=settings.SITE_URL, language=language),
        )
