"""The statement of commitment's routes beneath each edition page (/<edition>/statement/…).

EditionPage inherits this mixin; RoutablePageMixin collects routes along the MRO, so each app
keeps its own routes here instead of in cms/models.py.
"""


class StatementRoutes:
    """Routes of the statement of commitment (added with the statement views)."""
