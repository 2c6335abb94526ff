"""Routes of the statement's public side and outputs beneath each edition page.

StatementRoutes inherits this mixin (RoutablePageMixin collects routes along the MRO). File-like
routes end in "/?": forum/urls.py hands `…/statement/statement.pdf` to the page, Wagtail adds a
slash to the rest.
"""

from wagtail.contrib.routable_page.models import path, re_path


class StatementPublicRoutes:
    @re_path(r"^statement/(?P<name>statement\.pdf)/?$", name="statement_pdf")
    def statement_pdf(self, request, name):
        from statements import views_public

        return views_public.statement_pdf(request, self, self.edition)

    @path("statement/plenary/", name="statement_plenary")
    def statement_plenary(self, request):
        from statements import views_public

        return views_public.plenary(request, self, self.edition)

    @path("statement/plenary/show/", name="statement_plenary_show")
    def statement_plenary_show(self, request):
        from statements import views_public

        return views_public.plenary_show(request, self, self.edition)

    @path("statement/sign/", name="statement_sign")
    def statement_sign(self, request):
        from statements import views_public

        return views_public.sign(request, self, self.edition)

    @re_path(r"^statement/sign/confirm/(?P<token>[-\w]{20,64})/$", name="statement_sign_confirm")
    def statement_sign_confirm(self, request, token):
        from statements import views_public

        return views_public.sign_confirm(request, self, self.edition, token)

    @path("statement/committee/export/comments/", name="statement_export_csv")
    def statement_export_csv(self, request):
        from statements import views_public

        return views_public.export_csv(request, self, self.edition)

    @re_path(
        r"^statement/committee/(?P<name>comment-matrix\.pdf)/?$", name="statement_comment_matrix"
    )
    def statement_comment_matrix(self, request, name):
        from statements import views_public

        return views_public.comment_matrix_pdf(request, self, self.edition)
