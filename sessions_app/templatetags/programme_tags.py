import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.images import get_image_model
from wagtail.templatetags.wagtailcore_tags import richtext

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
