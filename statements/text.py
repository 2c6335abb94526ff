"""Comments are plain text with a small safe subset of Markdown: emphasis, lists, inline code,
links (http, https, mailto). Raw HTML is never rendered; the output is cleaned with nh3."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "list", "backticks", "link", "newline", "escape"]
)

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "code", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_comment(text: str) -> SafeString:
    html = _markdown.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3's allow-list just above
