import sys

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from forum.documents import checks  # noqa: F401 (the PDF fonts' system check)
        from forum.redis_probe import RedisUnreachableError, probe_redis

        if settings.REDIS_URL:
            try:
                probe_redis(settings.REDIS_URL)
            except RedisUnreachableError as exc:
                # One clear line, no traceback: the operator's next step is obvious.
                sys.stderr.write(f"{exc}\n")
                sys.exit(1)
