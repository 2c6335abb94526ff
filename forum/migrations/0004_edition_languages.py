# Each edition's offered languages, and a Wagtail Locale for every language of the site.

from django.conf import settings
from django.db import migrations, models

import forum.models


def create_locales(apps, schema_editor):
    """Pages can be translated into every language of settings.LANGUAGES."""
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_delegate_role"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="edition",
            name="languages",
            field=models.JSONField(
                blank=True,
                default=forum.models.default_edition_languages,
                help_text="The languages the edition's public pages offer in the language switcher.",
                validators=[forum.models._validate_languages],
                verbose_name="languages",
            ),
        ),
        migrations.RunPython(create_locales, migrations.RunPython.noop),
    ]
