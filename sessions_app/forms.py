import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.content_translation import SourceLanguageAdminForm
from forum.models import Edition


class SessionForm(SourceLanguageAdminForm):
    """Start and end are read and shown in the edition's time zone, whoever edits them."""

    time_fields = ("start", "end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        edition = self.instance.edition if self.instance.edition_id else None
        if edition is not None:
            tz = zoneinfo.ZoneInfo(edition.time_zone)
            for name in self.time_fields:
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = value.astimezone(tz).replace(tzinfo=None)
        for name in self.time_fields:
            if name in self.fields:
                self.fields[name].help_text = _("In the edition's local time.")

    def clean(self):
        cleaned = super().clean()
        edition: Edition | None = cleaned.get("edition") or (
            self.instance.edition if self.instance.edition_id else None
        )
        if edition is not None:
            tz = zoneinfo.ZoneInfo(edition.time_zone)
            current = timezone.get_current_timezone()
            for name in self.time_fields:
                value = cleaned.get(name)
                if value is not None:
                    naive = timezone.make_naive(value, current)
                    cleaned[name] = timezone.make_aware(naive, tz)
        return cleaned
