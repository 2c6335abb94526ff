"""The programme's page beneath each edition page (/<edition>/programme/…): an introduction
and the routes of the public programme, every one read from the latest published release
(sessions_app.views)."""

from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import path, re_path

from cms.models import EditionSectionPage


class ProgrammePage(EditionSectionPage):
    section_template = "sessions_app/edition_section.html"
    sitemap_routes = ("programme", "programme_speakers")

    class Meta:
        verbose_name = _("programme page")

    def release_summary(self):
        """The latest published release (without its snapshot), or None."""
        from sessions_app.selectors import published_release_summary

        if not hasattr(self, "_release_summary"):
            self._release_summary = published_release_summary(self.edition_id)
        return self._release_summary

    public_index_models = ("sessions_app.Release",)

    @classmethod
    def index_is_public(cls, *, edition_id: int) -> bool:
        from sessions_app.models import Release

        return Release.objects.filter(edition_id=edition_id).exists()

    def has_public_index(self) -> bool:
        return self.release_summary() is not None

    @classmethod
    def prepare_for_sitemap(cls, pages: list["ProgrammePage"]) -> None:
        from sessions_app.selectors import latest_releases

        releases = latest_releases({page.edition_id for page in pages})
        for page in pages:
            page._release_summary = page._sitemap_release = releases.get(page.edition_id)

    def sitemap_subpages(self) -> list[tuple[str, list, dict]]:
        from sessions_app.selectors import latest_releases, release_page_slugs

        if not hasattr(self, "_sitemap_release"):
            self._sitemap_release = latest_releases({self.edition_id}).get(self.edition_id)
        if self._sitemap_release is None:
            return []
        sessions, speakers = release_page_slugs(self._sitemap_release)
        subpages = super().sitemap_subpages()
        subpages += [("programme_session", [], {"slug": slug}) for slug in sessions]
        subpages += [("programme_speaker", [], {"slug": slug}) for slug in speakers]
        return subpages

    @path("", name="programme")
    def programme(self, request):
        from sessions_app import views

        return views.programme_index(request, self, self.edition)

    @path("mine/", name="programme_mine")
    def programme_mine(self, request):
        from sessions_app import views

        return views.my_programme(request, self, self.edition)

    @path("mine/star/", name="programme_star")
    def programme_star(self, request):
        from sessions_app import views

        return views.agenda_toggle(request, self, self.edition)

    @path("mine/calendar/", name="programme_calendar_address")
    def programme_calendar_address(self, request):
        from sessions_app import views

        return views.calendar_address(request, self, self.edition)

    @re_path(r"^mine/(?P<token>[-\w]{20,64})\.ics/?$", name="programme_agenda_feed")
    def programme_agenda_feed(self, request, token):
        from sessions_app import views

        return views.agenda_feed(request, self, self.edition, token)

    @path("now/", name="programme_now")
    def programme_now(self, request):
        from sessions_app import views

        return views.now_and_next(request, self, self.edition)

    @path("changes/", name="programme_changes")
    def programme_changes(self, request):
        from sessions_app import views

        return views.changelog(request, self, self.edition)

    @path("sessions/<slug:slug>/", name="programme_session")
    def programme_session(self, request, slug):
        from sessions_app import views

        return views.session_detail(request, self, self.edition, slug)

    # File-like routes: Wagtail routes them with a trailing slash added, hence the "/?".
    @re_path(r"^tracks\.css/?$", name="programme_track_css")
    def programme_track_css(self, request):
        from sessions_app import views

        return views.track_stylesheet(request, self, self.edition)

    @path("speakers/", name="programme_speakers")
    def programme_speakers(self, request):
        from sessions_app import views

        return views.speaker_index(request, self, self.edition)

    @path("speakers/<slug:slug>/", name="programme_speaker")
    def programme_speaker(self, request, slug):
        from sessions_app import views

        return views.speaker_detail(request, self, self.edition, slug)

    @re_path(
        r"^(?P<name>schedule\.ics|schedule\.xml|schedule\.json|programme\.pdf)/?$",
        name="programme_export",
    )
    def programme_export(self, request, name):
        from sessions_app import views

        return views.export(request, self, self.edition, name)

    @re_path(
        r"^(?P<kind>sessions|speakers|tracks)/(?P<slug>[-a-zA-Z0-9_]+)\.ics/?$",
        name="programme_feed",
    )
    def programme_feed(self, request, kind, slug):
        from sessions_app import views

        singular = {"sessions": "session", "speakers": "speaker", "tracks": "track"}[kind]
        return views.export(request, self, self.edition, "schedule.ics", **{singular: slug})

    @re_path(r"^rooms/(?P<room>[0-9]+)\.ics/?$", name="programme_room_feed")
    def programme_room_feed(self, request, room):
        from sessions_app import views

        return views.export(request, self, self.edition, "schedule.ics", room=int(room))
