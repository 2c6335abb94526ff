"""The public part of the statement page: signatories, their counts, sign-on and downloads."""

from django import template

from statements.documents.selectors import may_export
from statements.signon.selectors import (
    is_open_for_sign_on,
    lists_signatories,
    signatory_summary,
)

register = template.Library()


@register.inclusion_tag("statements/public/part.html", takes_context=True)
def statement_public_part(context, statement, version):
    """Links to the PDF, the plenary view and (for the committee) the exports; once adopted,
    the confirmed signatories with their counts by country and kind. One query once adopted,
    none before."""
    roles = context.get("roles")
    listed = lists_signatories(statement)
    return {
        "request": context.get("request"),
        "page": context.get("page"),
        "statement": statement,
        "version": version,
        "roles": roles,
        "summary": signatory_summary(statement) if listed else None,
        "sign_on_open": is_open_for_sign_on(statement),
        "may_export": roles is not None and may_export(roles),
    }
