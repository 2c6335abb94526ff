"""The committee dashboard's proposals as CSV, with the dashboard's filters and sort: one row a
proposal, its reviews, assignments and mean weighted score. With anonymised review there are no
names (neither the submitter's nor the organizations'). Cells a spreadsheet would read as a
formula are neutralised. The call's own questions follow, one column each, answered as a reader
reads them (a choice in the active language, a ticked box as "Yes")."""

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from cfp.models import CallQuestion, Proposal
from cfp.selectors import with_labels

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """`value` as text, with a leading quote where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def header(*, anonymised: bool, questions: Iterable[CallQuestion] = ()) -> list[str]:
    columns = [
        _("ID"),
        _("Title"),
        _("Type"),
        _("Track"),
        _("Language"),
        _("Country"),
        _("State"),
        _("Reviews"),
        _("Reviewers assigned"),
        _("Mean weighted score"),
    ]
    if not anonymised:
        columns += [_("Submitter"), _("Organizations")]
    return [*columns, *(question.label for question in questions)]


def proposal_row(
    proposal: Proposal, *, anonymised: bool, questions: Iterable[CallQuestion] = ()
) -> list[str]:
    """One proposal of `selectors.proposals_for_export` (annotated with its counts and score,
    given its labels by `selectors.with_labels`, its answers prefetched)."""
    row = [
        proposal.pk,
        proposal.title,
        proposal.proposal_type.localized_name(),
        proposal.track.name if proposal.track else "",
        proposal.language_label,
        proposal.country.code if proposal.country else "",
        proposal.state_label,
        proposal.review_count,
        proposal.assigned_count,
        f"{proposal.avg_score:.2f}" if proposal.avg_score is not None else "",
    ]
    if not anonymised:
        row += [
            proposal.submitter.get_full_name() or proposal.submitter.get_username(),
            "; ".join(str(o) for o in proposal.organizations.all()),
        ]
    if questions:
        answers = {answer.question_id: answer.value for answer in proposal.answers.all()}
        row += [
            question.shown_answer(answers[question.pk]) if question.pk in answers else ""
            for question in questions
        ]
    return [cell(value) for value in row]


def proposals_csv(
    proposals: Iterable[Proposal],
    *,
    anonymised: bool,
    questions: Iterable[CallQuestion] = (),
) -> tuple[bytes, int]:
    """The CSV file (UTF-8) of `proposals` in the active language, and its number of rows, with
    a column for each of the call's `questions`."""
    questions = list(questions)
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header(anonymised=anonymised, questions=questions))
    count = 0
    # The names of languages and states translated once, not once a row (get_language_display
    # hashes every lazy choice at each call: seconds for 2,000 rows).
    for proposal in with_labels(list(proposals)):
        writer.writerow(proposal_row(proposal, anonymised=anonymised, questions=questions))
        count += 1
    return stream.getvalue().encode("utf-8"), count
