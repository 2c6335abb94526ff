"""Absolute addresses for emails, built from the configured site URL (never a request's Host):
the route of the feature's own page (registration's, the programme's) when the edition has one,
else the address it would have."""

from typing import Any

from django.conf import settings

from forum.models import Edition
from registration.pages import RegistrationPage
from registration.public.links import section_page
from sessions_app.pages import ProgrammePage


class EditionLinks:
    """Addresses of one edition's pages by language, each page looked up once (a batch of
    emails asks for the same few addresses again and again)."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self._pages: dict[tuple[type, str], Any] = {}

    def url(
        self, route: str, language: str, fallback_path: str, page_class=RegistrationPage
    ) -> str:
        key = (page_class, language)
        if key not in self._pages:
            page = section_page(self.edition, language, page_class)
            same_language = page is not None and page.locale.language_code == language
            self._pages[key] = page if same_language else None
        page = self._pages[key]
        if page is not None:
            return settings.SITE_URL + page.url + page.reverse_subpage(route)
        prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
        return f"{settings.SITE_URL}{prefix}/{self.edition.slug}/{fallback_path}"

    def my_registration(self, language: str) -> str:
        return self.url("register_me", language, "register/me/")

    def my_programme(self, language: str) -> str:
        return self.url("programme_mine", language, "programme/mine/", ProgrammePage)
