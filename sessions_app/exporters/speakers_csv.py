"""A selection of speakers as CSV (the admin's bulk export)."""

import csv
import io

from django.utils.translation import gettext as _

UNSAFE_FIRST = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(UNSAFE_FIRST) else value


def speakers_csv(speakers) -> str:
    """One row per speaker: name, native name, organization, country, edition and the titles
    of their sessions in time order (speakers given with `session_links` prefetched, each with
    its session, in that order)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Name"),
            _("Name in native script"),
            _("Organization"),
            _("Country"),
            _("Edition"),
            _("Sessions"),
        ]
    )
    for speaker in speakers:
        sessions = "; ".join(link.session.title for link in speaker.session_links.all())
        writer.writerow(
            [
                _cell(speaker.name),
                _cell(speaker.name_native),
                _cell(str(speaker.organization or "")),
                str(speaker.country.name) if speaker.country else "",
                _cell(str(speaker.edition)),
                _cell(sessions),
            ]
        )
    return "\ufeff" + out.getvalue()
