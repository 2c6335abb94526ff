from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import routing
from cms import views as cms_views
from cms.sitemaps import ForumSitemap
from forum import documents
from forum import views as forum_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": ForumSitemap}}, name="sitemap"),
    path("healthz/", cms_views.health, name="health"),
    # Signed, expiring links to private files (forum/documents/); no language prefix.
    path("files/<str:token>/", documents.serve_signed_file, name="private_file"),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"
        )
    ]

urlpatterns += i18n_patterns(
    path("search/", cms_views.search, name="search"),
    # Password-reset links are built from SITE_URL, never from the request's Host header.
    path(
        "accounts/password_reset/", forum_views.PasswordResetView.as_view(), name="password_reset"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Feature apps' addresses outside the page tree, by module path: the core imports no feature.
    path("", include("registration.urls")),
    # Files beneath a page (a programme's schedule.ics, programme.pdf…): Wagtail's own pattern
    # serves only paths that end in a slash, so these reach the page's routes here.
    re_path(
        r"^(?P<path>(?:[\w\-]+/)+[\w\-]+\.(?:ics|xml|json|pdf|css))$",
        routing.serve,
        name="wagtail_serve_file",
    ),
    # Everything else is a Wagtail page, found through the route cache (cms/routing.py) by
    # Wagtail's serve view; this must stay last.
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler400 = "cms.views.bad_request"
handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
