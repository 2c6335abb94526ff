from django.http import HttpRequest
from wagtail.models import Site

from cms.selectors import navigation_pages


def site_navigation(request: HttpRequest) -> dict:
    """The menu of the site the request is for, evaluated only when a template uses it."""

    def pages():
        if not hasattr(request, "_forum_navigation"):
            site = Site.find_for_request(request)
            request._forum_navigation = navigation_pages(site_root=site.root_page if site else None)
        return request._forum_navigation

    return {"navigation_pages": pages}
