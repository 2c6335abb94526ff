"""The statement's printed outputs, rendered by WeasyPrint with the project's safe URL fetcher
(only the site's own static and media files), in the project's Noto fonts
(sessions_app.pdf.fonts) so that every script prints."""

from django.template.loader import render_to_string
from django.utils import translation

from sessions_app.pdf.fonts import write_pdf


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    """`template` rendered in `language` and printed to PDF bytes."""
    with translation.override(language):
        html = render_to_string(template, {"language": language, **context})
        return write_pdf(html, language=language)
