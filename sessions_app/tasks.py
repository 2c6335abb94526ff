import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation

logger = logging.getLogger(__name__)


@shared_task(name="sessions_app.warm_programme_cache")
def task_warm_programme_cache(*, release_id: int) -> None:
    """Render a newly published release's exports in every language, so that the first
    calendar client to poll does not wait for them: the light ones into the cache, the printed
    ones into files, each in a task of its own (unless a request already started it)."""
    from sessions_app.caching import is_printed, start_printed_render
    from sessions_app.exporters import EXPORTS
    from sessions_app.models import Release

    release = Release.objects.select_related("edition").filter(pk=release_id).first()
    if release is None:
        logger.info("release %s is gone; nothing to warm", release_id)
        return
    for language, _name in settings.LANGUAGES:
        for name in EXPORTS:
            if is_printed(name):
                start_printed_render(release, name, language)
            else:
                _render_into_cache(release, name, language)
    _warm_programme_pages(release)
    logger.info("release %s of %s warmed", release.number, release.edition.slug)


@shared_task(name="sessions_app.render_export", soft_time_limit=240, time_limit=300)
def task_render_export(*, release_id: int, name: str, language: str) -> None:
    """Render one printed export of a release (the programme book) into the private storage,
    then release the render lock that let it start."""
    from forum.documents import release_render_lock
    from sessions_app.caching import printed_lock, render_printed
    from sessions_app.models import Release

    release = Release.objects.filter(pk=release_id).first()
    if release is None:
        logger.info("release %s is gone; nothing to render", release_id)
        return
    try:
        render_printed(release, name, language)
    finally:
        release_render_lock(printed_lock(release, name, language))
    logger.info("%s of release %s rendered in %s", name, release.number, language)


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


def _warm_programme_pages(release) -> None:
    """The programme page in every language the edition's pages exist in, through the whole
    request path into the page cache (forum/pagecache.py): the first visitor after a release
    does not pay its rendering."""
    from forum.pagecache import warm
    from sessions_app.pages import ProgrammePage

    for page in ProgrammePage.objects.live().filter(edition_id=release.edition_id):
        url = page.get_url()
        if not url:
            continue
        status = warm(url)
        if status != 200:
            logger.warning("warming %s answered %s", url, status)
