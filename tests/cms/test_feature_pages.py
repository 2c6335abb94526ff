"""The features' own pages beneath each edition page: created with the edition in every
language, translated, unpublished, found by the language switcher, the sitemap, the <head>'s
hreflang links, the edition's menu and search."""

import datetime
import re

import pytest
from django.conf import settings

from cfp.pages import CallPage
from cms.models import EditionPage
from forum.models import Edition
from forum.services import create_edition
from registration.pages import RegistrationPage
from sessions_app.models import Release
from sessions_app.pages import ProgrammePage
from statements.pages import StatementPage
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db

SECTIONS = [
    ("programme", ProgrammePage),
    ("register", RegistrationPage),
    ("statement", StatementPage),
    ("cfp", CallPage),
]


def text(response) -> str:
    return response.content.decode()


def switcher_links(html: str) -> dict[str, str]:
    nav = html[html.index('<nav class="language-switcher"') :]
    nav = nav[: nav.index("</nav>")]
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)}


def head_alternates(html: str) -> dict[str, str]:
    head = html[: html.index("</head>")]
    return dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', head))


def tokyo_session_slug() -> str:
    release = Release.objects.filter(edition__slug="2009-tokyo").order_by("-number").first()
    return next(row["slug"] for row in release.snapshot["sessions"] if row["status"] != "cancelled")


def new_edition(slug="2031-hanoi") -> Edition:
    return create_edition(
        edition=EditionFactory.build(
            slug=slug,
            year=2031,
            number=31,
            start_date=datetime.date(2031, 5, 1),
            end_date=datetime.date(2031, 5, 3),
        )
    )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_each_demo_edition_has_its_four_feature_pages_in_each_language(language):
    titles = {
        "en": ["Programme", "Registration", "Statement of commitment", "Call for proposals"],
        "ja": ["プログラム", "参加登録", "コミットメント宣言", "プログラム提案の募集"],
    }[language]
    for edition_page in EditionPage.objects.filter(locale__language_code=language):
        children = list(edition_page.get_children().specific().order_by("path"))
        assert [(type(c), c.slug) for c in children[:4]] == [(k, s) for s, k in SECTIONS]
        assert [c.title for c in children[:4]] == titles
        assert all(c.live and c.show_in_menus for c in children[:4])
        assert {c.edition_id for c in children[:4]} == {edition_page.edition_id}


def test_the_section_introductions_live_on_the_feature_pages():
    programme_en = ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    programme_ja = (
        programme_en.get_translation(programme_en.locale.get_for_language("ja"))
        if False
        else ProgrammePage.objects.get(edition__slug="2009-tokyo", locale__language_code="ja")
    )
    assert programme_en.introduction.startswith("<p>Themes: socially responsible investment")
    assert programme_ja.introduction.startswith("<p>テーマ:社会的責任投資")
    assert programme_ja.translation_key == programme_en.translation_key


def test_creating_an_edition_creates_its_draft_pages_in_every_language(client):
    edition = new_edition()
    pages = {p.locale.language_code: p for p in EditionPage.objects.filter(edition=edition)}
    assert sorted(pages) == ["en", "ja"]
    for page in pages.values():
        assert not page.live
        children = list(page.get_children().specific().order_by("path"))
        assert [(type(c), c.slug, c.live) for c in children] == [(k, s, False) for s, k in SECTIONS]
    assert client.get("/ja/2031-hanoi/register/").status_code == 404

    # Publishing the edition page publishes its feature pages with it, language by language.
    pages["ja"].save_revision().publish()
    assert client.get("/ja/2031-hanoi/register/").status_code == 200
    assert StatementPage.objects.get(edition=edition, locale__language_code="ja").live
    assert client.get("/2031-hanoi/register/").status_code == 404
    pages["en"].save_revision().publish()
    assert client.get("/2031-hanoi/register/").status_code == 200


def test_creating_an_edition_twice_over_its_page_adds_no_second_feature_page():
    from cms.services import create_edition_page

    edition = new_edition()
    create_edition_page(edition=edition)
    assert ProgrammePage.objects.filter(edition=edition).count() == 2  # en and ja


def test_an_unpublished_feature_page_stays_unpublished_when_the_edition_is_republished(client):
    edition_page = EditionPage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    registration = RegistrationPage.objects.child_of(edition_page).get()
    registration.unpublish()
    edition_page.save_revision().publish()
    html = text(client.get("/2009-tokyo/"))
    assert client.get("/2009-tokyo/register/").status_code == 404
    assert client.get("/2009-tokyo/register/me/").status_code == 404
    assert "/2009-tokyo/register/" not in html
    assert 'id="registration"' not in html
    assert 'id="programme"' in html
    assert 'id="statement"' in html
    # The Japanese registration page is a page of its own: still there.
    assert client.get("/ja/2009-tokyo/register/").status_code == 200


def test_the_edition_page_links_to_its_statement_and_shows_its_introduction(client):
    html = text(client.get("/2009-tokyo/"))
    assert 'href="/2009-tokyo/statement/"' in html
    assert "The forum adopted a statement of commitment on its last day" in html
    assert 'href="/ja/2009-tokyo/statement/"' in text(client.get("/ja/2009-tokyo/"))


def test_the_edition_menu_leads_to_its_feature_pages(client):
    html = text(client.get("/2009-tokyo/programme/"))
    nav = html[html.index('<nav class="edition-nav"') :]
    nav = nav[: nav.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)
    assert links == [
        ("/2009-tokyo/", "", "AFSE 2009"),
        ("/2009-tokyo/programme/", ' aria-current="page"', "Programme"),
        ("/2009-tokyo/register/", "", "Registration"),
        ("/2009-tokyo/statement/", "", "Statement of commitment"),
    ]


def _menu_links(client, path: str) -> list[str]:
    html = text(client.get(path))
    nav = html[html.index('<nav class="edition-nav"') :]
    return re.findall(r'<a href="([^"]+)"', nav[: nav.index("</nav>")])


def test_the_menu_follows_its_feature_pages_as_they_gain_or_lose_something_to_show(client):
    """Whether a feature page has something to show is kept with the header (issue 14), and
    still follows the edition at once: a call opened adds the call's page, the last release
    deleted takes the programme out, a statement deleted the statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cfp.models import Call
    from statements.models import Statement

    page = "/2009-tokyo/register/"
    links = _menu_links(client, page)
    assert "/2009-tokyo/cfp/" not in links
    assert "/2009-tokyo/programme/" in links
    with CaptureQueriesContext(connection) as captured:
        _menu_links(client, page)
    asked = [q["sql"] for q in captured if "LIMIT 1" in q["sql"]]
    assert not any(table in sql for sql in asked for table in ("cfp_call", "statements_statement"))

    now = datetime.datetime.now(tz=datetime.UTC)
    tokyo = Edition.objects.get(slug="2009-tokyo")
    Call.objects.create(edition=tokyo, opens_at=now, closes_at=now + datetime.timedelta(days=9))
    assert "/2009-tokyo/cfp/" in _menu_links(client, page)

    Release.objects.filter(edition=tokyo).delete()
    links = _menu_links(client, page)
    assert "/2009-tokyo/programme/" not in links
    assert "/2009-tokyo/statement/" in links
    Statement.objects.filter(edition=tokyo).delete()
    assert "/2009-tokyo/statement/" not in _menu_links(client, page)


def test_search_finds_the_statement_page(client):
    html = text(client.get("/search/", {"q": "statement commitment"}))
    assert 'href="/2009-tokyo/statement/"' in html
    html_ja = text(client.get("/ja/search/", {"q": "コミットメント宣言"}))
    assert 'href="/ja/2009-tokyo/statement/"' in html_ja


@pytest.mark.parametrize(
    ("path", "japanese"),
    [
        ("/2009-tokyo/programme/", "/ja/2009-tokyo/programme/"),
        ("/2009-tokyo/programme/speakers/", "/ja/2009-tokyo/programme/speakers/"),
        ("/2009-tokyo/statement/", "/ja/2009-tokyo/statement/"),
        ("/2009-tokyo/statement/responses/", "/ja/2009-tokyo/statement/responses/"),
        ("/2009-tokyo/register/", "/ja/2009-tokyo/register/"),
    ],
)
def test_switcher_on_a_feature_sub_page_leads_to_the_same_sub_page_in_japanese(
    client, path, japanese
):
    links = switcher_links(text(client.get(path)))
    # The 2009 edition offers English, Japanese, Korean and Indonesian.
    tokyo = {"en": path, "ja": japanese, "ko": f"/ko{path}", "id": f"/id{path}"}
    assert links == tokyo
    assert switcher_links(text(client.get(japanese))) == tokyo


def test_switcher_and_head_on_a_session_lead_to_the_same_session_in_japanese(client):
    slug = tokyo_session_slug()
    path = f"/2009-tokyo/programme/sessions/{slug}/"
    html = text(client.get(path))
    assert switcher_links(html) == {
        "en": path,
        "ja": f"/ja{path}",
        "ko": f"/ko{path}",
        "id": f"/id{path}",
    }
    assert head_alternates(html) == {
        "en": f"{settings.SITE_URL}{path}",
        "ja": f"{settings.SITE_URL}/ja{path}",
    }
    assert client.get(f"/ja{path}").status_code == 200


def test_switcher_says_when_a_page_has_no_translation(client):
    from cms.models import StandardPage

    edition_page = EditionPage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    page = StandardPage(title="Only in English", slug="only-in-english")
    edition_page.add_child(instance=page)
    page.save_revision().publish()
    html = text(client.get(page.url))
    assert switcher_links(html)["ja"] == "/ja/"
    assert "(no translation of this page: its home page)" in html
    assert list(head_alternates(html)) == ["en"]


def test_sitemap_lists_every_public_feature_page_with_hreflang_alternates(client):
    xml = text(client.get("/sitemap.xml"))
    base = settings.SITE_URL
    slug = tokyo_session_slug()
    speaker = Release.objects.filter(edition__slug="2009-tokyo").order_by("-number").first()
    speaker_slug = speaker.snapshot["speakers"][0]["slug"]
    entries = {
        m.group(1): m.group(2)
        for m in re.finditer(r"<url><loc>([^<]+)</loc>(.*?)</url>", xml, flags=re.S)
    }
    for path in [
        "/2009-tokyo/programme/",
        "/2009-tokyo/programme/speakers/",
        f"/2009-tokyo/programme/sessions/{slug}/",
        f"/2009-tokyo/programme/speakers/{speaker_slug}/",
        "/2009-tokyo/statement/",
        "/2009-tokyo/register/",
    ]:
        for prefix in ("", "/ja"):
            entry = entries[f"{base}{prefix}{path}"]
            assert f'<xhtml:link rel="alternate" hreflang="en" href="{base}{path}"/>' in entry
            assert f'<xhtml:link rel="alternate" hreflang="ja" href="{base}/ja{path}"/>' in entry
    # No release, no statement: those pages of the other editions answer 404, so not listed.
    assert f"{base}/2007-manila/programme/" not in entries
    assert f"{base}/2007-manila/statement/" not in entries
    assert f"{base}/2007-manila/register/" in entries
