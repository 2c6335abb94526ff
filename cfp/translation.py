"""The call's organizer-written fields that can be translated (django-modeltranslation: one
column per language of the site beside the source, e.g. name_ja; English is the source). Read
under the active language (the reader's, or the recipient's for mail) they give the translation,
else the source."""

from modeltranslation.translator import TranslationOptions, register

from cfp.models import Call, CallQuestion, ProposalType, ReviewCriterion
from forum.questions import TRANSLATED_FIELDS


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("guidelines",)


@register(ProposalType)
class ProposalTypeTranslation(TranslationOptions):
    fields = ("name",)


@register(ReviewCriterion)
class ReviewCriterionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CallQuestion)
class CallQuestionTranslation(TranslationOptions):
    fields = TRANSLATED_FIELDS
