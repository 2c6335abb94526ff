"""Wagtail page models: the series' home, one page per edition, news and standard pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, BodyBlock
from registration.routes import RegistrationRoutes
from statements.routes import StatementRoutes


class HomePage(Page):
    """The home page of the forum series: what the forum is, the next edition, the archive."""

    intro = models.TextField(_("introduction"), blank=True)
    about = RichTextField(_("about the forum"), features=RICH_TEXT_FEATURES, blank=True)
    featured_edition = models.ForeignKey(
        "forum.Edition",
        verbose_name=_("featured edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The edition shown first; leave empty to show the next one by date."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("about"),
        FieldPanel("featured_edition"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("about"),
        index.SearchField("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.EditionPage", "cms.NewsIndexPage", "cms.StandardPage"]
    max_count_per_parent = 1
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import home_page_editions

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_editions(home=self))
        return context


class EditionPage(RegistrationRoutes, StatementRoutes, RoutablePageMixin, Page):
    """The public page of one edition, at /<edition slug>/, with its programme beneath it at
    /<edition slug>/programme/ (served by sessions_app's views from the published release)."""

    edition = models.ForeignKey(
        "forum.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    intro = models.TextField(_("introduction"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("description"))
    programme_intro = RichTextField(
        _("programme"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What the programme covers; the schedule itself appears once published."),
    )
    registration_intro = RichTextField(
        _("registration"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Who can take part, fees and support, visa letters, deadlines."),
    )
    statement_intro = RichTextField(
        _("statement of commitment"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("How the statement is drafted, discussed and adopted."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("edition"),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("programme_intro"),
                FieldPanel("registration_intro"),
                FieldPanel("statement_intro"),
            ],
            heading=_("Sections"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("programme_intro"),
        index.SearchField("registration_intro"),
        index.SearchField("statement_intro"),
        index.FilterField("edition"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StandardPage", "cms.NewsIndexPage"]
    template = "cms/edition_page.html"

    class Meta:
        verbose_name = _("edition page")

    def clean(self):
        super().clean()
        if self.edition_id and self.locale_id:
            clash = EditionPage.objects.filter(
                edition_id=self.edition_id, locale_id=self.locale_id
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"edition": _("This edition already has a page in this language.")}
                )

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import edition_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(edition_page_context(page=self))
        return context

    # The programme (sessions_app.views); every route reads the latest published release.
    @path("programme/", name="programme")
    def programme(self, request):
        from sessions_app import views

        return views.programme_index(request, self, self.edition)

    @path("programme/mine/", name="programme_mine")
    def programme_mine(self, request):
        from sessions_app import views

        return views.my_programme(request, self, self.edition)

    @path("programme/mine/star/", name="programme_star")
    def programme_star(self, request):
        from sessions_app import views

        return views.agenda_toggle(request, self, self.edition)

    @path("programme/mine/calendar/", name="programme_calendar_address")
    def programme_calendar_address(self, request):
        from sessions_app import views

        return views.calendar_address(request, self, self.edition)

    @re_path(r"^programme/mine/(?P<token>[-\w]{20,64})\.ics/?$", name="programme_agenda_feed")
    def programme_agenda_feed(self, request, token):
        from sessions_app import views

        return views.agenda_feed(request, self, self.edition, token)

    @path("programme/now/", name="programme_now")
    def programme_now(self, request):
        from sessions_app import views

        return views.now_and_next(request, self, self.edition)

    @path("programme/changes/", name="programme_changes")
    def programme_changes(self, request):
        from sessions_app import views

        return views.changelog(request, self, self.edition)

    @path("programme/sessions/<slug:slug>/", name="programme_session")
    def programme_session(self, request, slug):
        from sessions_app import views

        return views.session_detail(request, self, self.edition, slug)

    # File-like routes: Wagtail routes them with a trailing slash added, hence the "/?".
    @re_path(r"^programme/tracks\.css/?$", name="programme_track_css")
    def programme_track_css(self, request):
        from sessions_app import views

        return views.track_stylesheet(request, self, self.edition)

    @path("programme/speakers/", name="programme_speakers")
    def programme_speakers(self, request):
        from sessions_app import views

        return views.speaker_index(request, self, self.edition)

    @path("programme/speakers/<slug:slug>/", name="programme_speaker")
    def programme_speaker(self, request, slug):
        from sessions_app import views

        return views.speaker_detail(request, self, self.edition, slug)

    @re_path(
        r"^programme/(?P<name>schedule\.ics|schedule\.xml|schedule\.json|programme\.pdf)/?$",
        name="programme_export",
    )
    def programme_export(self, request, name):
        from sessions_app import views

        return views.export(request, self, self.edition, name)

    @re_path(
        r"^programme/(?P<kind>sessions|speakers|tracks)/(?P<slug>[-a-zA-Z0-9_]+)\.ics/?$",
        name="programme_feed",
    )
    def programme_feed(self, request, kind, slug):
        from sessions_app import views

        singular = {"sessions": "session", "speakers": "speaker", "tracks": "track"}[kind]
        return views.export(request, self, self.edition, "schedule.ics", **{singular: slug})

    @re_path(r"^programme/rooms/(?P<room>[0-9]+)\.ics/?$", name="programme_room_feed")
    def programme_room_feed(self, request, room):
        from sessions_app import views

        return views.export(request, self, self.edition, "schedule.ics", room=int(room))


class StandardPage(Page):
    """A content page: about the series, a venue guide, travel information…"""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.EditionPage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(Page):
    """The list of news items beneath it, newest first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage", "cms.EditionPage"]
    subpage_types = ["cms.NewsPage"]
    template = "cms/news_index_page.html"
    page_size = 10

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import news_items_page

        context = super().get_context(request, *args, **kwargs)
        context["news_page"] = news_items_page(
            index=self, page_number=request.GET.get("page"), page_size=self.page_size
        )
        return context


class NewsPage(Page):
    """One news item or announcement."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    edition = models.ForeignKey(
        "forum.Edition",
        verbose_name=_("about edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_pages",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("edition"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "cms/news_page.html"

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-date"]
