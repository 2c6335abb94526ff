"""The printed programme book: a release's snapshot as an A4 PDF.

A cover, the timetable day by day, the description of every session and an index of speakers
with the day, time and room of each of their sessions (a link; no page numbers, whose
target-counter() made WeasyPrint lay the book out again). WeasyPrint renders the template
through the core's documents module (forum.documents.fonts.write_pdf and its safe URL fetcher),
so the only resources it can load are the site's own static and media files and the PDF fonts.
"""

import re
import zoneinfo
from collections import defaultdict
from datetime import date, datetime
from html import escape
from itertools import groupby
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info
from django_countries import countries
from wagtail.rich_text import expand_db_html

from forum.documents.fonts import JP, write_pdf
from sessions_app.enums import SessionKind, SessionStatus, SpeakerRole
from sessions_app.exporters import register

TEMPLATE = "sessions_app/pdf/programme.html"

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
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Wagtail's database form of an image or media embed (the same pattern as Wagtail's rewriter):
# removed before expansion, so that printing an abstract never makes an image rendition.
EMBED_RE = re.compile(r"""<embed(\b(?:[^"'>]|"[^"]*"|'[^']*')*)/>""")


@register("programme.pdf", "application/pdf")
def render_programme_pdf(snapshot: dict, *, base_url: str, language: str, **filters) -> bytes:
    """The whole programme of the snapshot as a PDF, in `language`, times in the edition's zone.

    `filters` are accepted for the exporters' common signature; the printed book always
    holds the whole programme.
    """
    tz = zoneinfo.ZoneInfo(snapshot["edition"]["time_zone"])
    with translation.override(language), timezone.override(tz):
        html = render_to_string(TEMPLATE, programme_context(snapshot, base_url=base_url))
        # Latin in Noto Sans JP's shapes, as the book's layout (and its page count) was made.
        return write_pdf(html, language=language, latin=JP)


def programme_context(snapshot: dict, *, base_url: str) -> dict:
    """What the template shows, built from the snapshot alone (labels in the active language)."""
    edition = snapshot["edition"]
    rooms = {room["id"]: room for room in snapshot["rooms"]}
    tracks = {track["id"]: track for track in snapshot["tracks"]}
    room_order = {room["id"]: index for index, room in enumerate(snapshot["rooms"])}
    speakers = {speaker["id"]: speaker for speaker in snapshot["speakers"]}

    sessions = []
    for row in snapshot["sessions"]:
        start = datetime.fromisoformat(row["start"])
        sessions.append(
            {
                "id": row["id"],
                "anchor": f"session-{row['id']}",
                "title": row["title"],
                "fallback": row.get("fallback", []),
                "start": start,
                "end": datetime.fromisoformat(row["end"]),
                "day": start.date(),
                "room": rooms.get(row["room_id"]),
                "track": tracks.get(row["track_id"]),
                "kind": _label(SessionKind, row["kind"]),
                "is_break": row["kind"] == SessionKind.BREAK,
                "is_cancelled": row["status"] == SessionStatus.CANCELLED,
                "language": _language_name(row["language"]),
                "interpretation": [_language_name(code) for code in row["interpretation"]],
                "abstract": clean_rich_text(row["abstract"], base_url=base_url),
                "meeting_point": row.get("meeting_point", ""),
                "transport_notes": row.get("transport_notes", ""),
                "speakers": [
                    {"speaker": speakers[link["id"]], "role": _label(SpeakerRole, link["role"])}
                    for link in row["speakers"]
                    if link["id"] in speakers
                ],
                "order": (start, room_order.get(row["room_id"], 0), row["title"]),
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
            appearances[link["speaker"]["id"]].append({"session": session, "role": link["role"]})
    index = [
        {
            "speaker": speaker,
            "country": countries.name(speaker["country"]) if speaker["country"] else "",
            "appearances": appearances[speaker["id"]],
        }
        for speaker in snapshot["speakers"]
        if appearances[speaker["id"]]
    ]

    release = snapshot.get("release") or {}
    return {
        "edition": edition,
        "start_date": date.fromisoformat(edition["start_date"]) if edition["start_date"] else None,
        "end_date": date.fromisoformat(edition["end_date"]) if edition["end_date"] else None,
        "country": countries.name(edition["country"]) if edition["country"] else "",
        "release": release,
        "published_at": (
            datetime.fromisoformat(release["published_at"]) if release.get("published_at") else None
        ),
        "days": days,
        "described_days": [
            {"date": day["date"], "sessions": [s for s in day["sessions"] if not s["is_break"]]}
            for day in days
            if any(not s["is_break"] for s in day["sessions"])
        ],
        "index": index,
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
