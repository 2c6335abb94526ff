"""What every templated PDF shares (registration documents, the statement, the comment
matrix): a template rendered in the reader's language and printed by WeasyPrint with the
project's fonts and safe URL fetcher (forum.documents.fonts: only the site's own static and media
files, data: URLs and the PDF fonts); QR codes drawn by segno as PNG data: URIs, and
per-document colours passed as a stylesheet of their own (templates carry no inline styles)."""

import re

import segno
from django.template.loader import render_to_string
from django.utils import translation

from forum.documents.fonts import write_pdf
from forum.timezones import edition_time_zone

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#1d5c4d"


def render_pdf(template: str, context: dict, *, language: str, css: str = "") -> bytes:
    """`template` rendered in `language` and printed by WeasyPrint.

    `css` is an extra stylesheet built by the caller from checked values (ticket colours);
    the template's own stylesheets come from /static/ through the safe fetcher. Times print
    in the time zone of the context's `edition` (a badge prints none).
    """
    with translation.override(language), edition_time_zone(context.get("edition")):
        html = render_to_string(template, {**context, "language": language})
        return write_pdf(html, language=language, css=css)


def qr_data_uri(data: str, *, mask: int | None = None) -> str:
    """`data` as a QR code: a PNG data: URI of one pixel per module (error correction M), to
    print at any size with `image-rendering: pixelated` (sharp edges, a few hundred bytes, and
    far quicker for WeasyPrint than an SVG path per badge).

    `mask` fixes the mask pattern (every one is valid; choosing the best of the eight is most
    of segno's time, which a batch of hundreds of badges can do without)."""
    code = segno.make(data, error="m", micro=False, mask=mask)
    return code.png_data_uri(scale=1, border=2)


def safe_colour(value: str) -> str:
    """A #rrggbb colour, or the house colour when the value is not one."""
    return value if COLOUR_RE.match(value or "") else DEFAULT_COLOUR


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (#rrggbb)."""
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "#000000" if luminance > 150 else "#ffffff"
