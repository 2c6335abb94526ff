from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from registration import signals  # noqa: F401 (connects the receivers)
        from registration.organizer.edition_copy import register_copiers
        from registration.public import form_cache  # noqa: F401 (connects its receivers)

        register_copiers()

        from registration.mail.email_context import register_builders

        register_builders()

        from cms.extensions import register_session_panel
        from registration.public.session_panel import session_panel

        register_session_panel(session_panel)
