"""Registration's routes beneath each edition page (/<edition>/register/…).

EditionPage inherits this mixin; RoutablePageMixin collects routes along the MRO, so each app
keeps its own routes here instead of in cms/models.py. Each route calls registration.views with
the page and its edition.
"""

from wagtail.contrib.routable_page.models import path, re_path

from registration.routes_documents import DocumentRoutes


class RegistrationRoutes(DocumentRoutes):
    """The participant's registration pages (and, from DocumentRoutes, their documents)."""

    @path("register/", name="register")
    def register(self, request):
        from registration import views

        return views.register(request, self, self.edition)

    @re_path(r"^register/confirm/(?P<token>[-\w]{20,64})/$", name="register_confirm")
    def register_confirm(self, request, token):
        from registration import views

        return views.confirm(request, self, self.edition, token)

    @path("register/me/", name="register_me")
    def register_me(self, request):
        from registration import views

        return views.my_registration(request, self, self.edition)

    @path("register/me/edit/", name="register_edit")
    def register_edit(self, request):
        from registration import views

        return views.edit_registration(request, self, self.edition)

    @path("register/me/cancel/", name="register_cancel")
    def register_cancel(self, request):
        from registration import views

        return views.cancel(request, self, self.edition)

    @path("register/me/support/", name="register_support")
    def register_support(self, request):
        from registration import views

        return views.ask_support(request, self, self.edition)

    @path("register/me/sessions/", name="register_signup")
    def register_signup(self, request):
        from registration import views

        return views.session_signup(request, self, self.edition)

    @path("register/participants/", name="register_participants")
    def register_participants(self, request):
        from registration import views

        return views.participants(request, self, self.edition)
