from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

from cms.models import EditionSectionPage


class ForumSitemap(Sitemap):
    """Every live, public page of the site in every language (each language is its own tree),
    with the public sub-pages of the feature pages (the programme's sessions and speakers…), each
    with its translations as hreflang alternates."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_a_tree = Q()
        for root in roots:
            in_a_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.live()
            .public()
            .filter(in_a_tree)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        by_class: dict = defaultdict(list)
        for item in pages:
            if isinstance(item, EditionSectionPage):
                by_class[type(item)].append(item)
        for page_class, section_pages in by_class.items():
            page_class.prepare_for_sitemap(section_pages)
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        translations: dict = defaultdict(list)
        for item in pages:
            translations[item.translation_key].append(item)
        urls = []
        for item in pages:
            group = translations[item.translation_key]
            lastmod = item.last_published_at or item.latest_revision_created_at
            for route, args, kwargs in _subpages(item):
                urls.append(
                    {
                        "location": _location(item, route, args, kwargs, self.request),
                        "lastmod": lastmod,
                        "alternates": [
                            {
                                "lang_code": languages[other.locale_id],
                                "location": _location(other, route, args, kwargs, self.request),
                            }
                            for other in group
                        ]
                        if len(group) > 1
                        else [],
                    }
                )
        lastmods = {url["lastmod"] for url in urls}
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


def _subpages(page: Page) -> list[tuple[str | None, list, dict]]:
    """The page itself, then the public sub-pages its routes serve (a feature page's)."""
    subpages = getattr(page, "sitemap_subpages", None)
    if subpages is None:
        return [(None, [], {})]
    return subpages()


def _location(page: Page, route: str | None, args: list, kwargs: dict, request) -> str:
    url = page.get_full_url(request)
    if route is None:
        return url
    return url + page.reverse_subpage(route, args=args, kwargs=kwargs).lstrip("/")
