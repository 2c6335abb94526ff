"""Registration's reactions to other apps (connected in RegistrationConfig.ready())."""

import logging

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from cms.signals import edition_page_created
from sessions_app.services.releases import release_published

logger = logging.getLogger(__name__)


@receiver(release_published, dispatch_uid="registration.notify_session_changes")
def notify_participants_of_release(sender, release, **kwargs) -> None:
    """A new programme release: tell the participants whose sessions moved or were cancelled,
    from a task (many emails); if the broker is down, right here, so none is lost."""
    from registration.services.notices import notify_session_changes
    from registration.tasks import task_notify_session_changes

    try:
        task_notify_session_changes.delay(release_id=release.pk)
    except OperationalError:  # the broker is down: write the notices now (the outbox keeps them)
        logger.warning("could not queue the notices of release %s; writing them now", release.pk)
        notify_session_changes(release=release)


@receiver(edition_page_created, dispatch_uid="registration.add_registration_page")
def add_registration_page(sender, page, **kwargs) -> None:
    """A new edition page: registration's page beneath it, at /<edition>/register/, in every
    language."""
    from cms.services import add_section_page
    from registration.pages import RegistrationPage

    add_section_page(
        edition_page=page, page_class=RegistrationPage, slug="register", title=_("Registration")
    )
