"""Reading the statement: the text with comment counts, a paragraph's discussion, the whole-text
discussion, the difference between versions, the response table."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from forum.models import Edition
from statements.diff import diff_versions
from statements.discussion.forms import AmendmentForm, CommentForm
from statements.discussion.services import comment_period_is_open
from statements.enums import StatementState
from statements.models import Amendment, ParagraphText
from statements.selectors import (
    amendments_for,
    paragraph_in_version,
    readable_versions,
    response_table,
    statement_for_edition,
    statement_roles,
    thread_comments,
    version_text,
    visible_version,
)
from statements.translations.selectors import (
    Block,
    ShownParagraph,
    read_in_language,
    reader_language,
    texts_in_language,
    translated_languages,
)
from statements.views import load, require


def _base(page, statement, roles, version, **extra) -> dict:
    return {
        "page": page,
        "statement": statement,
        "roles": roles,
        "version": version,
        "period_open": comment_period_is_open(statement),
        "states": StatementState,
        **extra,
    }


def statement_index(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement = statement_for_edition(edition)
    roles = statement_roles(request.user, edition)
    if statement is None:
        if roles.is_committee:
            return render(request, "statements/none.html", {"page": page, "roles": roles})
        raise Http404(_("This edition has no statement of commitment yet."))
    version = visible_version(statement, roles)
    if version is None:
        denied = require(
            request,
            page,
            False,
            _("The statement is being drafted; delegates read it once it is open for comments."),
        )
        if roles.may_read_discussion or not request.user.is_authenticated:
            return denied
        raise Http404(_("The statement is not public yet."))
    text = version_text(
        version, with_counts=roles.may_read_discussion, include_hidden=roles.is_moderator
    )
    reading = read_in_language(statement, version, text.blocks, reader_language(request, statement))
    reading.languages = translated_languages(statement, version)
    return render(
        request,
        "statements/index.html",
        _base(page, statement, roles, version, text=text, reading=reading),
    )


def _discussion(request, page, edition, key: int | None) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(
        request,
        page,
        roles.may_read_discussion,
        _("Only the delegates of %(edition)s take part in drafting its statement.")
        % {"edition": edition.name},
    )
    if denied:
        return denied
    version = visible_version(statement, roles)
    if version is None:
        raise Http404(_("The statement is not open yet."))
    text = None
    paragraph = None
    reading = None
    if key is not None:
        text = paragraph_in_version(statement, version, key)
        if text is None:
            raise Http404(_("There is no such paragraph in the current version."))
        paragraph = text.paragraph
        block = Block(text=text)
        reading = read_in_language(statement, version, [block], reader_language(request, statement))
        text.shown = block.shown
    comments = thread_comments(statement, paragraph=paragraph, user=request.user, roles=roles)
    amendments = amendments_for(
        statement, user=request.user, paragraph=paragraph, new_only=paragraph is None
    )
    return render(
        request,
        "statements/discussion.html",
        _base(
            page,
            statement,
            roles,
            version,
            paragraph_text=text,
            reading=reading,
            comments=comments,
            amendments=amendments,
            comment_form=CommentForm(initial={"paragraph": key or ""}),
            amendment_form=AmendmentForm(
                initial={
                    "kind": "replace" if key else "new_paragraph",
                    "paragraph": key or "",
                    "after": key or "",
                    "text": text.text if text else "",
                }
            ),
        ),
    )


def paragraph_discussion(request: HttpRequest, page, edition: Edition, key: int) -> HttpResponse:
    return _discussion(request, page, edition, key)


def general_discussion(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    return _discussion(request, page, edition, None)


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def version_diff(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """Any two versions the person may read, paragraph by paragraph; the latest two at first."""
    statement, roles = load(request, edition)
    versions = readable_versions(statement, roles)
    if not versions:
        denied = require(request, page, False, _("The statement is not public yet."))
        if denied and not request.user.is_authenticated:
            return denied
        raise Http404(_("The statement is not public yet."))
    by_number = {v.number: v for v in versions}
    new = by_number.get(_number(request.GET.get("to"))) or versions[-1]
    old_default = versions[-2] if len(versions) > 1 else versions[-1]
    old = by_number.get(_number(request.GET.get("from"))) or old_default
    texts = list(
        ParagraphText.objects.filter(version__in=[old, new])
        .select_related("paragraph")
        .order_by("position")
    )
    low, high = sorted((old.number, new.number))
    taken = list(
        Amendment.objects.filter(
            statement=statement, taken_into__number__gt=low, taken_into__number__lte=high
        )
        .select_related("taken_into", "author")
        .order_by("pk")
    )
    language = reader_language(request, statement)
    old_texts, _old_reading = texts_in_language(
        statement, old, [t for t in texts if t.version_id == old.pk], language
    )
    new_texts, reading = texts_in_language(
        statement, new, [t for t in texts if t.version_id == new.pk], language
    )
    _same_language_or_source(old_texts, new_texts, statement.source_language, texts)
    changes = diff_versions(old_texts, new_texts, taken if old.number < new.number else ())
    shown = {t.paragraph.key: t.shown for t in [*old_texts, *new_texts]}
    for change in changes:
        change.shown = shown.get(change.key)
    return render(
        request,
        "statements/diff.html",
        _base(
            page,
            statement,
            roles,
            new,
            versions=versions,
            old=old,
            new=new,
            changes=changes,
            reading=reading,
            taken=taken if old.number < new.number else [],
            changed_count=sum(1 for c in changes if c.is_changed),
        ),
    )


def _same_language_or_source(old_texts, new_texts, source_language: str, originals) -> None:
    """A paragraph read in two languages in the two versions (translated in one, not in the
    other) is compared in the authoritative text, marked as such: a word diff between two
    languages says nothing."""
    original = {(t.version_id, t.paragraph_id): t.text for t in originals}
    old_by_paragraph = {t.paragraph_id: t for t in old_texts}
    for new_text in new_texts:
        old_text = old_by_paragraph.get(new_text.paragraph_id)
        if old_text is None or old_text.shown.language == new_text.shown.language:
            continue
        for side in (old_text, new_text):
            side.text = original[(side.version_id, side.paragraph_id)]
            side.shown = ShownParagraph(text=side.text, language=source_language, is_fallback=True)


def responses(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """The committee's answers to every amendment, beside the text; readable by anyone who may
    read the text."""
    statement, roles = load(request, edition)
    version = visible_version(statement, roles)
    if version is None:
        denied = require(request, page, False, _("The statement is not public yet."))
        if not request.user.is_authenticated:
            return denied
        raise Http404(_("The statement is not public yet."))
    rows = response_table(statement)
    current = {t.paragraph_id: t for t in ParagraphText.objects.filter(version=version)}
    for text in current.values():
        text.version = version
    for row in rows:
        row.current = current.get(row.paragraph_id or row.after_paragraph_id)
    return render(
        request,
        "statements/responses.html",
        _base(page, statement, roles, version, rows=rows),
    )
