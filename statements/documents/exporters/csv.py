"""All comments and amendments of a statement as one CSV file for the drafting committee.

Spreadsheets run a cell that begins with = + - @ (or a tab or carriage return) as a formula,
so such cells are prefixed with an apostrophe: a delegate's comment cannot become a formula
in the committee's spreadsheet.
"""

import csv
import io

from django.utils.translation import gettext as _

from statements.documents.selectors import export_amendments, export_comments, printed_numbers
from statements.enums import AmendmentKind, AmendmentStatus
from statements.models import Statement

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """`value` as text that no spreadsheet reads as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _time(value) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def comments_and_amendments_csv(statement: Statement) -> str:
    """One row per comment and per amendment, by paragraph; UTF-8 text with a header row. The
    paragraph columns give its number in the row's version. Three queries."""
    comments = export_comments(statement)
    amendments = export_amendments(statement)
    numbers = printed_numbers([*comments, *amendments])

    def number(item, paragraph) -> int | str:
        if paragraph is None:
            return ""
        return numbers.get((item.version_id, paragraph.pk), paragraph.key)

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("type"),
            _("id"),
            _("paragraph"),
            _("after paragraph"),
            _("version"),
            _("author"),
            _("created at"),
            _("in reply to"),
            _("text"),
            _("rationale"),
            _("status"),
            _("supports"),
            _("committee answer"),
            _("taken into version"),
        ]
    )
    statuses = dict(AmendmentStatus.choices)
    for comment in comments:
        if comment.is_withdrawn:
            status = _("withdrawn")
        elif comment.is_hidden:
            status = _("hidden: %(reason)s") % {"reason": comment.hidden_reason}
        else:
            status = ""
        writer.writerow(
            neutralise(cell)
            for cell in [
                _("comment"),
                comment.pk,
                number(comment, comment.paragraph) if comment.paragraph_id else _("whole text"),
                "",
                comment.version.number,
                _person(comment.author),
                _time(comment.created_at),
                comment.parent_id or "",
                comment.body,
                "",
                status,
                "",
                "",
                "",
            ]
        )
    for amendment in amendments:
        is_new = amendment.kind == AmendmentKind.NEW_PARAGRAPH
        writer.writerow(
            neutralise(cell)
            for cell in [
                _("new paragraph") if is_new else _("amendment"),
                amendment.pk,
                "" if is_new else number(amendment, amendment.paragraph),
                number(amendment, amendment.after_paragraph),
                amendment.version.number,
                _person(amendment.author),
                _time(amendment.created_at),
                "",
                amendment.text,
                amendment.rationale,
                str(statuses.get(amendment.status, amendment.status)),
                amendment.support_count,
                amendment.answer,
                amendment.taken_into.number if amendment.taken_into_id else "",
            ]
        )
    return buffer.getvalue()
