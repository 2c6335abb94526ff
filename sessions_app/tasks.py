import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation

logger = logging.getLogger(__name__)


@shared_task(name="sessions_app.warm_programme_cache")
def task_warm_programme_cache(*, release_id: int) -> None:
    """Render a newly published release's exports into the cache, in every language, so that
    the first calendar client to poll does not wait for them."""
    from sessions_app.caching import cached_rendering
    from sessions_app.exporters import EXPORTS
    from sessions_app.models import Release

    release = Release.objects.select_related("edition").filter(pk=release_id).first()
    if release is None:
        logger.info("release %s is gone; nothing to warm", release_id)
        return
    base_url = settings.SITE_URL
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name, export in EXPORTS.items():
                cached_rendering(
                    release,
                    name,
                    language,
                    lambda e=export, lang=language: e.render(
                        release.snapshot, base_url=base_url, language=lang
                    ),
                )
    logger.info("release %s of %s warmed", release.number, release.edition.slug)
