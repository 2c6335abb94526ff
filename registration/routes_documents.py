"""The participant's documents beneath the edition page: /<edition>/register/me/<kind>.pdf.

A mixin of RegistrationRoutes (so of EditionPage), kept apart from the participant's pages."""

from wagtail.contrib.routable_page.models import re_path


class DocumentRoutes:
    # File-like routes: Wagtail routes them with a trailing slash added, hence the "/?".
    @re_path(
        r"^register/me/(?P<kind>badge|letter|receipt|certificate)\.pdf/?$",
        name="registration_document",
    )
    def registration_document(self, request, kind):
        from registration import views_documents

        return views_documents.document(request, self, self.edition, kind)
