"""The printed programme book: a release's typed snapshot as an A4 PDF.

A cover, the timetable day by day, the description of every session and an index of speakers
with the day, time and room of each of their sessions (a link; no page numbers, whose
target-counter() made WeasyPrint lay the book out again). WeasyPrint renders the template
through the core's documents module (forum.documents.fonts.write_pdf and its safe URL fetcher),
so the only resources it can load are the site's own static and media files and the PDF fonts.

WeasyPrint's time goes on every element (styled, turned into boxes, laid out, drawn) and every
run of text in a line, so the document keeps few of them (issue 14): the timetable is one block
per session, not a table; a session's description is three or four blocks; the language most
sessions are given in is said once; a cancelled session prints no abstract; a native name gets
an element of its own (its `lang`) only where its Han characters need it. bench/book_profile.py
shows where the time goes.
"""

import re
import zoneinfo
from collections import Counter, defaultdict
from datetime import date, datetime
from html import escape
from itertools import groupby
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django_countries import countries
from wagtail.rich_text import expand_db_html

from forum.content_language import SOURCE_LANGUAGE
from forum.documents.fonts import JP, collector_paused, write_pdf
from forum.languages import language_name
from sessions_app.enums import SessionKind, SessionStatus, SpeakerRole
from sessions_app.exporters import register
from sessions_app.snapshot import Snapshot, SnapshotRoom, SnapshotTrack

TEMPLATE = "sessions_app/pdf/programme.html"
# Latin in Noto Sans JP's shapes, as the book's layout (and its page count) was made.
LATIN_FAMILY = JP

# Rich text keeps paragraphs, emphasis, lists and links; every other tag is unwrapped (its text
# kept), except those whose content is never prose, which go with their content.
ALLOWED_TAGS = frozenset({"p", "b", "i", "strong", "em", "ul", "ol", "li", "a"})
BLOCK_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "pre"})
DROPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "noscript",
        "textarea",
        "select",
    }
)
# Han characters and CJK punctuation: their glyphs differ by language.
HAN_RE = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3190-\u319f\u31c0-\u31ef\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
)
INDENT_RE = re.compile(r"[ \t]*\n\s*<")
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Wagtail's database form of an image or media embed (the same pattern as Wagtail's rewriter):
# removed before expansion, so that printing an abstract never makes an image rendition.
EMBED_RE = re.compile(r"""<embed(\b(?:[^"'>]|"[^"]*"|'[^']*')*)/>""")


@register("programme.pdf", "application/pdf")
def render_programme_pdf(snapshot: Snapshot, *, base_url: str, language: str, **filters) -> bytes:
    """The whole programme of the snapshot as a PDF, in `language`, times in the edition's zone.

    `snapshot` is the typed snapshot read in `language` (the exporters' `register` reads a
    release's JSON into one). `filters` are accepted for the exporters' common signature; the
    printed book always holds the whole programme.
    """
    tz = zoneinfo.ZoneInfo(snapshot.edition.time_zone)
    # The collector off for the template too (a tenth of a second of its time, issue 14).
    with translation.override(language), timezone.override(tz), collector_paused():
        html = programme_html(snapshot, base_url=base_url)
        return write_pdf(html, language=language, latin=LATIN_FAMILY)


def programme_html(snapshot: Snapshot, *, base_url: str) -> str:
    """The book's HTML in the active language and time zone. The template's indentation is a
    third of its size, and parsing it a few % of the render: white space that holds a line
    break becomes one line break (the same collapsed space)."""
    html = render_to_string(TEMPLATE, programme_context(snapshot, base_url=base_url))
    return INDENT_RE.sub("\n<", html)


def programme_context(snapshot: Snapshot, *, base_url: str) -> dict:
    """What the template shows, built from the snapshot alone (labels in the active language)."""
    edition = snapshot.edition
    rooms: dict[int | None, SnapshotRoom] = {room.id: room for room in snapshot.rooms}
    tracks: dict[int | None, SnapshotTrack] = {track.id: track for track in snapshot.tracks}
    room_order: dict[int | None, int] = {room.id: i for i, room in enumerate(snapshot.rooms)}
    speakers = {speaker.id: speaker for speaker in snapshot.speakers}
    native_langs = {speaker.id: _native_langs(speaker) for speaker in snapshot.speakers}

    sessions: list[dict[str, Any]] = []
    for row in snapshot.sessions:
        start = row.start_at
        abstract = clean_rich_text(row.abstract, base_url=base_url)
        sessions.append(
            {
                "id": row.id,
                "anchor": f"session-{row.id}",
                "title": row.title,
                "fallback": row.fallback,
                "title_in_source": "title" in row.fallback,
                "title_lang": _source_lang("title" in row.fallback, row.title),
                "start": start,
                "end": row.end_at,
                "day": start.date(),
                "room": rooms.get(row.room_id),
                "track": tracks.get(row.track_id),
                "kind": _label(SessionKind, row.kind),
                "is_break": row.kind == SessionKind.BREAK,
                "is_cancelled": row.status == SessionStatus.CANCELLED,
                "language": _language_name(row.language),
                "interpretation": [_language_name(code) for code in row.interpretation],
                "abstract": abstract,
                "abstract_inline": _single_paragraph(abstract),
                "meeting_point": row.meeting_point,
                "transport_notes": row.transport_notes,
                "speakers": [
                    {
                        "speaker": speakers[link.id],
                        "role": _label(SpeakerRole, link.role),
                        **native_langs[link.id],
                    }
                    for link in row.speakers
                    if link.id in speakers
                ],
                "order": (start, room_order.get(row.room_id, 0), row.title),
            }
        )
    sessions.sort(key=lambda session: session["order"])
    days = [
        {"date": day, "sessions": list(group)}
        for day, group in groupby(sessions, key=lambda session: session["day"])
    ]

    appearances = defaultdict(list)
    for session in sessions:
        for link in session["speakers"]:
            appearances[link["speaker"].id].append({"session": session, "role": link["role"]})
    index = [
        {
            "speaker": speaker,
            "country": countries.name(speaker.country) if speaker.country else "",
            "appearances": appearances[speaker.id],
            **native_langs[speaker.id],
        }
        for speaker in snapshot.speakers
        if appearances[speaker.id]
    ]

    # The language most sessions are given in is said once, at the head of the descriptions;
    # a session gives its language only when it differs.
    spoken = Counter(s["language"] for s in sessions if not s["is_break"] and s["language"])
    release = snapshot.release
    return {
        "edition": edition,
        "start_date": date.fromisoformat(edition.start_date) if edition.start_date else None,
        "end_date": date.fromisoformat(edition.end_date) if edition.end_date else None,
        "country": countries.name(edition.country) if edition.country else "",
        "release": release if release.number or release.title else None,
        "published_at": (
            datetime.fromisoformat(release.published_at) if release.published_at else None
        ),
        "days": days,
        "described_days": [
            {"date": day["date"], "sessions": [s for s in day["sessions"] if not s["is_break"]]}
            for day in days
            if any(not s["is_break"] for s in day["sessions"])
        ],
        "index": index,
        "main_language": spoken.most_common(1)[0][0] if spoken else "",
        # A title shown in the source language for want of a translation says so, as text
        # after it (content_i18n's source_note tag makes an element more of it, 300 in a
        # book read in a language the organizers did not translate into); the title itself
        # gets an element of its own only where its language matters (_source_lang).
        "source_note": _("(in %(language)s)") % {"language": language_name(SOURCE_LANGUAGE)},
    }


def clean_rich_text(html: str, *, base_url: str) -> SafeString:
    """Wagtail rich text reduced to an allow-list: p, b, i, strong, em, ul, ol, li and links
    to http(s) or mailto (relative links made absolute against `base_url`). Every text node
    is escaped and every attribute but a link's href dropped."""
    if not html or not html.strip():
        return mark_safe("")
    expanded = expand_db_html(EMBED_RE.sub("", html))
    if not expanded.strip():
        return mark_safe("")
    root = lxml.html.fragment_fromstring(expanded, create_parent="div")
    parts: list[str] = []
    _write_children(root, parts, base_url)
    # Built only from allow-listed tags, escaped text and escaped, checked hrefs.
    return mark_safe("".join(parts))  # noqa: S308


def _write_children(element, parts: list[str], base_url: str) -> None:
    if element.text:
        parts.append(escape(element.text, quote=False))
    for child in element:
        _write_element(child, parts, base_url)
        if child.tail:
            parts.append(escape(child.tail, quote=False))


def _write_element(element, parts: list[str], base_url: str) -> None:
    if not isinstance(element.tag, str):
        return  # comments and processing instructions (their tail is the parent's)
    tag = element.tag.lower()
    if tag in DROPPED_TAGS:
        return
    if tag == "br":
        parts.append(" ")
        return
    if tag in BLOCK_TAGS:
        tag = "p"
    if tag not in ALLOWED_TAGS:
        _write_children(element, parts, base_url)
        return
    attributes = ""
    if tag == "a":
        href = _safe_href(element.get("href"), base_url)
        if href is None:
            _write_children(element, parts, base_url)
            return
        attributes = f' href="{escape(href, quote=True)}"'
    parts.append(f"<{tag}{attributes}>")
    _write_children(element, parts, base_url)
    parts.append(f"</{tag}>")


def _safe_href(href: str | None, base_url: str) -> str | None:
    """An absolute http(s) or mailto URL, or None for anything else (javascript:, data:, …)."""
    href = "".join(ch for ch in (href or "") if ch > " ").strip()
    if not href or href.startswith("#"):
        return None
    if href.startswith("/") and not href.startswith("//"):
        href = urljoin(base_url, href)
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return href


def _native_langs(speaker) -> dict:
    """The `lang` a speaker's native name and organization are printed with: their language
    where the text has Han characters (whose shapes differ between Japanese, Korean and
    Chinese, forum.documents.fonts), none otherwise: a name in Hangul, Thai or Devanagari
    takes the same font in any language, and an element of its own is one more box to style,
    lay out and draw, 800 of them in a large book (issue 14)."""
    lang = speaker.native_language

    def needs(text: str) -> str:
        return lang if lang and HAN_RE.search(text or "") else ""

    return {
        "name_lang": needs(speaker.name_native),
        "organization_lang": needs(speaker.organization_native),
    }


def _source_lang(in_source: bool, text: str) -> str:
    """The `lang` a title shown in the source language for want of a translation is printed
    with: the source language where it has Han characters (whose shapes depend on it), none
    otherwise. The element it would take is a box of its own, styled, laid out and drawn: 300
    of them cost a Japanese book of English titles a tenth of its time (issue 14), for no
    difference on the page, as a PDF carries no language by element."""
    return SOURCE_LANGUAGE if in_source and HAN_RE.search(text or "") else ""


def _single_paragraph(html: SafeString) -> SafeString:
    """The content of a cleaned abstract that is one paragraph and nothing else (printed in a
    paragraph of the book's own: one box less per session), or "" when it is more."""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        inner = html[3:-4]
        if "<ul>" not in inner and "<ol>" not in inner:
            # A slice of the cleaned abstract between its own <p> and </p>.
            return mark_safe(inner)  # noqa: S308
    return mark_safe("")


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
