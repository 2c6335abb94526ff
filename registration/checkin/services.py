"""Checking participants in at the venue, by the code on their badge."""

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forum.models import Edition
from registration.enums import RegistrationStatus
from registration.models import Registration

# The alphabet of registration.models.new_badge_code, ten characters.
_CODE = re.compile(r"(?<![A-Za-z0-9])([A-HJ-NP-Za-hj-np-z2-9]{10})(?![A-Za-z0-9])")


class CheckInError(ValidationError):
    """Check-in refused; the message says why, for the person at the desk."""


def normalise_badge_code(raw: str) -> str:
    """The badge code in what was typed or scanned: the code itself in any case, or the code
    at the end of a scanned URL or text ("…/ABCD234XYZ"). Empty if there is none."""
    text = (raw or "").strip()
    found = _CODE.findall(text)
    return found[-1].upper() if found else ""


def local_time_text(value, edition: Edition) -> str:
    local = timezone.localtime(value, zoneinfo.ZoneInfo(edition.time_zone))
    return f"{formats.date_format(local, 'j M Y, H:i')} ({edition.time_zone})"


def check_in(*, edition: Edition, code: str, actor) -> Registration:
    """Record that the holder of the badge `code` has arrived at `edition`.

    Only a confirmed registration of this edition is checked in, and only once: the row is
    locked, so two desks scanning the same badge at once check it in once and the second is
    told the time of the first.
    Side effects: sets `checked_in_at` and `checked_in_by`.
    Raises CheckInError (nothing saved) for an unknown code, a registration that is not
    confirmed, or one already checked in.
    """
    badge_code = normalise_badge_code(code)
    if not badge_code:
        raise CheckInError(_("Enter or scan a badge code: ten letters and digits."))
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(edition=edition, badge_code=badge_code)
            .first()
        )
        if registration is None:
            raise CheckInError(
                _("No registration for %(edition)s has the badge code %(code)s.")
                % {"edition": edition.name, "code": badge_code}
            )
        if registration.checked_in_at is not None:
            raise CheckInError(
                _("%(name)s was already checked in at %(time)s.")
                % {
                    "name": registration.name,
                    "time": local_time_text(registration.checked_in_at, edition),
                }
            )
        if registration.status != RegistrationStatus.CONFIRMED:
            raise CheckInError(
                _("%(name)s cannot be checked in: the registration is “%(status)s”.")
                % {"name": registration.name, "status": registration.get_status_display()}
            )
        registration.checked_in_at = timezone.now()
        registration.checked_in_by = actor
        registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    return registration
