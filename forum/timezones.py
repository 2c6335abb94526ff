"""Times in the edition's zone: one place that turns `Edition.time_zone` into the active time
zone, so that every `|date`, `|time` and `|localtime` of a page, an email or a document shows
the venue's clock ("09:00" in Tokyo, not "00:00" UTC).

Used by the edition's pages (cms.models: `EditionPage` and every `EditionSectionPage` serve in
it), the outbox (`mail.services.outbox.render_email`, given the email's edition) and the PDF
documents (`forum.documents.rendering.render_pdf`, given the document's edition).
"""

import contextlib
import zoneinfo
from collections.abc import Iterator

from django.utils import timezone


def zone_of(edition) -> zoneinfo.ZoneInfo | None:
    """The edition's time zone, or None (no edition, or a zone the system does not know)."""
    name = getattr(edition, "time_zone", "") or ""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@contextlib.contextmanager
def edition_time_zone(edition) -> Iterator[None]:
    """Within the block, the active time zone is the edition's (unchanged without one)."""
    zone = zone_of(edition)
    if zone is None:
        yield
        return
    with timezone.override(zone):
        yield
