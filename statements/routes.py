"""The statement of commitment's routes beneath each edition page (/<edition>/statement/…).

EditionPage inherits this mixin; RoutablePageMixin collects routes along the MRO, so each app
keeps its own routes here instead of in cms/models.py.
"""

from wagtail.contrib.routable_page.models import path

from statements.routes_public import StatementPublicRoutes


class StatementRoutes(StatementPublicRoutes):
    """Routes of the statement of commitment: reading, the delegates' discussion, the
    committee's and the moderators' pages."""

    @path("statement/", name="statement")
    def statement(self, request):
        from statements.views import reading

        return reading.statement_index(request, self, self.edition)

    @path("statement/paragraphs/<int:key>/", name="statement_paragraph")
    def statement_paragraph(self, request, key):
        from statements.views import reading

        return reading.paragraph_discussion(request, self, self.edition, key)

    @path("statement/general/", name="statement_general")
    def statement_general(self, request):
        from statements.views import reading

        return reading.general_discussion(request, self, self.edition)

    @path("statement/changes/", name="statement_diff")
    def statement_diff(self, request):
        from statements.views import reading

        return reading.version_diff(request, self, self.edition)

    @path("statement/responses/", name="statement_responses")
    def statement_responses(self, request):
        from statements.views import reading

        return reading.responses(request, self, self.edition)

    @path("statement/comments/", name="statement_comment")
    def statement_comment(self, request):
        from statements.views import discussion

        return discussion.comment_create(request, self, self.edition)

    @path("statement/comments/<int:pk>/edit/", name="statement_comment_edit")
    def statement_comment_edit(self, request, pk):
        from statements.views import discussion

        return discussion.comment_edit(request, self, self.edition, pk)

    @path("statement/comments/<int:pk>/withdraw/", name="statement_comment_withdraw")
    def statement_comment_withdraw(self, request, pk):
        from statements.views import discussion

        return discussion.comment_withdraw(request, self, self.edition, pk)

    @path("statement/comments/<int:pk>/report/", name="statement_comment_report")
    def statement_comment_report(self, request, pk):
        from statements.views import discussion

        return discussion.comment_report(request, self, self.edition, pk)

    @path("statement/amendments/", name="statement_amend")
    def statement_amend(self, request):
        from statements.views import discussion

        return discussion.amendment_create(request, self, self.edition)

    @path("statement/amendments/<int:pk>/support/", name="statement_amendment_support")
    def statement_amendment_support(self, request, pk):
        from statements.views import discussion

        return discussion.amendment_support(request, self, self.edition, pk)

    @path("statement/amendments/<int:pk>/withdraw/", name="statement_amendment_withdraw")
    def statement_amendment_withdraw(self, request, pk):
        from statements.views import discussion

        return discussion.amendment_withdraw(request, self, self.edition, pk)

    @path("statement/notifications/", name="statement_notifications")
    def statement_notifications(self, request):
        from statements.views import discussion

        return discussion.notification_settings(request, self, self.edition)

    # The drafting committee
    @path("statement/committee/", name="statement_committee")
    def statement_committee(self, request):
        from statements.views import committee

        return committee.dashboard(request, self, self.edition)

    @path("statement/committee/create/", name="statement_create")
    def statement_create(self, request):
        from statements.views import committee

        return committee.create(request, self, self.edition)

    @path("statement/committee/version/", name="statement_new_version")
    def statement_new_version(self, request):
        from statements.views import committee

        return committee.new_version(request, self, self.edition)

    @path("statement/committee/state/", name="statement_transition")
    def statement_transition(self, request):
        from statements.views import committee

        return committee.transition(request, self, self.edition)

    @path("statement/committee/amendments/<int:pk>/", name="statement_answer")
    def statement_answer(self, request, pk):
        from statements.views import committee

        return committee.answer(request, self, self.edition, pk)

    # The moderators
    @path("statement/moderation/", name="statement_moderation")
    def statement_moderation(self, request):
        from statements.views import committee

        return committee.moderation(request, self, self.edition)

    @path("statement/moderation/comments/<int:pk>/hide/", name="statement_hide")
    def statement_hide(self, request, pk):
        from statements.views import committee

        return committee.moderate_comment(request, self, self.edition, pk, "hide")

    @path("statement/moderation/comments/<int:pk>/show/", name="statement_unhide")
    def statement_unhide(self, request, pk):
        from statements.views import committee

        return committee.moderate_comment(request, self, self.edition, pk, "unhide")

    @path("statement/moderation/reports/<int:pk>/dismiss/", name="statement_dismiss_report")
    def statement_dismiss_report(self, request, pk):
        from statements.views import committee

        return committee.report_dismiss(request, self, self.edition, pk)
