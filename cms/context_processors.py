from django.http import HttpRequest

from cms.chrome import site_navigation as site_navigation_items


def site_navigation(request: HttpRequest) -> dict:
    """The menu of the site the request is for (entries with `pk`, `title` and `url`: see
    cms.chrome), read only when a template uses it."""

    def pages():
        if not hasattr(request, "_forum_navigation"):
            request._forum_navigation = site_navigation_items(request)
        return request._forum_navigation

    return {"navigation_pages": pages}
