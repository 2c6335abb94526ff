"""The statement of commitment's page beneath each edition page (/<edition>/statement/…): an
introduction, reading, the delegates' discussion, the committee's and the moderators' pages, the
public side (sign-on, plenary view) and the outputs, each a route calling statements' views.

File-like routes end in "/?": forum/urls.py hands `…/statement/statement.pdf` to the page,
Wagtail adds a slash to the rest."""

from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import path, re_path

from cms.models import EditionSectionPage


class StatementPage(EditionSectionPage):
    section_template = "statements/edition_section.html"
    sitemap_routes = ("statement",)

    class Meta:
        verbose_name = _("statement page")

    public_index_models = ("statements.Statement",)

    @classmethod
    def index_is_public(cls, *, edition_id: int) -> bool:
        """The page answers once the edition has a statement (a 404 before)."""
        from statements.models import Statement

        return Statement.objects.filter(edition_id=edition_id).exists()

    @classmethod
    def prepare_for_sitemap(cls, pages: list["StatementPage"]) -> None:
        from statements.models import Statement

        statements = Statement.objects.filter(edition_id__in={page.edition_id for page in pages})
        by_edition = {statement.edition_id: statement for statement in statements}
        for page in pages:
            page._sitemap_statement = by_edition.get(page.edition_id)

    def sitemap_subpages(self) -> list[tuple[str, list, dict]]:
        """The statement's page, once the public may read a version of it."""
        from statements.models import Statement
        from statements.selectors import StatementRoles, visible_version

        if not hasattr(self, "_sitemap_statement"):
            self._sitemap_statement = Statement.objects.filter(edition_id=self.edition_id).first()
        statement = self._sitemap_statement
        if statement is None or visible_version(statement, StatementRoles()) is None:
            return []
        return super().sitemap_subpages()

    @path("", name="statement")
    def statement(self, request):
        from statements.reading import views as reading

        return reading.statement_index(request, self, self.edition)

    @path("paragraphs/<int:key>/", name="statement_paragraph")
    def statement_paragraph(self, request, key):
        from statements.reading import views as reading

        return reading.paragraph_discussion(request, self, self.edition, key)

    @path("general/", name="statement_general")
    def statement_general(self, request):
        from statements.reading import views as reading

        return reading.general_discussion(request, self, self.edition)

    @path("changes/", name="statement_diff")
    def statement_diff(self, request):
        from statements.reading import views as reading

        return reading.version_diff(request, self, self.edition)

    @path("responses/", name="statement_responses")
    def statement_responses(self, request):
        from statements.reading import views as reading

        return reading.responses(request, self, self.edition)

    @path("comments/", name="statement_comment")
    def statement_comment(self, request):
        from statements.discussion import views as discussion

        return discussion.comment_create(request, self, self.edition)

    @path("comments/<int:pk>/edit/", name="statement_comment_edit")
    def statement_comment_edit(self, request, pk):
        from statements.discussion import views as discussion

        return discussion.comment_edit(request, self, self.edition, pk)

    @path("comments/<int:pk>/withdraw/", name="statement_comment_withdraw")
    def statement_comment_withdraw(self, request, pk):
        from statements.discussion import views as discussion

        return discussion.comment_withdraw(request, self, self.edition, pk)

    @path("comments/<int:pk>/report/", name="statement_comment_report")
    def statement_comment_report(self, request, pk):
        from statements.discussion import views as discussion

        return discussion.comment_report(request, self, self.edition, pk)

    @path("discussion/", name="statement_contributions")
    def statement_contributions(self, request):
        from statements.contributions import views as contributions

        return contributions.overview(request, self, self.edition)

    @path("comments/<int:pk>/support/", name="statement_comment_support")
    def statement_comment_support(self, request, pk):
        from statements.contributions import views as contributions

        return contributions.comment_support(request, self, self.edition, pk)

    @path("amendments/", name="statement_amend")
    def statement_amend(self, request):
        from statements.discussion import views as discussion

        return discussion.amendment_create(request, self, self.edition)

    @path("amendments/<int:pk>/support/", name="statement_amendment_support")
    def statement_amendment_support(self, request, pk):
        from statements.discussion import views as discussion

        return discussion.amendment_support(request, self, self.edition, pk)

    @path("amendments/<int:pk>/withdraw/", name="statement_amendment_withdraw")
    def statement_amendment_withdraw(self, request, pk):
        from statements.discussion import views as discussion

        return discussion.amendment_withdraw(request, self, self.edition, pk)

    @path("notifications/", name="statement_notifications")
    def statement_notifications(self, request):
        from statements.discussion import views as discussion

        return discussion.notification_settings(request, self, self.edition)

    @path("plenary/current/", name="statement_plenary_state")
    def statement_plenary_state(self, request):
        from statements.plenary import views as plenary

        return plenary.plenary_state(request, self, self.edition)

    # The drafting committee
    @path("committee/", name="statement_committee")
    def statement_committee(self, request):
        from statements.committee import views as committee

        return committee.dashboard(request, self, self.edition)

    @path("committee/create/", name="statement_create")
    def statement_create(self, request):
        from statements.committee import views as committee

        return committee.create(request, self, self.edition)

    @path("committee/version/", name="statement_new_version")
    def statement_new_version(self, request):
        from statements.committee import views as committee

        return committee.new_version(request, self, self.edition)

    @path("committee/state/", name="statement_transition")
    def statement_transition(self, request):
        from statements.committee import views as committee

        return committee.transition(request, self, self.edition)

    @path("committee/amendments/<int:pk>/", name="statement_answer")
    def statement_answer(self, request, pk):
        from statements.committee import views as committee

        return committee.answer(request, self, self.edition, pk)

    @path("committee/translations/<str:language>/", name="statement_translate")
    def statement_translate(self, request, language):
        from statements.translations import views as translations

        return translations.translate(request, self, self.edition, language)

    # The moderators
    @path("moderation/", name="statement_moderation")
    def statement_moderation(self, request):
        from statements.committee import views as committee

        return committee.moderation(request, self, self.edition)

    @path("moderation/comments/<int:pk>/hide/", name="statement_hide")
    def statement_hide(self, request, pk):
        from statements.committee import views as committee

        return committee.moderate_comment(request, self, self.edition, pk, "hide")

    @path("moderation/comments/<int:pk>/show/", name="statement_unhide")
    def statement_unhide(self, request, pk):
        from statements.committee import views as committee

        return committee.moderate_comment(request, self, self.edition, pk, "unhide")

    @path("moderation/reports/<int:pk>/dismiss/", name="statement_dismiss_report")
    def statement_dismiss_report(self, request, pk):
        from statements.committee import views as committee

        return committee.report_dismiss(request, self, self.edition, pk)

    @re_path(r"^(?P<name>statement\.pdf)/?$", name="statement_pdf")
    def statement_pdf(self, request, name):
        from statements.documents import views as documents

        return documents.statement_pdf(request, self, self.edition)

    @path("plenary/", name="statement_plenary")
    def statement_plenary(self, request):
        from statements.plenary import views as plenary

        return plenary.plenary(request, self, self.edition)

    @path("plenary/show/", name="statement_plenary_show")
    def statement_plenary_show(self, request):
        from statements.plenary import views as plenary

        return plenary.plenary_show(request, self, self.edition)

    @path("sign/", name="statement_sign")
    def statement_sign(self, request):
        from statements.signon import views as signon

        return signon.sign(request, self, self.edition)

    @re_path(r"^sign/confirm/(?P<token>[-\w]{20,64})/$", name="statement_sign_confirm")
    def statement_sign_confirm(self, request, token):
        from statements.signon import views as signon

        return signon.sign_confirm(request, self, self.edition, token)

    @path("committee/export/comments/", name="statement_export_csv")
    def statement_export_csv(self, request):
        from statements.documents import views as documents

        return documents.export_csv(request, self, self.edition)

    @re_path(r"^committee/(?P<name>comment-matrix\.pdf)/?$", name="statement_comment_matrix")
    def statement_comment_matrix(self, request, name):
        from statements.documents import views as documents

        return documents.comment_matrix_pdf(request, self, self.edition)
