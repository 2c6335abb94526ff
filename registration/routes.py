"""Registration's routes beneath each edition page (/<edition>/register/…).

EditionPage inherits this mixin; RoutablePageMixin collects routes along the MRO, so each app
keeps its own routes here instead of in cms/models.py.
"""

from registration.routes_documents import DocumentRoutes


class RegistrationRoutes(DocumentRoutes):
    """Routes of registration (added with the registration views)."""
