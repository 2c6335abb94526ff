from html import escape as html_escape

import nh3
from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl
from wagtail.images import get_image_model
from wagtail.templatetags.wagtailcore_tags import richtext

from cms.templatetags.content_i18n import source_lang, source_note, translated

register = template.Library()


@register.simple_tag
def speaker_photo(photo_id):
    """The speaker's photo (a Wagtail image kept by id in the snapshot), or None if deleted."""
    if not photo_id:
        return None
    return get_image_model().objects.filter(pk=photo_id).first()


# Links drawn from stored text are checked when the page is drawn, not only when a form saved
# them: a row written another way (an import, a script, the database) must not become a live
# `javascript:` link.
LINK_SCHEMES = {"http", "https", "mailto"}
RICHTEXT_TAGS = {"p", "br", "b", "strong", "i", "em", "ol", "ul", "li", "a", "h2", "h3", "h4"}


@register.filter
def safe_url(value) -> str:
    """`value` if it is an http(s) or mailto address or a path on this site, else ""."""
    url = str(value or "").strip()
    if not url or any(ord(char) < 32 for char in url):
        return ""
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    scheme, colon, _rest = url.partition(":")
    if colon and scheme.lower() in LINK_SCHEMES:
        return url
    return ""


@register.filter
def safe_richtext(value) -> SafeString:
    """Wagtail's `richtext`, then cleaned with an allow-list: only the tags the editor offers
    and links to http(s), mailto or this site."""
    html = str(richtext(value or ""))
    cleaned = nh3.clean(
        html,
        tags=RICHTEXT_TAGS,
        attributes={"a": {"href"}},
        url_schemes=LINK_SCHEMES,
        link_rel="noopener",
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3's allow-list just above


# --- The session card, drawn in one pass --------------------------------------------------
# The programme page shows each session twice (the grid and the list for phones): 600 cards at
# 300 sessions. Drawn through an included template each they took most of the page's second;
# here each card is built once per page with format_html (every value escaped) and reused.

_SLUG = "0--slug--0"
DASH = "\u2013"


def _e(value) -> str:
    """Escaped for HTML text and attribute values (as Django's escape, faster in a loop)."""
    return html_escape(str(value), quote=True)


def _subpage_base(context, name: str) -> tuple[str, str]:
    """The address of a page route with a slug, split around the slug (reversed once)."""
    cache = context.render_context.setdefault("programme_routes", {})
    if name not in cache:
        page = context["page"]
        url = routablepageurl(context, page, name, _SLUG)
        cache[name] = tuple(url.split(_SLUG, 1))
    return cache[name]


def _star_form(context, session) -> str:
    request = context["request"]
    page = context["page"]
    cache = context.render_context.setdefault("programme_star", {})
    if "action" not in cache:
        cache["action"] = routablepageurl(context, page, "programme_star")
        cache["csrf"] = get_token(request)
        cache["next"] = request.get_full_path()
    title = session.data.title
    if session.data.guid in context["agenda"]:
        action, pressed = "remove", "true"
        label = _("Remove “%(title)s” from my programme") % {"title": title}
        text = "★ " + _("In my programme")
    else:
        action, pressed = "add", "false"
        label = _("Add “%(title)s” to my programme") % {"title": title}
        text = "☆ " + _("Add to my programme")
    return format_html(
        '<form class="star-form" method="post" action="{}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="session" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<input type="hidden" name="action" value="{}">'
        '<button type="submit" aria-pressed="{}" aria-label="{}">{}</button></form>',
        cache["action"],
        cache["csrf"],
        session.data.guid,
        cache["next"],
        action,
        pressed,
        label,
        text,
    )


def _card_facts(context, session, track, cancelled: bool) -> str:
    """The facts of a card after its times (room, type, track, the cancelled badge): the same
    for every session of a room, type and track, so drawn once per page for each."""
    facts = context.render_context.setdefault("programme_card_facts", {})
    key = (session.room.id, session.data.kind, track.id if track else None, cancelled)
    if key not in facts:
        text = f" · {translated(session.room, 'name')} · {_e(session.kind_label)}"
        if track:
            text += f" · {translated(track, 'name')}"
        if cancelled:
            text += f' <strong class="badge badge--cancelled">{_e(_("Cancelled"))}</strong>'
        facts[key] = text
    return facts[key]


def _card_classes(context, kind: str, track, cancelled: bool) -> str:
    classes = context.render_context.setdefault("programme_card_classes", {})
    key = (kind, track.slug if track else None, cancelled)
    if key not in classes:
        value = f"session-card session-card--{_e(kind)}"
        if track:
            value += f" track-{_e(track.slug)}"
        if cancelled:
            value += " is-cancelled"
        classes[key] = value
    return classes[key]


@register.simple_tag(takes_context=True)
def session_card(context, session) -> SafeString:
    """A session's card (title linked to its page, time, room, kind, track, speakers, and for
    a logged-in visitor the star button), the same HTML wherever it appears on the page."""
    cards = context.render_context.setdefault("programme_cards", {})
    key = session.data.guid
    if key in cards:
        return cards[key]
    before, after = _subpage_base(context, "programme_session")
    data = session.data
    track = session.track
    cancelled = session.is_cancelled
    start, end = session.start, session.end
    meta = (
        f'<time datetime="{start.isoformat()}">{start:%H:%M}</time>{DASH}'
        f'<time datetime="{end.isoformat()}">{end:%H:%M}</time>'
        f"{_card_facts(context, session, track, cancelled)}"
    )
    classes = _card_classes(context, data.kind, track, cancelled)
    star = ""
    if context.get("agenda") is not None and not cancelled:
        star = _star_form(context, session)
    speakers = ""
    if session.speakers:
        names = [
            f'{_e(speaker.name)} <span lang="{_e(speaker.native_language or "und")}">'
            f"{_e(speaker.name_native)}</span>"
            if speaker.name_native
            else _e(speaker.name)
            for speaker, _role in session.speakers
        ]
        speakers = f'<p class="session-card__speakers">{", ".join(names)}</p>'
    card = mark_safe(  # noqa: S308 — every value escaped above
        f'<article class="{classes}"><h3 class="session-card__title">'
        f'<a href="{before}{_e(data.slug)}{after}">{translated(data, "title")}'
        f"{source_note(data, 'title', hidden=True)}</a></h3>"
        f'<p class="session-card__meta">{meta}</p>{star}{speakers}</article>'
    )
    cards[key] = card
    return card


@register.simple_tag(takes_context=True)
def day_grid(context, day) -> SafeString:
    """The cells of a day's grid: room names, time labels, and each session's card placed."""
    parts = [
        f'<div class="programme-grid__room pg-r1 {grid_room.css_class}" aria-hidden="true"'
        f"{source_lang(grid_room.room, 'name')}>{_e(grid_room.room.name)}</div>"
        for grid_room in day.rooms
    ]
    for label in day.labels:
        hour = " programme-grid__time--hour" if label.time.minute == 0 else ""
        clock = f"{label.time:%H:%M}"
        parts.append(
            f'<div class="programme-grid__time {label.css_class}{hour}" aria-hidden="true" '
            f'data-time="{clock}">{clock}</div>'
        )
    for placement in day.placements:
        parts.append(
            f'<div class="programme-grid__session {placement.css_class}" '
            f'data-session="{_e(placement.session.data.slug)}">'
            f"{session_card(context, placement.session)}</div>"
        )
    return mark_safe("".join(parts))  # noqa: S308 — every value escaped


@register.simple_tag(takes_context=True)
def day_list(context, day) -> SafeString:
    """The day's sessions as a list (what phones show instead of the grid)."""
    return mark_safe(  # noqa: S308 — the cards escape every value
        "".join(f"<li>{session_card(context, session)}</li>" for session in day.sessions)
    )


@register.simple_tag
def speaker_items(speakers, base: str) -> SafeString:
    """The speaker index's entries (name linked to the speaker's page, native name,
    organization), drawn in one pass."""
    items = []
    for speaker in speakers:
        item = f'<li><a href="{_e(base)}{_e(speaker.slug)}/">{_e(speaker.name)}</a>'
        if speaker.name_native:
            lang = _e(speaker.native_language or "und")
            item += f' <span lang="{lang}">{_e(speaker.name_native)}</span>'
        if speaker.organization:
            item += f" · {_e(speaker.organization)}"
        items.append(item + "</li>")
    return mark_safe("\n".join(items))  # noqa: S308 — every value escaped
