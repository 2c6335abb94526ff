from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CfpConfig(AppConfig):
    name = "cfp"
    verbose_name = _("Call for proposals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cfp import signals  # noqa: F401 (connects the receivers)
        from cfp.edition_copy import register_copiers

        register_copiers()
