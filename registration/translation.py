"""Registration's organizer-written fields that can be translated (django-modeltranslation: one
column per language of the site beside the source, e.g. name_ja; English is the source). Read
under the active language (the reader's, or the recipient's for mail) they give the
translation, else the source."""

from modeltranslation.translator import TranslationOptions, register

from forum.questions import TRANSLATED_FIELDS
from registration.models import Announcement, Question, RegistrationSettings, TicketType


@register(TicketType)
class TicketTypeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = TRANSLATED_FIELDS


@register(RegistrationSettings)
class RegistrationSettingsTranslation(TranslationOptions):
    fields = (
        "bank_account_holder",
        "bank_account",
        "bank_swift",
        "bank_name",
        "on_site_payment",
        "payment_instructions",
    )


@register(Announcement)
class AnnouncementTranslation(TranslationOptions):
    fields = ("subject", "body")
