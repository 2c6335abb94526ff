"""Every script in every PDF (forum.documents.fonts): each kind of PDF embeds a font of each
script's family, only fonts the project ships (none of the machine's), and gives the characters
back to text extraction. A separate process renders with a fontconfig that knows no font at
all, as on a fresh machine without system fonts."""

import datetime
import io
import os
import re
import subprocess
import sys
import textwrap

import pytest
from django.test import override_settings
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from forum.documents import fonts
from forum.documents.fetcher import safe_url_fetcher, sfnt_from_woff
from registration.documents.pdf.badges import render_badge, render_badge_sheets
from registration.documents.pdf.certificates import render_certificate
from registration.documents.pdf.letters import render_visa_letter
from registration.documents.pdf.receipts import render_receipt
from registration.enums import LetterStatus
from registration.models import RegistrationSettings, TicketType
from sessions_app.models import Release
from sessions_app.pdf.programme import render_programme_pdf
from statements.documents.pdf.matrix import render_comment_matrix_pdf
from statements.documents.pdf.statement import render_statement_pdf
from statements.enums import StatementState
from statements.services.versions import create_version
from tests.factories.documents import RegistrationFactory, VisaLetterFactory
from tests.factories.statements import make_statement

# One phrase per script, and the family each must be printed in (by the document's stack, no
# lang attribute): Latin with diacritics and Vietnamese in Noto Sans, kana and kanji in Noto Sans
# JP, Hangul in KR, simplified-only Han (业, 这) in SC, Devanagari in Noto Sans's Devanagari.
SCRIPTS = {
    "latin": ("Łódź São Paulo Ñuñoa", "Noto-Sans"),
    "vietnamese": ("Nguyễn Văn Đức", "Noto-Sans"),
    "japanese": ("ワーカーズコープ東京", "Noto-Sans-JP"),
    "korean": ("한국사회적기업", "Noto-Sans-KR"),
    "chinese": ("这是社会企业", "Noto-Sans-SC"),
    "thai": ("สมชาย ใจดี", "Noto-Sans-Thai"),
    "devanagari": ("राम श्रेष्ठ", "Noto-Sans-Devanagari"),
    "bengali": ("বাংলাদেশ", "Noto-Sans-Bengali"),
}
MIXED = " / ".join(phrase for phrase, _family in SCRIPTS.values())
FAMILIES = {family for _phrase, family in SCRIPTS.values()}
EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def embedded_families(reader: PdfReader) -> set[str]:
    """The families of the fonts embedded on any page: "ABCDEF+Noto-Sans-JP-117-Bold" is
    "Noto-Sans-JP-Bold", "ABCDEF+Noto-Sans-latin-ext" is "Noto-Sans" (a slice of fontsource's
    Noto Sans named after its subset), "…+Noto-Sans-devanagari" is "Noto-Sans-Devanagari"."""
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(family_of(str(font.get_object()["/BaseFont"]).split("+", 1)[-1]))
    return names


def family_of(name: str) -> str:
    name = name.rstrip(",")  # WeasyPrint's name of a font picked from a list of families
    bold = name.endswith("-Bold")
    name = name.removesuffix("-Bold")
    families = sorted((f.replace(" ", "-") for f in fonts.PACKAGES), key=len, reverse=True)
    family = next((f for f in families if name.startswith(f + "-") or name == f), name)
    if name.lower() == "noto-sans-devanagari":
        family = "Noto-Sans-Devanagari"
    return family + ("-Bold" if bold else "")


def text_of(pdf: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def assert_every_script(pdf: bytes, families: set[str] = FAMILIES) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    embedded = embedded_families(reader)
    assert families <= embedded
    ours = {family.replace(" ", "-") for family in fonts.PACKAGES} | {"Noto-Sans-Devanagari"}
    assert {family.removesuffix("-Bold") for family in embedded} <= ours, embedded
    text = "".join(" ".join(page.extract_text().split()) for page in reader.pages)
    squashed = re.sub(r"\s", "", text)
    for phrase, _family in SCRIPTS.values():
        # Devanagari's vowel signs come back in visual order from some extractors: compare
        # the letters of each phrase, without white space.
        assert re.sub(r"\s", "", phrase) in squashed, phrase


def render(function, *args, **kwargs) -> bytes:
    return function(*args, **kwargs)


# --- The fonts module ---------------------------------------------------------------------


def test_every_font_package_is_installed():
    assert fonts.missing_font_packages() == []


def test_missing_font_packages_are_named(tmp_path):
    (tmp_path / "noto-sans").mkdir()
    for weight in fonts.WEIGHTS:
        (tmp_path / "noto-sans" / f"{weight}.css").write_text("")
    with override_settings(PDF_FONTS_DIR=tmp_path):
        assert fonts.missing_font_packages() == [
            "@fontsource/noto-sans-jp",
            "@fontsource/noto-sans-kr",
            "@fontsource/noto-sans-sc",
            "@fontsource/noto-sans-tc",
            "@fontsource/noto-sans-thai",
            "@fontsource/noto-sans-bengali",
        ]


def test_a_document_loads_only_the_fonts_of_its_characters():
    html = '<html lang="en"><p>Tokyo</p><p lang="zh-hant">臺灣</p><p>臺灣</p></html>'
    faces = fonts.faces_for(html, "en")
    assert sorted({(face.name, face.weight) for face in faces}) == [
        ("Noto Sans JP japanese", 400),  # 臺灣 in the English paragraph: Japanese shapes
        ("Noto Sans JP japanese", 700),
        ("Noto Sans TC chinese-traditional", 400),  # the same in the Traditional Chinese one
        ("Noto Sans TC chinese-traditional", 700),
        ("Noto Sans latin", 400),
        ("Noto Sans latin", 700),
    ]


def test_common_characters_come_from_the_language_subset_and_rare_ones_from_slices():
    """Kana and kanji in common use are all in one font per weight (issue 14: one run of
    glyphs per word, one font to embed); a rare kanji (𠮷) adds the slice that has it, named
    after the subset in the stacks so that the subset prints all it can."""
    common = '<html lang="ja"><p>ワーカーズコープ東京、社会的連帯経済</p></html>'
    assert sorted({(face.name, face.primary) for face in fonts.faces_for(common, "ja")}) == [
        ("Noto Sans JP japanese", True),
        ("Noto Sans latin", False),
    ]
    rare = '<html lang="ja"><p>𠮷野家の東京</p></html>'
    faces = fonts.faces_for(rare, "ja")
    jp = sorted({face.name for face in faces if face.family == fonts.JP})
    assert len(jp) == 2, jp
    assert jp[-1] == "Noto Sans JP japanese"
    stylesheet = fonts.font_stylesheet(rare, "ja")
    stack = re.search(r"^html \{ font-family: (.*); \}$", stylesheet, re.M)[1]
    assert stack.index('"Noto Sans JP japanese"') < stack.index(f'"{jp[0]}"')
    pdf = fonts.write_pdf(rare, language="ja")
    assert "𠮷野家の東京" in text_of(pdf)


def test_the_weights_of_a_subset_share_one_character_map(monkeypatch):
    root = str(fonts.fonts_dir())
    fonts._family_faces.cache_clear()
    monkeypatch.setattr(fonts, "_CMAP_RANGES", {})
    faces = [face for face in fonts._family_faces(root, fonts.KR) if face.primary]
    assert [face.weight for face in faces] == list(fonts.WEIGHTS)
    assert faces[0].ranges == faces[1].ranges
    assert len(fonts._CMAP_RANGES) == 1
    assert ord("한") in fonts._coverage(root, fonts.KR)
    fonts._family_faces.cache_clear()


@pytest.mark.parametrize(
    "file",
    [
        "noto-sans-jp/files/noto-sans-jp-japanese-700-normal.woff",  # format 4
        "noto-sans-kr/files/noto-sans-kr-korean-400-normal.woff",
        "noto-sans-jp/files/noto-sans-jp-0-400-normal.woff",  # format 12: beyond the BMP
        "noto-sans-thai/files/noto-sans-thai-thai-400-normal.woff",
    ],
)
def test_the_character_map_is_read_as_fonttools_reads_it(file, monkeypatch):
    monkeypatch.setattr(fonts, "_CMAP_RANGES", {})
    path = fonts.fonts_dir() / file
    expected = fonts._joined([(code, code) for code in TTFont(path).getBestCmap()])
    assert fonts._cmap_ranges(path) == expected


def test_without_its_language_subset_a_family_prints_from_its_slices(monkeypatch):
    """A package version without the subset file (or before fontsource shipped one): the
    numbered slices cover the same characters."""
    monkeypatch.setattr(fonts, "LANGUAGE_SUBSETS", {})
    fonts._family_faces.cache_clear()
    fonts._coverage.cache_clear()
    try:
        faces = fonts.faces_for('<html lang="ja"><p>東京</p></html>', "ja")
        names = {face.name for face in faces if face.family == fonts.JP}
        assert names
        assert not any(face.primary for face in faces)
        assert all(re.fullmatch(r"Noto Sans JP \d+", name) for name in names), names
        pdf = fonts.write_pdf('<html lang="ja"><p>東京</p></html>', language="ja")
        assert "東京" in text_of(pdf)
    finally:
        fonts._family_faces.cache_clear()
        fonts._coverage.cache_clear()


def test_han_characters_take_the_family_of_their_language():
    for lang, family in (("ja", "Noto Sans JP"), ("ko", "Noto Sans KR"), ("zh", "Noto Sans SC")):
        html = f'<html lang="en"><p lang="{lang}">中</p></html>'
        assert {face.family for face in fonts.faces_for(html, "en")} == {"Noto Sans", family}


def test_the_fetcher_serves_the_fonts_and_nothing_else_of_their_folder():
    face = fonts.faces_for("<p>a</p>", "en")[0]
    response = safe_url_fetcher(fonts.FONT_URL + face.path)
    # The WOFF slice comes unpacked (a TrueType font), sparing WeasyPrint's fontTools round trip.
    assert response.read()[:4] == b"\x00\x01\x00\x00"
    for refused in ("noto-sans/400.css", "noto-sans/package.json", "../jsqr/package.json"):
        with pytest.raises(ValueError, match="Refused font path"):
            safe_url_fetcher(fonts.FONT_URL + refused)


@pytest.mark.parametrize("family", [fonts.LATIN, fonts.JP, fonts.THAI])
def test_a_woff_slice_unpacks_into_the_same_tables(family):
    face = fonts._faces(str(fonts.fonts_dir()))[family][0]
    woff = (fonts.fonts_dir() / face.path).read_bytes()
    unpacked = TTFont(io.BytesIO(sfnt_from_woff(woff)))
    original = TTFont(io.BytesIO(woff))
    assert unpacked.flavor is None
    assert original.flavor == "woff"
    tags = sorted(original.reader.keys())
    assert sorted(unpacked.reader.keys()) == tags
    for tag in tags:
        assert unpacked.reader[tag] == original.reader[tag], tag
    assert unpacked["cmap"].getBestCmap() == original["cmap"].getBestCmap()


@pytest.mark.parametrize(
    "data", [b"", b"wOFF", b"OTTO" + bytes(60), b"wOFF" + bytes(8) + b"\x00\x01"]
)
def test_a_malformed_woff_font_is_refused(data):
    with pytest.raises(ValueError, match="WOFF"):
        sfnt_from_woff(data)


# --- Each kind of PDF ----------------------------------------------------------------------

NO_SYSTEM_FONTS_SCRIPT = """
import io, sys
import django
django.setup()
from pypdf import PdfReader
from forum.documents.fonts import write_pdf
text = sys.argv[1]
html = f'<html lang="en"><body><p>{text}</p><p><b>{text}</b></p></body></html>'
pdf = write_pdf(html, language="en")
reader = PdfReader(io.BytesIO(pdf))
print(sorted(str(f.get_object()["/BaseFont"]).split("+")[-1]
             for f in reader.pages[0]["/Resources"]["/Font"].values()))
print(" ".join(reader.pages[0].extract_text().split()))
"""


def test_every_script_prints_on_a_machine_without_fonts(tmp_path):
    """A process whose fontconfig has no font directory at all (WeasyPrint says so) prints
    every script in the project's fonts."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "cache"))
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "DJANGO_SETTINGS_MODULE": "forum.settings"}
    result = subprocess.run(
        [sys.executable, "-W", "always", "-c", textwrap.dedent(NO_SYSTEM_FONTS_SCRIPT), MIXED],
        capture_output=True,
        text=True,
        env=env,
        cwd=os.fspath(fonts.settings.BASE_DIR),
        check=True,
        timeout=120,
    )
    fonts_line, text = result.stdout.strip().splitlines()
    assert "No fonts configured in FontConfig. Expect ugly output." in result.stderr
    families = {family_of(name) for name in eval(fonts_line)}  # noqa: S307 (our own output)
    assert families == FAMILIES | {f"{family}-Bold" for family in FAMILIES}
    for phrase, _family in SCRIPTS.values():
        assert re.sub(r"\s", "", phrase) in re.sub(r"\s", "", text), phrase
    assert ".notdef glyph" not in result.stderr


@pytest.mark.django_db
def test_programme_book_prints_every_script():
    snapshot = Release.objects.get(edition__slug="2009-tokyo", number=2).snapshot
    snapshot["sessions"][0]["title"] = MIXED
    snapshot["sessions"][0]["i18n"] = {}  # the same title in every language's book
    for language in ("en", "ja"):
        pdf = render(
            render_programme_pdf, snapshot, base_url="http://testserver/", language=language
        )
        # The book prints Latin (and Vietnamese) in Noto Sans JP's shapes.
        assert_every_script(pdf, FAMILIES - {"Noto-Sans"} | {"Noto-Sans-JP-Bold"})


@pytest.fixture
def ticket_type(edition):
    return TicketType.objects.update_or_create(
        edition=edition, name="Fonts test", defaults={"colour": "#1d5c4d"}
    )[0]


@pytest.mark.django_db
def test_badge_with_korean_thai_and_bengali_names_renders(ticket_type):
    people = [
        ("Kim Min-jung", "김민정", "ko", "KR"),
        ("Anan Chaiyasit", "อนันต์ ชัยสิทธิ์", "th", "TH"),
        ("Rahim Uddin", "রহিম উদ্দিন", "bn", "BD"),
        ("Chen Mei-ling", "陳美玲", "zh-hant", "TW"),
    ]
    registrations = [
        RegistrationFactory(
            ticket_type=ticket_type,
            name=name,
            name_native=native,
            name_native_language=lang,
            country=country,
        )
        for name, native, lang, country in people
    ]
    for registration, (name, native, _lang, _country) in zip(registrations, people, strict=True):
        assert f"{name} {native}" in text_of(render(render_badge, registration))
    reader = PdfReader(io.BytesIO(render(render_badge_sheets, registrations, language="en")))
    assert {"Noto-Sans-KR", "Noto-Sans-Thai", "Noto-Sans-Bengali", "Noto-Sans-TC"} <= (
        embedded_families(reader)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ja", "ko", "th"])
def test_registration_documents_print_every_script(ticket_type, edition, language):
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={"currency": "JPY", "letterhead": MIXED, "letter_signatory": "Yuki Sato"},
    )
    registration = RegistrationFactory(
        ticket_type=ticket_type, name="Nguyễn Văn Đức", organization_name=MIXED, country="VN"
    )
    letter = VisaLetterFactory(
        registration=registration,
        status=LetterStatus.ISSUED,
        number="AFSE2009-0099",
        decided_at=datetime.datetime(2009, 9, 1, 3, 0, tzinfo=datetime.UTC),
        holder_name="NGUYEN VAN DUC",
        stay_from=datetime.date(2009, 11, 6),
        stay_until=datetime.date(2009, 11, 11),
    )
    assert_every_script(render(render_badge, registration, language=language))
    assert_every_script(render(render_visa_letter, letter, language=language))
    assert_every_script(render(render_receipt, registration, language=language))
    assert_every_script(render(render_certificate, registration, language=language))


@pytest.mark.django_db
def test_statement_and_comment_matrix_print_every_script(edition):
    statement = make_statement(edition, state=StatementState.DRAFTING)
    version = create_version(
        statement=statement, actor=statement.created_by, source=f"# {MIXED}\n\n{MIXED}"
    )
    for language in ("en", "ja"):
        assert_every_script(
            render(
                render_statement_pdf,
                statement=statement,
                version=version,
                summary=None,
                language=language,
            )
        )
        assert_every_script(
            render(
                render_comment_matrix_pdf, statement=statement, version=version, language=language
            )
        )


def test_system_check_names_the_missing_font_packages(tmp_path):
    from forum.documents.checks import check_pdf_fonts

    assert check_pdf_fonts(None) == []
    with override_settings(PDF_FONTS_DIR=tmp_path):
        (warning,) = check_pdf_fonts(None)
    assert warning.id == "forum.W001"
    assert warning.msg == (
        "The PDFs' fonts are not installed: @fontsource/noto-sans, @fontsource/noto-sans-jp, "
        "@fontsource/noto-sans-kr, @fontsource/noto-sans-sc, @fontsource/noto-sans-tc, "
        "@fontsource/noto-sans-thai, @fontsource/noto-sans-bengali."
    )
