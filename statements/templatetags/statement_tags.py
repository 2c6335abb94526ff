from django import template

from statements.text import render_comment

register = template.Library()


@register.filter
def comment_markdown(value: str):
    """A comment's text as safe HTML (the Markdown subset, cleaned)."""
    return render_comment(value)
