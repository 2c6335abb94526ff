"""Registration's reactions to other apps (connected in RegistrationConfig.ready())."""

import logging

from django.dispatch import receiver

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
    except Exception:  # the broker is down: write the notices now (the outbox keeps them)
        logger.warning("could not queue the notices of release %s; writing them now", release.pk)
        notify_session_changes(release=release)
