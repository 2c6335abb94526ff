"""The Atom feed of a news index page, one per language (each translation of the index page has
its own). Links are absolute, built from SITE_URL, never from the request's Host header."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cms.selectors import news_feed_items

FEED_SIZE = 20


def absolute_url(page) -> str:
    """`page`'s address under SITE_URL (its path includes the language prefix)."""
    _site_id, _root_url, path = page.get_url_parts()
    return settings.SITE_URL + path


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, index):
        return index

    def title(self, index) -> str:
        return index.title

    def subtitle(self, index) -> str:
        return index.intro or _("News of the Asian Forum for Solidarity Economy")

    def link(self, index) -> str:
        return absolute_url(index)

    def feed_url(self, index) -> str:
        return absolute_url(index) + "feed/"

    def feed_guid(self, index) -> str:
        return self.feed_url(index)

    def items(self, index):
        return news_feed_items(index=index, limit=FEED_SIZE)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.intro

    def item_link(self, item) -> str:
        return absolute_url(item)

    def item_pubdate(self, item) -> datetime.datetime:
        # A news item has a date: midnight of that day in the site's time zone.
        return datetime.datetime.combine(
            item.date, datetime.time.min, tzinfo=timezone.get_default_timezone()
        )

    def item_updateddate(self, item) -> datetime.datetime | None:
        return item.last_published_at or self.item_pubdate(item)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.locale.language_code
        return feed
