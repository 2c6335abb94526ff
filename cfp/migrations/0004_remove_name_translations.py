# The names' translations now live in their own columns (0003 copied them there).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cfp", "0003_content_translations"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="proposaltype",
            name="name_translations",
        ),
        migrations.RemoveField(
            model_name="reviewcriterion",
            name="name_translations",
        ),
    ]
