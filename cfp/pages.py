"""The call for proposals' page beneath each edition page (/<edition>/cfp/…): the call, the
submitters' pages, the reviewers' pages and the committee's, each a route calling cfp's views."""

from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import path, re_path

from cms.models import EditionSectionPage


class CallPage(EditionSectionPage):
    section_template = "cfp/edition_section.html"
    sitemap_routes = ("cfp",)

    class Meta:
        verbose_name = _("call for proposals page")

    public_index_models = ("cfp.Call",)

    @classmethod
    def index_is_public(cls, *, edition_id: int) -> bool:
        """The page answers once the edition has a call (a 404 before)."""
        from cfp.models import Call

        return Call.objects.filter(edition_id=edition_id).exists()

    @path("", name="cfp")
    def cfp(self, request):
        from cfp.views import submission

        return submission.call_index(request, self, self.edition)

    @path("new/", name="cfp_new")
    def cfp_new(self, request):
        from cfp.views import submission

        return submission.proposal_create(request, self, self.edition)

    @re_path(r"^late/(?P<token>[-\w]{20,64})/$", name="cfp_late")
    def cfp_late(self, request, token):
        from cfp.views import submission

        return submission.late_link(request, self, self.edition, token)

    @path("proposals/<int:pk>/", name="cfp_proposal")
    def cfp_proposal(self, request, pk):
        from cfp.views import submission

        return submission.proposal_status(request, self, self.edition, pk)

    @path("proposals/<int:pk>/edit/", name="cfp_edit")
    def cfp_edit(self, request, pk):
        from cfp.views import submission

        return submission.proposal_edit(request, self, self.edition, pk)

    @path("proposals/<int:pk>/submit/", name="cfp_submit")
    def cfp_submit(self, request, pk):
        from cfp.views import submission

        return submission.proposal_submit(request, self, self.edition, pk)

    @path("proposals/<int:pk>/withdraw/", name="cfp_withdraw")
    def cfp_withdraw(self, request, pk):
        from cfp.views import submission

        return submission.proposal_withdraw(request, self, self.edition, pk)

    @path("proposals/<int:pk>/invite/", name="cfp_invite")
    def cfp_invite(self, request, pk):
        from cfp.views import submission

        return submission.speaker_invite(request, self, self.edition, pk)

    @re_path(r"^speaker/(?P<token>[-\w]{20,64})/$", name="cfp_speaker")
    def cfp_speaker(self, request, token):
        from cfp.views import submission

        return submission.speaker_confirm(request, self, self.edition, token)

    # The programme committee's reviews
    @path("review/", name="cfp_review_list")
    def cfp_review_list(self, request):
        from cfp.views import review

        return review.review_list(request, self, self.edition)

    @path("review/<int:pk>/", name="cfp_review")
    def cfp_review(self, request, pk):
        from cfp.views import review

        return review.review_proposal(request, self, self.edition, pk)

    # The organizers' dashboard and decisions
    @path("committee/", name="cfp_dashboard")
    def cfp_dashboard(self, request):
        from cfp.views import committee

        return committee.dashboard(request, self, self.edition)

    @path("committee/export/", name="cfp_export")
    def cfp_export(self, request):
        from cfp.views import committee

        return committee.export_csv(request, self, self.edition)

    @path("committee/exports/<int:pk>/", name="cfp_export_status")
    def cfp_export_status(self, request, pk):
        from cfp.views import committee

        return committee.export_status(request, self, self.edition, pk)

    @path("committee/exports/<int:pk>/download/", name="cfp_export_download")
    def cfp_export_download(self, request, pk):
        from cfp.views import committee

        return committee.export_download(request, self, self.edition, pk)

    @path("committee/assign/", name="cfp_assign")
    def cfp_assign(self, request):
        from cfp.views import committee

        return committee.assign(request, self, self.edition)

    @path("committee/decide/", name="cfp_decide")
    def cfp_decide(self, request):
        from cfp.views import committee

        return committee.decide(request, self, self.edition)

    @path("committee/emails/", name="cfp_emails")
    def cfp_emails(self, request):
        from cfp.views import committee

        return committee.decision_emails(request, self, self.edition)
