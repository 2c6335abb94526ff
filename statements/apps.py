from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = _("Statement of commitment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from statements import signals  # noqa: F401 (connects the receivers)
