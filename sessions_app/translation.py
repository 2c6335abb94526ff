"""The programme's organizer-written fields that can be translated (django-modeltranslation:
one column per language of the site beside the source, e.g. title_ja; English is the source).

The public programme reads them from a release's snapshot (services/releases.py puts the
translations under each row's "i18n", services/snapshot_i18n.py overlays them)."""

from modeltranslation.translator import TranslationOptions, register

from sessions_app.models import Room, Session, Track


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "abstract", "meeting_point", "transport_notes")


@register(Track)
class TrackTranslation(TranslationOptions):
    fields = ("name",)


@register(Room)
class RoomTranslation(TranslationOptions):
    fields = ("name", "accessibility_notes")
