"""Wagtail page models: the series' home, one page per edition, news and standard pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, BodyBlock
from cms.routing import RouteCachedPageMixin
from forum.timezones import edition_time_zone


def _serve_in_edition_zone(serve, page, request, *args, **kwargs):
    """`serve` rendered with the edition's time zone active: every time the page shows reads on
    the venue's clock. A lazy TemplateResponse is rendered here, inside the zone."""
    with edition_time_zone(page.edition):
        response = serve(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
    return response


class HomePage(RouteCachedPageMixin, Page):
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


class EditionPage(RouteCachedPageMixin, Page):
    """The public page of one edition, at /<edition slug>/. Each feature app owns a page type
    beneath it (an `EditionSectionPage`): the programme at /<edition>/programme/, registration
    at /<edition>/register/, the statement at /<edition>/statement/."""

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

    content_panels = [
        *Page.content_panels,
        FieldPanel("edition"),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("edition"),
    ]
    parent_page_types = ["cms.HomePage"]
    # No `subpage_types`: the feature apps' page types (EditionSectionPage) name this page as
    # their parent, and cms must not name them; every other page type restricts its parents.
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

    def serve(self, request, *args, **kwargs):
        return _serve_in_edition_zone(super().serve, self, request, *args, **kwargs)

    def section_pages(self) -> list[Page]:
        """The edition's feature pages (programme, registration, statement…) that are live, in
        tree order: the edition page shows a section for each."""
        return [
            child
            for child in self.get_children().live().public().specific().order_by("path")
            if isinstance(child, EditionSectionPage)
        ]


class EditionSectionPage(RouteCachedPageMixin, RoutablePageMixin, Page):
    """The base of a feature's page beneath an edition page (the programme, registration, the
    statement): an introduction, the edition it belongs to, and the feature's own routes.

    Created with the edition in every language of the site (the feature apps react to
    `cms.signals.edition_page_created`); published with the edition page the first time it is
    published (cms.signals), and afterwards on its own: an editor may unpublish one.
    """

    edition = models.ForeignKey(
        "forum.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    introduction = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["cms.EditionPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    # The template of this page's section on the edition page (gets `section`).
    section_template = ""
    # The route names of the page's public sub-pages that the sitemap lists (no arguments).
    sitemap_routes: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.edition_id:
            parent = self.get_parent()
            if parent is not None and isinstance(parent.specific, EditionPage):
                self.edition_id = parent.specific.edition_id
        return super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        # Every route of a feature page (registration's "My registration", a session's page…)
        # shows its times in the edition's zone.
        return _serve_in_edition_zone(super().serve, self, request, *args, **kwargs)

    @cached_property
    def edition_page(self) -> Page:
        """The edition page this page lives beneath (for breadcrumbs and headings)."""
        return self.get_parent()

    # The models ("app_label.Model") whose rows make `index_is_public` true: menus keep the
    # answer under the pages version (cms/chrome.py), which creating or deleting such a row
    # moves (cms.signals.connect_section_models).
    public_index_models: tuple[str, ...] = ()

    @classmethod
    def index_is_public(cls, *, edition_id: int) -> bool:
        """Whether the page's own address shows the public something for the edition (a
        programme once it is published): menus and the edition page leave it out otherwise.
        A subclass that can answer False names its models in `public_index_models`."""
        return True

    def has_public_index(self) -> bool:
        return self.index_is_public(edition_id=self.edition_id)

    @classmethod
    def prepare_for_sitemap(cls, pages: list["EditionSectionPage"]) -> None:
        """Load, in a few queries for all `pages`, what their `sitemap_subpages` read."""

    def sitemap_subpages(self) -> list[tuple[str, list, dict]]:
        """The public sub-pages to list in the sitemap, as (route name, args, kwargs); the
        feature pages add the pages of their own data (a session, a speaker)."""
        return [(name, [], {}) for name in self.sitemap_routes]


class StandardPage(RouteCachedPageMixin, Page):
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


class NewsIndexPage(RouteCachedPageMixin, RoutablePageMixin, Page):
    """The list of news items beneath it, newest first, and their Atom feed (`feed/`)."""

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

    @path("feed/", name="feed")
    def feed(self, request):
        from cms.feeds import NewsFeed

        return NewsFeed()(request, index=self)


class NewsPage(RouteCachedPageMixin, Page):
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
