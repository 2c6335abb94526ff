"""The statement in several languages: translations made by the drafting committee per version
and language, stale marks when the source paragraph changes, reading (page, diff, plenary,
PDF) in the reader's language with a marked fallback to the authoritative text, comments in any
language, and who may translate."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from cms.models import EditionPage
from statements.enums import StatementState
from statements.models import Comment, ParagraphTranslation, Statement, StatementTranslation
from statements.services import ActionRefusedError, PermissionRefusedError
from statements.services.versions import create_version, version_source
from statements.translations.selectors import (
    latest_translation,
    read_in_language,
    source_hash,
    translation_overview,
)
from statements.translations.services import save_translation
from tests.factories.statements import make_statement, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def ja_base_url(edition):
    page = EditionPage.objects.filter(edition=edition, locale__language_code="ja").first()
    return page.url + "statement/"


def _translate(statement, committee_user, language="ja", **paragraphs):
    version = statement.versions.order_by("-number").first()
    return save_translation(
        statement=statement,
        version=version,
        language=language,
        actor=committee_user,
        title="東京行動宣言",
        paragraphs={int(key[1:]): text for key, text in paragraphs.items()},
    )


def _blocks(statement, version, language):
    from statements.selectors import version_text

    text = version_text(version)
    reading = read_in_language(statement, version, text.blocks, language)
    return reading, {block.text.paragraph.key: block.shown for block in text.blocks}


# --- The model and the service ----------------------------------------------------------------


def test_statement_source_language_defaults_to_the_editions_first(edition, committee_user):
    from statements.services.workflow import create_statement

    Statement.objects.filter(edition=edition).delete()
    edition.languages = ["ja", "en"]
    edition.save()
    statement = create_statement(
        edition=edition, title="Tokyo", actor=committee_user, source="We commit."
    )
    assert statement.source_language == "en"  # the site's order: English, then Japanese
    edition.languages = ["ja", "ko"]
    edition.save()
    Statement.objects.filter(edition=edition).delete()
    statement = create_statement(
        edition=edition, title="Tokyo", actor=committee_user, source="We commit."
    )
    assert statement.source_language == "ja"


def test_committee_chooses_the_authoritative_language_when_creating(
    client, edition, committee_user, base_url
):
    Statement.objects.filter(edition=edition).delete()
    client.force_login(committee_user)
    form = client.get(base_url + "committee/create/").content.decode()
    assert '<option value="en" selected>English</option>' in form
    response = client.post(
        base_url + "committee/create/",
        {"title": "東京宣言", "source_language": "ja", "source": "私たちは約束します。"},
    )
    assert response.status_code == 302
    assert Statement.objects.get(edition=edition).source_language == "ja"


def test_translation_holds_a_text_per_paragraph_with_the_source_fingerprint(
    edition, committee_user
):
    statement = make_statement(edition, paragraphs=3, state=StatementState.OPEN)
    translation = _translate(statement, committee_user, p1="第一段落。", p2="第二段落。")
    version = statement.versions.get()
    rows = {p.paragraph.key: p for p in translation.paragraphs.select_related("paragraph")}
    assert sorted(rows) == [1, 2]
    source = version.texts.get(paragraph__key=1).text
    assert rows[1].text == "第一段落。"
    assert rows[1].source_hash == source_hash(source)
    assert rows[1].source_version == version
    assert translation.title == "東京行動宣言"
    assert translation.updated_by == committee_user

    reading, shown = _blocks(statement, version, "ja")
    assert reading.title == "東京行動宣言"
    assert (reading.is_translated, reading.is_source) == (True, False)
    assert (shown[1].text, shown[1].language, shown[1].is_fallback) == ("第一段落。", "ja", False)
    assert (shown[3].language, shown[3].is_fallback) == ("en", True)
    assert shown[3].text == "We commit to paragraph 3 of the solidarity economy."
    assert (reading.fallback_count, reading.stale_count) == (1, 0)


def test_saving_again_replaces_the_translation_of_the_same_version(edition, committee_user):
    statement = make_statement(edition, paragraphs=2, state=StatementState.OPEN)
    _translate(statement, committee_user, p1="一。", p2="二。")
    _translate(statement, committee_user, p1="一(改)。", p2="")
    assert StatementTranslation.objects.filter(version__statement=statement).count() == 1
    assert list(ParagraphTranslation.objects.values_list("text", flat=True)) == ["一(改)。"]


def test_paragraph_is_stale_once_its_source_changes_in_a_later_version(edition, committee_user):
    statement = make_statement(edition, paragraphs=3, state=StatementState.COMMENTS_CLOSED)
    _translate(statement, committee_user, p1="一。", p2="二。", p3="三。")
    v1 = statement.versions.get()
    source = version_source(v1).replace("paragraph 2 of", "paragraph two of")
    v2 = create_version(statement=statement, actor=committee_user, source=source + "\n\nNew one.")

    # Version 2 has no translation of its own: it is read through version 1's.
    assert latest_translation(v2, "ja").version == v1
    reading, shown = _blocks(statement, v2, "ja")
    assert (shown[1].text, shown[1].is_stale) == ("一。", False)
    assert (shown[2].text, shown[2].is_stale, shown[2].language) == ("二。", True, "ja")
    assert (shown[4].is_fallback, shown[4].text) == (True, "New one.")
    assert (reading.fallback_count, reading.stale_count) == (1, 1)
    overview = {row["language"]: row for row in translation_overview(statement, v2)}
    assert (overview["ja"]["done"], overview["ja"]["stale"], overview["ja"]["missing"]) == (2, 1, 1)
    assert (overview["ko"]["done"], overview["ko"]["missing"]) == (0, 4)
    assert "en" not in overview

    # Saved unchanged, the stale paragraph stays stale; confirmed or retranslated, it is fresh.
    save_translation(
        statement=statement, version=v2, language="ja", actor=committee_user, paragraphs={}
    )
    assert StatementTranslation.objects.filter(version__statement=statement).count() == 2
    _reading, shown = _blocks(statement, v2, "ja")
    assert (shown[2].is_stale, shown[2].translation.source_version) == (True, v1)
    save_translation(
        statement=statement,
        version=v2,
        language="ja",
        actor=committee_user,
        paragraphs={},
        confirmed={2},
    )
    _reading, shown = _blocks(statement, v2, "ja")
    assert (shown[2].is_stale, shown[2].translation.source_version) == (False, v2)
    # Version 1 keeps its own translation, fresh against its own text.
    _reading, shown = _blocks(statement, v1, "ja")
    assert not shown[2].is_stale


def test_only_the_committee_translates_and_only_into_another_language(
    edition, committee_user, delegate_user, moderator_user
):
    statement = make_statement(edition, paragraphs=2, state=StatementState.OPEN)
    version = statement.versions.get()
    for person in (delegate_user, moderator_user):
        with pytest.raises(PermissionRefusedError):
            save_translation(
                statement=statement,
                version=version,
                language="ja",
                actor=person,
                paragraphs={1: "一。"},
            )
    for language, paragraphs in (("en", {1: "One."}), ("xx", {1: "?"}), ("ja", {9: "九。"})):
        with pytest.raises(ActionRefusedError):
            save_translation(
                statement=statement,
                version=version,
                language=language,
                actor=committee_user,
                paragraphs=paragraphs,
            )
    assert not StatementTranslation.objects.exists()


# --- The committee's form ---------------------------------------------------------------------


def test_translation_form_shows_each_source_paragraph_beside_its_field(
    client, edition, committee_user, base_url
):
    statement = make_statement(edition, paragraphs=2, state=StatementState.OPEN)
    _translate(statement, committee_user, p1="一。")
    client.force_login(committee_user)
    response = client.get(base_url + "committee/translations/ja/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Translation into Japanese" in html
    assert (
        '<p class="translation-row__source" lang="en"><span class="statement-paragraph__number">'
        "1.</span> We commit to paragraph 1 of the solidarity economy.</p>"
    ) in html
    textarea = '<textarea name="p_1" cols="40" rows="4" lang="ja" maxlength="5000" id="id_p_1">'
    assert textarea + "\n一。</textarea>" in html
    assert 'id="id_p_2">\n</textarea>' in html

    response = client.post(
        base_url + "committee/translations/ja/",
        {"title": "宣言", "heading_0": "第1節", "p_1": "一。", "p_2": "二。"},
    )
    assert response.status_code == 302
    translation = StatementTranslation.objects.get(version__statement=statement, language="ja")
    assert translation.headings == {"Section 1": "第1節"}
    assert sorted(translation.paragraphs.values_list("text", flat=True)) == ["一。", "二。"]

    dashboard = client.get(base_url + "committee/").content.decode()
    assert "2 translated, 0 out of date, 0 not translated" in dashboard
    assert base_url + "committee/translations/ko/" in dashboard


def test_translation_form_with_a_too_long_paragraph_saves_nothing(
    client, edition, committee_user, base_url
):
    make_statement(edition, paragraphs=2, state=StatementState.OPEN)
    client.force_login(committee_user)
    response = client.post(base_url + "committee/translations/ja/", {"p_1": "長" * 5001})
    assert response.status_code == 400
    assert "Please correct the marked fields." in response.content.decode()
    assert not StatementTranslation.objects.exists()


def test_only_the_drafting_committee_reaches_the_translation_form(
    client, edition, delegate_user, moderator_user, participant, foreign_organizer, base_url
):
    make_statement(edition, paragraphs=2, state=StatementState.OPEN)
    url = base_url + "committee/translations/ja/"
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    for person in (delegate_user, moderator_user, participant, foreign_organizer):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, {"p_1": "一。"}).status_code == 403
    assert not StatementTranslation.objects.exists()
    client.force_login(person_with_role(edition, "organizer", username="tokyo-org-t"))
    assert client.get(url).status_code == 200
    assert client.get(base_url + "committee/translations/en/").status_code == 404  # the source
    assert client.get(base_url + "committee/translations/fr/").status_code == 404


# --- Reading in a language --------------------------------------------------------------------


def _demo_statement(edition):
    return Statement.objects.get(edition=edition)


def test_demo_statement_has_a_complete_japanese_and_a_partial_korean_translation(edition):
    statement = _demo_statement(edition)
    adopted = statement.versions.get(number=2)
    reading, shown = _blocks(statement, adopted, "ja")
    assert reading.title == "東京行動宣言"
    assert (reading.fallback_count, reading.stale_count) == (0, 0)
    assert len(shown) == 12
    reading, shown = _blocks(statement, adopted, "ko")
    assert reading.title == "도쿄 행동 선언"
    assert reading.stale_count == 1
    assert (shown[13].is_stale, shown[13].translation.source_version.number) == (True, 1)
    assert reading.fallback_count == 7
    assert (shown[2].is_fallback, shown[2].language) == (True, "en")


def test_statement_page_in_japanese_shows_the_translation(client, ja_base_url):
    response = client.get(ja_base_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="ja">東京行動宣言</h1>' in html
    assert '<h2 class="statement-section" lang="ja">私たちの約束</h2>' in html
    assert '<span class="statement-text__body" lang="ja">第3回アジア連帯経済フォーラムは' in html
    assert "Not translated yet" not in html
    assert "translation-mark" not in html
    assert 'href="?text=original" hreflang="en"' in html
    assert "Tokyo Statement of Commitment" not in html.split("<main")[-1].split("<footer")[0]


def test_statement_page_in_korean_marks_fallback_and_stale_paragraphs(client, base_url):
    html = client.get(base_url + "?text=ko").content.decode()
    assert '<h1 lang="ko">도쿄 행동 선언</h1>' in html
    body = '<span class="statement-text__body" lang="en">We are consumer and workers'
    assert body in html
    after = html.split(body)[1].split("</p>")[0]
    assert "Not translated yet: the authoritative text." in after
    stale = html.split('lang="ko">제3회 아시아연대경제포럼은 2011년에 개최됩니다.</span>')[1]
    assert (
        stale.split("</p>")[0]
        .strip()
        .startswith(
            '<span class="translation-mark translation-mark--stale">Translation out of date'
        )
    )
    assert "Not translated yet: 7; out of date: 1." in html


def test_authoritative_text_is_one_link_away(client, ja_base_url):
    html = client.get(ja_base_url + "?text=original").content.decode()
    assert '<h1 lang="en">Tokyo Statement of Commitment</h1>' in html
    assert '<span class="statement-text__body" lang="en">We, some 500 practitioners' in html
    assert "第3回アジア連帯経済フォーラム" not in html


def test_diff_and_plenary_exist_in_japanese(client, ja_base_url):
    html = client.get(ja_base_url + "changes/?from=2&to=2").content.decode()
    assert '<p class="diff__text" lang="ja">第3回アジア連帯経済フォーラムは' in html
    html = client.get(ja_base_url + "changes/?text=ko").content.decode()
    # Version 1 has no Korean translation: where version 2's paragraph is in Korean, the two are
    # compared in English (marked); a paragraph in English in both is compared as it is.
    assert '<p class="diff__text" lang="ko">' not in html
    assert '<p class="diff__text" lang="en">The third Asian Forum for Solidarity' in html
    assert html.count("translation-mark--fallback") == 12
    html = client.get(ja_base_url + "plenary/").content.decode()
    assert '<h1 class="plenary__title" lang="ja">東京行動宣言</h1>' in html
    assert '<span class="statement-text__body" lang="ja">私たちは、天然資源を' in html


def test_statement_pdf_in_japanese_prints_the_translation(client, ja_base_url, base_url):
    response = client.get(ja_base_url + "statement.pdf")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "東京行動宣言" in text
    assert "第3回アジア連帯経済フォーラム" in text
    assert "The third Asian Forum" not in text
    # Korean from an English page: the translated paragraphs, the rest in English.
    response = client.get(base_url + "statement.pdf?text=ko")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "도쿄 행동 선언" in text
    assert "We are consumer and workers" in text


def test_pdf_is_rendered_again_when_the_translation_changes(client, edition, ja_base_url):
    from statements.documents.services import STATEMENT, printed_name

    statement = _demo_statement(edition)
    version = statement.versions.get(number=2)
    before = printed_name(statement, version, STATEMENT, "ja")
    english = printed_name(statement, version, STATEMENT, "en")
    translation = StatementTranslation.objects.get(version=version, language="ja")
    translation.title = "東京行動宣言(改訂)"
    translation.save()
    assert printed_name(statement, version, STATEMENT, "ja") != before
    assert printed_name(statement, version, STATEMENT, "en") == english


# --- Comments in any language -----------------------------------------------------------------


def test_comment_records_its_language_and_the_committee_sees_the_source(
    client, edition, delegate_user, committee_user, base_url, ja_base_url
):
    statement = make_statement(edition, paragraphs=2, state=StatementState.OPEN)
    _translate(statement, committee_user, p2="第二段落の翻訳。")
    client.force_login(delegate_user)
    page = client.get(ja_base_url + "paragraphs/2/").content.decode()
    assert '<span class="statement-text__body" lang="ja">第二段落の翻訳。</span>' in page
    response = client.post(ja_base_url + "comments/", {"body": "賛成です。", "paragraph": "2"})
    assert response.status_code == 302
    comment = Comment.objects.get(statement=statement)
    assert (comment.language, comment.paragraph.key) == ("ja", 2)
    client.post(base_url + "comments/", {"body": "Agreed.", "paragraph": "2"})
    assert Comment.objects.get(body="Agreed.").language == "en"

    client.force_login(committee_user)
    html = client.get(base_url + "discussion/").content.decode()
    assert "written in Japanese" in html
    assert '<div class="comment__body" lang="ja"><p>賛成です。</p>' in html
    assert (
        '<blockquote class="contribution__source" lang="en"><span class="muted">The '
        "authoritative text:</span> We commit to paragraph 2 of the solidarity economy."
    ) in html
    thread = client.get(ja_base_url + "paragraphs/2/").content.decode()
    assert '<details class="translation-source" open>' in thread
    assert '<p lang="en">We commit to paragraph 2 of the solidarity economy.</p>' in thread


# --- Query counts -----------------------------------------------------------------------------


def _counts(client, urls) -> list[int]:
    """The queries of each address asked a second time (the first visit routes the address
    and reads the site header, then kept until a page changes: cms/routing.py, cms/chrome.py)."""
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries))
    return counts


def test_pages_in_a_language_run_constant_queries_with_translations(
    client, edition, committee_user, ja_base_url
):
    def build(paragraphs):
        statement = make_statement(edition, paragraphs=paragraphs, state=StatementState.SIGN_ON)
        _translate(
            statement,
            committee_user,
            **{f"p{key}": f"第{key}段落。" for key in range(1, paragraphs + 1, 2)},
        )
        _translate(
            statement,
            committee_user,
            language="ko",
            **{f"p{key}": f"{key} 문단." for key in range(1, paragraphs + 1, 3)},
        )

    urls = [ja_base_url, ja_base_url + "changes/", ja_base_url + "plenary/"]
    urls += [ja_base_url + "?text=ko", ja_base_url + "?text=original"]
    build(3)
    small = _counts(client, urls)
    build(60)
    large = _counts(client, urls)
    assert small == large
    client.force_login(committee_user)
    committee_urls = [ja_base_url + "committee/translations/ja/", ja_base_url + "committee/"]
    build(3)
    small = _counts(client, committee_urls)
    build(60)
    assert _counts(client, committee_urls) == small
