"""`manage.py seed_demo`: the demo forum of shared/DOMAIN.md, loaded once."""

import logging
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from cms.models import EditionPage, HomePage, NewsPage
from demo.management.commands import seed_demo
from forum.models import Edition, EditionRole, Organization

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "editions": Edition.objects.count(),
        "organizations": Organization.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
        "roles": EditionRole.objects.count(),
        "sites": Site.objects.count(),
    }


def test_seed_demo_twice_changes_nothing():
    before = counts()  # the session already loaded the demo once
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "already loaded; nothing changed" in out.getvalue()
    assert "username 'organizer', password 'afse-demo-2009'" in out.getvalue()


def test_seed_demo_logs_warnings_but_not_each_page_it_publishes(caplog, monkeypatch):
    """`make run` starts quietly: seeding logs no step (each page Wagtail publishes, each task
    run at once) unless asked with -v 2, yet every warning still shows."""
    NewsPage.objects.get(slug="preparatory-committee-meets", locale__language_code="en").delete()
    caplog.set_level(logging.INFO)
    caplog.clear()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Created: news preparatory-committee-meets." in out.getvalue()
    assert [r.getMessage() for r in caplog.records if r.levelno < logging.WARNING] == []
    assert NewsPage.objects.filter(slug="preparatory-committee-meets").count() == 2

    # Warnings still show, and the logging is back as it was once the command ends.
    build = seed_demo.build_demo

    def build_with_a_warning():
        logging.getLogger("wagtail").info("Published: a page")
        logging.getLogger("forum").warning("Something is missing")
        return build()

    caplog.clear()
    with monkeypatch.context() as patch:
        patch.setattr(seed_demo, "build_demo", build_with_a_warning)
        call_command("seed_demo", stdout=StringIO())
    assert [r.getMessage() for r in caplog.records] == ["Something is missing"]
    logging.getLogger("wagtail").info("after the seed")
    assert caplog.records[-1].getMessage() == "after the seed"

    caplog.clear()
    call_command("seed_demo", stdout=StringIO(), verbosity=2)
    NewsPage.objects.get(slug="preparatory-committee-meets", locale__language_code="en").delete()
    call_command("seed_demo", stdout=StringIO(), verbosity=2)
    assert any(r.name.startswith("wagtail") for r in caplog.records)


def test_demo_has_the_three_editions_of_the_series():
    editions = {e.slug: e for e in Edition.objects.all()}
    assert sorted(editions) == ["2007-manila", "2009-tokyo", "2011-malaysia"]
    tokyo = editions["2009-tokyo"]
    assert (tokyo.number, str(tokyo.start_date), str(tokyo.end_date)) == (
        2,
        "2009-11-07",
        "2009-11-10",
    )
    assert tokyo.city_native == "東京"
    assert tokyo.time_zone == "Asia/Tokyo"
    assert editions["2007-manila"].expected_participants == 700


def test_every_demo_page_exists_in_english_and_japanese():
    en = Page.objects.filter(locale__language_code="en", depth__gte=2).count()
    ja = Page.objects.filter(locale__language_code="ja", depth__gte=2).count()
    # home, 3 editions x (edition page, programme, registration, statement, call for
    # proposals), news index, 4 news items, about, the fact-finding visits page
    assert en == ja == 23
    assert HomePage.objects.count() == 2
    assert EditionPage.objects.filter(locale__language_code="ja").count() == 3
    assert NewsPage.objects.filter(live=True).count() == 8


def test_site_root_is_the_home_page_at_the_configured_address(settings):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert site.root_url == settings.SITE_URL


def test_edition_banners_are_generated_images():
    image = EditionPage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    banner = image.hero_image
    assert banner.title == "AFSE 2009 banner"
    assert (banner.width, banner.height) == (1200, 400)
    assert banner.description == "Banner of AFSE 2009"
