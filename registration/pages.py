"""Registration's page beneath each edition page (/<edition>/register/…): an introduction and
the participant's pages and documents, each a route calling registration.public.views."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import path, re_path

from cms.models import EditionSectionPage


class RegistrationPage(EditionSectionPage):
    section_template = "registration/edition_section.html"
    sitemap_routes = ("register",)

    class Meta:
        verbose_name = _("registration page")

    @cached_property
    def registration_state(self):
        """Open until a date, opens on a date, closed, or full with a waiting list: what the
        edition page's section says instead of a bare "Register"."""
        from registration.selectors import registration_state

        return registration_state(self.edition)

    @path("", name="register")
    def register(self, request):
        from registration.public import views

        return views.register(request, self, self.edition)

    @re_path(r"^confirm/(?P<token>[-\w]{20,64})/$", name="register_confirm")
    def register_confirm(self, request, token):
        from registration.public import views

        return views.confirm(request, self, self.edition, token)

    @path("me/", name="register_me")
    def register_me(self, request):
        from registration.public import views

        return views.my_registration(request, self, self.edition)

    @path("me/edit/", name="register_edit")
    def register_edit(self, request):
        from registration.public import views

        return views.edit_registration(request, self, self.edition)

    @path("me/cancel/", name="register_cancel")
    def register_cancel(self, request):
        from registration.public import views

        return views.cancel(request, self, self.edition)

    @path("me/support/", name="register_support")
    def register_support(self, request):
        from registration.public import views

        return views.ask_support(request, self, self.edition)

    @path("me/sessions/", name="register_signup")
    def register_signup(self, request):
        from registration.public import views

        return views.session_signup(request, self, self.edition)

    @path("participants/", name="register_participants")
    def register_participants(self, request):
        from registration.public import views

        return views.participants(request, self, self.edition)

    # File-like routes: Wagtail routes them with a trailing slash added, hence the "/?".
    @re_path(
        r"^me/(?P<kind>badge|letter|receipt|certificate)\.pdf/?$",
        name="registration_document",
    )
    def registration_document(self, request, kind):
        from registration.documents import views as documents

        return documents.document(request, self, self.edition, kind)
