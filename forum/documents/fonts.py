"""The fonts of every PDF the project prints, and the one function that prints them.

The Noto families come from the npm registry (`@fontsource/noto-sans*`, installed by
`make install` into node_modules/, see package.json): Latin with its diacritics, Vietnamese,
Greek, Cyrillic and Devanagari (Noto Sans), Japanese, Korean, Simplified and Traditional Chinese
(Noto Sans JP/KR/SC/TC), Thai and Bengali. Fontsource cuts each family into slices by
`unicode-range` (a CJK family into about 120), so a document loads only the slices that hold its
characters: for each character, the first family of the stack of its element's language (a
Korean name's Han characters take Korean shapes) that covers it. A CJK package also ships its
language's subset in one file (`noto-sans-jp-japanese`: the 6,900 kana and kanji in common use,
`-korean`, `-chinese-simplified`, `-chinese-traditional`), which its stylesheet does not name:
a character that subset has is printed from it, and only the rarer ones from the numbered
slices. A Japanese text then needs one font per weight instead of twenty-odd, each word one run
of glyphs instead of one per slice (issue 14). WeasyPrint embeds the subset of glyphs it uses.
Nothing depends on the fonts installed on the machine; system Noto fonts, when present, are only
named after ours in the stack.

The files are read through the safe URL fetcher under FONT_URL (forum.documents.fetcher), from
settings.PDF_FONTS_DIR only.
"""

import gc
import logging
import re
import struct
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import lxml.html
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from forum.documents.fetcher import FONT_URL, SafeURLFetcher, woff_directory, woff_table

logger = logging.getLogger(__name__)
WEIGHTS = (400, 700)

LATIN = "Noto Sans"
JP, KR, SC, TC = "Noto Sans JP", "Noto Sans KR", "Noto Sans SC", "Noto Sans TC"
THAI, BENGALI = "Noto Sans Thai", "Noto Sans Bengali"

# family → its fontsource package (a folder of PDF_FONTS_DIR).
PACKAGES = {
    LATIN: "noto-sans",
    JP: "noto-sans-jp",
    KR: "noto-sans-kr",
    SC: "noto-sans-sc",
    TC: "noto-sans-tc",
    THAI: "noto-sans-thai",
    BENGALI: "noto-sans-bengali",
}

# Han characters take the shapes of their language; the order of the CJK families is all that
# differs between the stacks. Latin comes first so that the layout does not depend on the CJK
# family's own Latin.
_REST = (THAI, BENGALI)  # before the CJK families, whose slices claim a few Thai letters
STACKS = {
    "": (LATIN, *_REST, JP, KR, SC, TC),
    "ja": (LATIN, *_REST, JP, KR, SC, TC),
    "ko": (LATIN, *_REST, KR, JP, SC, TC),
    "zh-hans": (LATIN, *_REST, SC, TC, JP, KR),
    "zh-hant": (LATIN, *_REST, TC, SC, JP, KR),
}
# lang attribute values (lower case) → stack key; a bare "zh" and mainland/Singapore tags are
# Simplified, Taiwan/Hong Kong/Macau Traditional.
_LANG_STACK = {
    "ja": "ja",
    "ko": "ko",
    "zh": "zh-hans",
    "zh-hans": "zh-hans",
    "zh-cn": "zh-hans",
    "zh-sg": "zh-hans",
    "zh-hant": "zh-hant",
    "zh-tw": "zh-hant",
    "zh-hk": "zh-hant",
    "zh-mo": "zh-hant",
}
# The selectors of each stack, for the stylesheet (later rules win at equal specificity).
_SELECTORS = {
    "ja": ":lang(ja)",
    "ko": ":lang(ko)",
    "zh-hans": ":lang(zh)",
    "zh-hant": ":lang(zh-hant), :lang(zh-tw), :lang(zh-hk), :lang(zh-mo)",
}
# System families named after ours: a machine (the Docker image) may have them.
SYSTEM_FALLBACK = (
    '"Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", "Noto Sans CJK TC", '
    '"Noto Sans Thai", "Noto Sans Devanagari", "Noto Sans Bengali", "DejaVu Sans", sans-serif'
)
# Characters the stylesheets print themselves (page numbers, " / ", dashes, quotes).
BASELINE = "".join(map(chr, [*range(0x20, 0x7F), 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D]))

_FACE_RE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}", re.S)
_DESCRIPTOR_RE = re.compile(r"(?P<name>[\w-]+)\s*:\s*(?P<value>[^;]+);")
_WOFF_RE = re.compile(r"url\((?P<url>[^)]+\.woff)\)")
_RANGE_RE = re.compile(r"U\+([0-9A-F?]+)(?:-([0-9A-F]+))?", re.IGNORECASE)
# family → the language subset its package ships in one file (files/<package>-<subset>-…woff).
LANGUAGE_SUBSETS = {
    JP: "japanese",
    KR: "korean",
    SC: "chinese-simplified",
    TC: "chinese-traditional",
}


@dataclass(frozen=True)
class FontFace:
    family: str
    slice: str  # fontsource's name of the slice: "noto-sans-jp-17", "noto-sans-latin-ext"
    weight: int
    path: str  # relative to PDF_FONTS_DIR: "noto-sans-jp/files/noto-sans-jp-0-400-normal.woff"
    ranges: tuple[tuple[int, int], ...]
    unicode_range: str  # as written in the package's stylesheet; "" for a language subset
    # A language subset (LANGUAGE_SUBSETS): its ranges are the characters it has, and it
    # takes each of them before any slice does.
    primary: bool = False

    @property
    def name(self) -> str:
        """The font-family the slice is loaded as: one of its own, as WeasyPrint tells the fonts
        of a PDF apart by their family, weight and style only (slices of one family sharing a
        name would have their glyphs mixed up)."""
        return f"{self.family} {self.slice.removeprefix(PACKAGES[self.family]).strip('-')}".strip()

    def covers(self, code: int) -> bool:
        return any(start <= code <= end for start, end in self.ranges)


def fonts_dir() -> Path:
    return Path(settings.PDF_FONTS_DIR)


def missing_font_packages() -> list[str]:
    """The npm packages of PACKAGES that are not installed, e.g. ["@fontsource/noto-sans-jp"]."""
    root = fonts_dir()
    return [
        f"@fontsource/{package}"
        for package in PACKAGES.values()
        if not all((root / package / f"{weight}.css").is_file() for weight in WEIGHTS)
    ]


def _faces(root: str) -> dict[str, tuple[FontFace, ...]]:
    """Every normal-style face of PACKAGES in WEIGHTS, by family, read from fontsource's CSS."""
    return {family: _family_faces(root, family) for family in PACKAGES}


@cache
def _family_faces(root: str, family: str) -> tuple[FontFace, ...]:
    """The normal-style faces of one family in WEIGHTS. Read when a document first needs the
    family: a worker's first PDF reads only the families of its characters (issue 14)."""
    package = PACKAGES[family]
    faces = []
    for weight in WEIGHTS:
        stylesheet = Path(root) / package / f"{weight}.css"
        if not stylesheet.is_file():
            continue
        for match in _FACE_RE.finditer(stylesheet.read_text(encoding="utf-8")):
            descriptors = {
                d["name"]: d["value"].strip() for d in _DESCRIPTOR_RE.finditer(match["body"])
            }
            url = _WOFF_RE.search(descriptors.get("src", ""))
            unicode_range = descriptors.get("unicode-range", "")
            if descriptors.get("font-style", "normal") != "normal" or not url:
                continue
            file = url["url"].removeprefix("./")
            faces.append(
                FontFace(
                    family=family,
                    slice=Path(file).name.removesuffix(f"-{weight}-normal.woff"),
                    weight=weight,
                    path=f"{package}/{file}",
                    ranges=_parse_ranges(unicode_range),
                    unicode_range=unicode_range,
                )
            )
        subset = LANGUAGE_SUBSETS.get(family)
        file = f"files/{package}-{subset}-{weight}-normal.woff"
        if subset and (Path(root) / package / file).is_file():
            faces.append(
                FontFace(
                    family=family,
                    slice=f"{package}-{subset}",
                    weight=weight,
                    path=f"{package}/{file}",
                    ranges=_cmap_ranges(Path(root) / package / file),
                    unicode_range="",
                    primary=True,
                )
            )
    return tuple(faces)


_CMAP_RANGES: dict[tuple[int, int], tuple[tuple[int, int], ...]] = {}


def _cmap_ranges(path: Path) -> tuple[tuple[int, int], ...]:
    """The characters a WOFF font has, as ranges, read from its Unicode character map
    (format 4 or 12, what fontsource's files have; fontTools reads any other, five times
    slower). Kept by the map's length and checksum in the file's table directory: the weights
    of a subset share one map, read once per process, and a file whose map is known is read
    no further than its directory."""
    with path.open("rb") as file:
        head = file.read(44)
        head += file.read(20 * int.from_bytes(head[12:14], "big"))
        try:
            entries = woff_directory(head)
        except ValueError:
            entries = []
        cmap = next((entry for entry in entries if entry[0] == b"cmap"), None)
        if cmap is None:
            return _joined(_fonttools_codes(path))
        key = (cmap[3], cmap[4])
        if key not in _CMAP_RANGES:
            file.seek(cmap[1])
            table = woff_table(cmap, file.read(cmap[2]))
            _CMAP_RANGES[key] = _joined(_cmap_codes(table) or _fonttools_codes(path))
    return _CMAP_RANGES[key]


def _cmap_codes(table: bytes) -> list[tuple[int, int]]:
    """The (first, last) runs of characters of a `cmap` table's Unicode subtable: format 12
    (every plane) if it has one, else format 4 (the Basic Multilingual Plane); [] if it has
    neither. A format 4 run maps to glyphs by a delta (every character of it has a glyph) or
    through the glyph array (those whose glyph is not 0)."""
    subtables = {}
    for index in range(struct.unpack_from(">H", table, 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * index)
        subtables[struct.unpack_from(">H", table, offset)[0], platform, encoding] = offset
    for key in ((12, 3, 10), (12, 0, 4), (12, 0, 6)):
        if key in subtables:
            offset = subtables[key]
            groups = struct.unpack_from(">I", table, offset + 12)[0]
            return [
                (first + (glyph == 0), last)  # a group's glyph 0 is no glyph
                for first, last, glyph in struct.iter_unpack(
                    ">III", table[offset + 16 : offset + 16 + 12 * groups]
                )
                if glyph or first < last
            ]
    offset = subtables.get((4, 3, 1), subtables.get((4, 0, 3)))
    if offset is None:
        return []
    segments = struct.unpack_from(">H", table, offset + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", table, offset + 14)
    starts = struct.unpack_from(f">{segments}H", table, offset + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}H", table, offset + 16 + 4 * segments)
    at = offset + 16 + 6 * segments  # idRangeOffset[0]
    range_offsets = struct.unpack_from(f">{segments}H", table, at)
    runs = []
    for i, (first, last, delta, range_offset) in enumerate(
        zip(starts, ends, deltas, range_offsets, strict=True)
    ):
        if first == 0xFFFF:
            continue
        if range_offset == 0:
            hole = -delta & 0xFFFF  # the one character the delta would send to glyph 0
            if first <= hole <= last:
                parts = ((first, hole - 1), (hole + 1, last))
                runs.extend(part for part in parts if part[0] <= part[1])
            else:
                runs.append((first, last))
            continue
        glyphs = struct.unpack_from(f">{last - first + 1}H", table, at + 2 * i + range_offset)
        codes = range(first, last + 1)
        runs.extend((code, code) for code, glyph in zip(codes, glyphs, strict=True) if glyph)
    return runs


def _fonttools_codes(path: Path) -> list[tuple[int, int]]:
    from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

    return [(code, code) for code in TTFont(path, lazy=True).getBestCmap()]


def _joined(runs: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Runs of characters as sorted ranges, adjacent and overlapping ones joined."""
    ranges: list[tuple[int, int]] = []
    for first, last in sorted(runs):
        if ranges and first <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], max(last, ranges[-1][1]))
        else:
            ranges.append((first, last))
    return tuple(ranges)


@cache
def _parse_ranges(unicode_range: str) -> tuple[tuple[int, int], ...]:
    """`U+0-FF, U+131, U+4??` as ((0, 255), (305, 305), (1024, 1279)). Kept by the text: the
    slices of both weights share theirs."""
    ranges = []
    for start, end in _RANGE_RE.findall(unicode_range):
        if "?" in start:
            ranges.append((int(start.replace("?", "0"), 16), int(start.replace("?", "F"), 16)))
        else:
            ranges.append((int(start, 16), int(end or start, 16)))
    return tuple(ranges)


def _stack_key(lang: str) -> str:
    lang = lang.strip().lower().replace("_", "-")
    while lang:
        if lang in _LANG_STACK:
            return _LANG_STACK[lang]
        lang = lang.rpartition("-")[0]
    return ""


def _stack(key: str, latin: str) -> tuple[str, ...]:
    """The families of stack `key`, with `latin` first."""
    return (latin, *(family for family in STACKS[key] if family != latin))


def characters_by_stack(html: str, language: str) -> dict[str, set[int]]:
    """The code points of `html`'s text grouped by the stack of their element's language
    (`lang` attributes, inherited; `language` for the document)."""
    groups: dict[str, set[int]] = {}
    root = lxml.html.document_fromstring(html)

    def walk(element, key: str) -> None:
        if not isinstance(element.tag, str):
            return
        if element.get("lang"):
            key = _stack_key(element.get("lang"))
        if element.text:
            groups.setdefault(key, set()).update(map(ord, element.text))
        for child in element:
            walk(child, key)
            if child.tail:
                groups.setdefault(key, set()).update(map(ord, child.tail))

    walk(root, _stack_key(language))
    groups.setdefault(_stack_key(language), set()).update(map(ord, BASELINE))
    return groups


@cache
def _coverage(root: str, family: str) -> "_Coverage":
    """Which faces of `family` cover a code point: every slice whose range has it (a slice's
    range can be wider than its glyphs, so none is left out)."""
    return _Coverage(_family_faces(root, family))


class _Coverage:
    """The slices of one family, asked code point by code point. Each slice's ranges are
    searched by bisection (rather than every code point of every range expanded into a table:
    seconds and a hundred MiB for the CJK families), and each answer is kept. A character the
    family's language subset has is answered with that subset alone."""

    def __init__(self, faces: tuple["FontFace", ...]):
        self._faces = [
            (face, [start for start, _end in ranges], [end for _start, end in ranges])
            for face in faces
            for ranges in [sorted(face.ranges)]
        ]
        self._known: dict[int, tuple[FontFace, ...]] = {}

    def get(self, code: int, default=()) -> tuple["FontFace", ...]:
        found = self._known.get(code)
        if found is None:
            found = tuple(
                face
                for face, starts, ends in self._faces
                if (i := bisect_right(starts, code) - 1) >= 0 and code <= ends[i]
            )
            if any(face.primary for face in found):
                found = tuple(face for face in found if face.primary)
            self._known[code] = found
        return found or default

    def __contains__(self, code: int) -> bool:
        return bool(self.get(code))

    def __getitem__(self, code: int) -> tuple["FontFace", ...]:
        found = self.get(code)
        if not found:
            raise KeyError(code)
        return found


def faces_for(html: str, language: str, *, latin: str = LATIN) -> list[FontFace]:
    """The faces (both weights) that `html` needs: for each character, those of the first
    family of its stack (with `latin` first) that covers it. A character no family covers
    needs none."""
    root = str(fonts_dir())
    latin_coverage = _coverage(root, LATIN)
    chosen: dict[str, FontFace] = {}
    for key, codes in characters_by_stack(html, language).items():
        stack = _stack(key, latin)
        for code in codes:
            if code < 0x20:
                continue
            for family in stack:  # a family is read only when the ones before it fall short
                covered = _coverage(root, family)
                if code in covered:
                    chosen.update((face.path, face) for face in covered[code])
                    break
            # A slice's range can promise more than its glyphs (Noto Sans JP's Latin lacks
            # some of Latin Extended): Noto Sans, small, stands behind the Latin it covers.
            chosen.update((face.path, face) for face in latin_coverage.get(code, ()))
    return sorted(chosen.values(), key=lambda face: face.path)


def _family_list(families: Iterable[str], faces: list[FontFace]) -> str:
    """The loaded slices of `families`, in that order (a family's language subset before its
    slices), then the system's families."""
    names = []
    faces = sorted(faces, key=lambda face: not face.primary)
    for family in families:
        for face in faces:
            if face.family == family and face.name not in names:
                names.append(face.name)
    return "".join(f'"{name}", ' for name in names) + SYSTEM_FALLBACK


def font_stylesheet(html: str, language: str, *, latin: str = LATIN) -> str:
    """The @font-face rules `html` needs and the font stacks of the document and of each
    language, as one stylesheet. The rules give no unicode-range: fontconfig then knows each
    slice by the glyphs it really has, and falls back along the stack for the others."""
    faces = faces_for(html, language, latin=latin)
    rules = [
        "@font-face {"
        f' font-family: "{face.name}"; font-style: normal; font-weight: {face.weight};'
        f' src: url("{FONT_URL}{face.path}") format("woff"); }}'
        for face in faces
    ]
    document_stack = _stack(_stack_key(language), latin)
    rules.append(f"html {{ font-family: {_family_list(document_stack, faces)}; }}")
    rules.extend(
        f"{selector} {{ font-family: {_family_list(_stack(key, latin), faces)}; }}"
        for key, selector in _SELECTORS.items()
    )
    return "\n".join(rules)


def write_pdf(html: str, *, language: str, css: str = "", latin: str = LATIN) -> bytes:
    """`html` printed by WeasyPrint with the project's fonts and safe URL fetcher.

    `css` is an extra stylesheet of the caller's (ticket colours), built from checked values.
    `latin` is the family of Latin text: Noto Sans, or Noto Sans JP (its Latin is narrower,
    and the programme book's layout was made with it).
    The fonts' stylesheet is a user stylesheet: the templates' own stylesheets name no font
    family, so its stacks apply.
    """
    base_url = settings.SITE_URL.rstrip("/") + "/"
    fonts = font_stylesheet(html, language, latin=latin)
    with collector_paused():
        font_config = FontConfiguration()
        fetcher = SafeURLFetcher()
        stylesheets = [
            CSS(string=fonts, font_config=font_config, url_fetcher=fetcher, base_url=base_url)
        ]
        if css:
            stylesheets.append(CSS(string=css, font_config=font_config))
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=stylesheets, font_config=font_config)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while WeasyPrint lays out and writes a document.

    A render makes hundreds of thousands of objects (styles, boxes, lines) that live until the
    PDF is written, and the collector, run every 700 allocations, went through them again and
    again, and through the whole process (Django, Wagtail) at each full collection: a tenth to
    a sixth of a book's time (issue 14). The render leaves next to no cyclic garbage (its peak
    memory is the same with the collector off), and what it leaves goes at the next automatic
    collection once the collector is on again. It is turned back on only if it was on: another
    thread's render may have turned it off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
