"""The interface languages: the language switcher, translated pages and the catalogues (every
language of settings.LANGUAGES but English has a complete, compiled one)."""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import _missing

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_LANGUAGES = ["ja", "ko", "zh-hans", "id", "th", "vi"]
PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def catalogue(language: str) -> Path:
    return ROOT / "locale" / translation.to_locale(language) / "LC_MESSAGES" / "django.po"


def switcher_links(html: str) -> dict[str, str]:
    import re

    nav = html[html.index('<nav class="language-switcher"') :]
    nav = nav[: nav.index("</nav>")]
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="([\w-]+)"', nav)}


@pytest.mark.django_db
def test_switcher_on_an_edition_page_links_to_its_translation(client):
    links = switcher_links(client.get("/2009-tokyo/").content.decode())
    # The languages the demo edition offers; Korean and Indonesian have no page tree yet.
    assert links == {
        "en": "/2009-tokyo/",
        "ja": "/ja/2009-tokyo/",
        "ko": "/ko/2009-tokyo/",
        "id": "/id/2009-tokyo/",
    }
    html = client.get(links["ja"]).content.decode()
    assert '<html lang="ja">' in html
    assert "<h1>アジア連帯経済フォーラム2009</h1>" in html


@pytest.mark.django_db
def test_switcher_on_a_japanese_page_links_back_to_english(client):
    links = switcher_links(client.get("/ja/news/").content.decode())
    # A page of no edition offers every language of the site.
    assert links == {
        "en": "/news/",
        "ja": "/ja/news/",
        "ko": "/ko/news/",
        "zh-hans": "/zh-hans/news/",
        "id": "/id/news/",
        "th": "/th/news/",
        "vi": "/vi/news/",
    }


@pytest.mark.django_db
def test_switcher_on_a_page_without_translation_leads_to_that_languages_home(client):
    from cms.models import StandardPage
    from tests.factories import english_home

    page = StandardPage(title="Only in English", slug="only-in-english")
    english_home().add_child(instance=page)
    page.save_revision().publish()
    links = switcher_links(client.get(page.url).content.decode())
    assert set(links) == {"en", "ja", "ko", "zh-hans", "id", "th", "vi"}
    assert (links["en"], links["ja"]) == ("/only-in-english/", "/ja/")


@pytest.mark.django_db
def test_switcher_on_search_keeps_the_query(client):
    links = switcher_links(client.get("/search/?q=tokyo").content.decode())
    assert links["en"] == "/search/?q=tokyo"
    assert links["ja"] == "/ja/search/?q=tokyo"
    assert links["th"] == "/th/search/?q=tokyo"


@pytest.mark.django_db
def test_switcher_marks_the_current_language(client):
    html = client.get("/ja/").content.decode()
    assert 'hreflang="ja" lang="ja" aria-current="true">日本語</a>' in html
    assert 'hreflang="en" lang="en">English</a>' in html


@pytest.mark.django_db
def test_unprefixed_address_is_english_whatever_the_browser_prefers(client):
    html = client.get("/2009-tokyo/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_base_template_strings_are_translated(client):
    html = client.get("/ja/2009-tokyo/").content.decode()
    for japanese in ("メインコンテンツへ移動", "第2回フォーラム", "コミットメント宣言", "検索"):
        assert japanese in html, japanese
    assert "日本" in html  # country names come translated too


def test_choices_are_translated():
    from forum.enums import EditionRoleKind, OrganizationKind

    with translation.override("ja"):
        assert str(EditionRoleKind.DRAFTING_COMMITTEE.label) == "起草委員会"
        assert str(OrganizationKind.COOPERATIVE.label) == "協同組合"


def test_every_interface_language_has_a_catalogue():
    assert [code for code, _name in settings.LANGUAGES if code != "en"] == CATALOGUE_LANGUAGES


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_message(language):
    """Fails on any message left untranslated or fuzzy (after `make messages`, fill them in:
    see README, "Translations"), and on a translation that loses or invents a placeholder."""
    po = polib.pofile(str(catalogue(language)))
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert po.metadata["Language"] == translation.to_locale(language)
    wrong = []
    for entry in po.translated_entries():
        source = entry.msgid_plural or entry.msgid
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if sorted(set(PLACEHOLDER_RE.findall(text))) != sorted(
                set(PLACEHOLDER_RE.findall(source))
            ):
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_catalogue_is_complete_and_compiled(tmp_path, language):
    if shutil.which("msgfmt") is None:
        _missing("needs gettext's msgfmt: apt-get install gettext")
    po = catalogue(language)
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
    committed = po.with_suffix(".mo").read_bytes()
    assert committed == (tmp_path / "django.mo").read_bytes(), "run `make messages`"


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_every_template_string_has_a_translation(language):
    """No user-facing string in the templates is left out of a language's catalogue (a
    translation may equal the English, as Indonesian "Status" does, if the catalogue has it)."""
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(catalogue(language)))
        if entry.translated()
    }
    missing = []
    with translation.override(language):
        for template in (ROOT / "templates").rglob("*.html"):
            source = template.read_text(encoding="utf-8")
            found = re.findall(
                r"""{% translate (?:"([^"]+)"|'([^']+)')(?:\s+context\s+["']([^"']+)["'])?""",
                source,
            )
            for double, single, context in found:
                text = double or single
                got = translation.pgettext(context, text) if context else translation.gettext(text)
                if got == text and ((context or None), text) not in translated:
                    missing.append((template.name, text))
    assert missing == []
