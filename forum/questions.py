"""An edition's own questions, asked on a feature's form: the registration form's, the call for
proposals'. The core owns the question builder so that every feature asks them the same way.

A feature subclasses `QuestionBase` (with its own `edition` foreign key and verbose names),
registers `TRANSLATED_FIELDS` for translation, edits `EDITED_FIELDS` in its admin, draws each
question with `question_field` (named `question_<id>`) and checks the answers with
`clean_answers`, which a service calls before it stores them (a value per question, as text).
"""

from collections.abc import Iterable, Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.content_language import SOURCE_LANGUAGE, shown_in_source, source_value
from forum.widgets import OnePassSelect

# What an organizer edits, and what of it is translated (the choices line by line).
EDITED_FIELDS = ("label", "help_text", "kind", "choices", "required", "position")
TRANSLATED_FIELDS = ("label", "help_text", "choices")
FIELD_PREFIX = "question_"
ANSWER_MAX = 2000
CHECKED = "yes"


class QuestionKind(models.TextChoices):
    TEXT = "text", gettext_lazy("Text")
    CHOICE = "choice", gettext_lazy("Choice")
    CHECKBOX = "checkbox", gettext_lazy("Checkbox")


class AnswerError(ValueError):
    """An answer that cannot be stored: to an unknown question, a required one missing, a
    choice not offered. Its text is for the person who answered."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionBase(models.Model):
    """The question itself: what is asked, how it is answered, whether it must be."""

    label = models.CharField(gettext_lazy("question"), max_length=255)
    help_text = models.CharField(gettext_lazy("help text"), max_length=255, blank=True)
    kind = models.CharField(
        gettext_lazy("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(
        gettext_lazy("choices"),
        blank=True,
        help_text=gettext_lazy("For a choice: one option per line."),
    )
    required = models.BooleanField(gettext_lazy("required"), default=False)
    position = models.PositiveSmallIntegerField(gettext_lazy("position"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        """The choices in the source language: what an answer stores."""
        return _lines(source_value(self, "choices"))

    @property
    def choice_options(self) -> list[tuple[str, str]]:
        """(stored value, label in the active language) of each choice: the translation given
        line by line, the source for a line without one."""
        translated = _lines(self.choices or "")
        return [
            (value, translated[index] if index < len(translated) else value)
            for index, value in enumerate(self.choice_list)
        ]

    def clean(self) -> None:
        if self.kind == QuestionKind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})

    def shown_answer(self, value: str) -> str:
        """A stored answer as a reader sees it: a choice in the active language, a ticked box
        as “Yes”."""
        if self.kind == QuestionKind.CHECKBOX:
            return _("Yes") if value else _("No")
        if self.kind == QuestionKind.CHOICE:
            return dict(self.choice_options).get(value, value)
        return value


def question_field(question: QuestionBase) -> forms.Field:
    """The form field that asks `question` in the active language."""
    options = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    field: forms.Field
    if question.kind == QuestionKind.CHOICE:
        field = forms.ChoiceField(
            choices=[("", "---------"), *question.choice_options], widget=OnePassSelect, **options
        )
    elif question.kind == QuestionKind.CHECKBOX:
        field = forms.BooleanField(**options)
    else:
        field = forms.CharField(max_length=ANSWER_MAX, **options)
    # A question not translated into the reader's language: its label is marked as the
    # source's (includes_field_label.html).
    field.source_language = SOURCE_LANGUAGE if shown_in_source(question, "label") else ""
    return field


def question_fields(questions: Iterable[QuestionBase]) -> dict[str, forms.Field]:
    """`question_<id>` → its field, in the questions' order."""
    return {f"{FIELD_PREFIX}{q.pk}": question_field(q) for q in questions}


def answers_from_form(cleaned_data: Mapping) -> dict[int, object]:
    """{question id: value} from a form's cleaned data (the `question_<id>` fields)."""
    return {
        int(name[len(FIELD_PREFIX) :]): value
        for name, value in cleaned_data.items()
        if name.startswith(FIELD_PREFIX) and name[len(FIELD_PREFIX) :].isdigit()
    }


def form_initial(questions: Iterable[QuestionBase], stored: Mapping[int, str]) -> dict:
    """The `question_<id>` initial values of a form from the stored answers."""
    initial: dict[str, object] = {}
    for question in questions:
        value = stored.get(question.pk, "")
        name = f"{FIELD_PREFIX}{question.pk}"
        initial[name] = bool(value) if question.kind == QuestionKind.CHECKBOX else value
    return initial


def clean_answers(questions: Iterable[QuestionBase], answers: Mapping) -> dict[int, str]:
    """{question id: value as stored} for `answers` ({question or id: value}) to `questions`
    (the edition's); AnswerError on a question not among them, a choice not offered or a
    required question left unanswered. A ticked box is stored as "yes", an unticked one as ""."""
    by_id = {q.pk: q for q in questions}
    values: dict[int, str] = {}
    for key, value in (answers or {}).items():
        question_id = key.pk if isinstance(key, QuestionBase) else key
        try:
            question = by_id[int(question_id)]
        except (KeyError, TypeError, ValueError):
            raise AnswerError(_("One of the answers is to an unknown question.")) from None
        if question.kind == QuestionKind.CHECKBOX:
            value = CHECKED if value in (True, CHECKED, "on", "true", "1") else ""
        else:
            value = str(value or "").strip()
        if "\x00" in value:
            raise AnswerError(_("An answer may not contain a NUL character."))
        if len(value) > ANSWER_MAX:
            raise AnswerError(
                _("The answer to “%(question)s” is longer than %(max)d characters.")
                % {"question": question.label, "max": ANSWER_MAX}
            )
        if question.kind == QuestionKind.CHOICE and value and value not in question.choice_list:
            raise AnswerError(
                _("“%(value)s” is not one of the choices of “%(question)s”.")
                % {"value": value, "question": question.label}
            )
        values[question.pk] = value
    missing = [q.label for q in by_id.values() if q.required and not values.get(q.pk)]
    if missing:
        raise AnswerError(_("Please answer: %(questions)s.") % {"questions": "; ".join(missing)})
    return values
