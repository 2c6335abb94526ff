"""The statement's printed outputs, rendered by WeasyPrint with the project's safe URL fetcher
(only the site's own static and media files), in Noto CJK fonts so that names in Japanese,
Korean or Chinese print."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from sessions_app.pdf.fetcher import SafeURLFetcher


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    """`template` rendered in `language` and printed to PDF bytes."""
    with translation.override(language):
        html = render_to_string(template, {"language": language, **context})
        document = HTML(
            string=html,
            base_url=settings.SITE_URL.rstrip("/") + "/",
            url_fetcher=SafeURLFetcher(),
        )
        return document.write_pdf()
