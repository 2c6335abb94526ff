"""The drafting committee translates the statement: one form per language, each paragraph of the
latest version beside its translation field."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

from forum.languages import language_name
from forum.models import Edition
from statements.committee.views import COMMITTEE_ONLY
from statements.selectors import visible_version
from statements.services import ActionRefusedError
from statements.translations.forms import TranslationForm
from statements.translations.selectors import translation_languages, translation_rows
from statements.translations.services import save_translation
from statements.views import done, load, refused, require


def translate(request: HttpRequest, page, edition: Edition, language: str) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(request, page, roles.is_committee, COMMITTEE_ONLY)
    if denied:
        return denied
    if language not in translation_languages(statement):
        raise Http404(_("The statement cannot be translated into this language."))
    version = visible_version(statement, roles)
    if version is None:
        raise Http404(_("The statement has no version yet."))
    translation, rows, headings = translation_rows(version, language)
    form = TranslationForm(
        request.POST or None,
        rows=rows,
        headings=headings,
        translation=translation,
        language=language,
    )
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request,
                "statements/committee/translate.html",
                _context(page, statement, roles, version, language, translation, form),
                status=400,
            )
        try:
            save_translation(
                statement=statement,
                version=version,
                language=language,
                actor=request.user,
                **form.translated(),
            )
        except ActionRefusedError as error:
            return refused(request, page, error)
        url = routablepageurl({"request": request}, page, "statement_translate", language)
        return done(
            request,
            _("The translation into %(language)s is saved.")
            % {"language": language_name(language)},
            url,
        )
    return render(
        request,
        "statements/committee/translate.html",
        _context(page, statement, roles, version, language, translation, form),
    )


def _context(page, statement, roles, version, language, translation, form) -> dict:
    return {
        "page": page,
        "statement": statement,
        "roles": roles,
        "version": version,
        "language": language,
        "translation": translation,
        "form": form,
        "stale_count": sum(1 for row in form.rows if row.is_stale),
    }
