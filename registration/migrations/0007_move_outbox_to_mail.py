"""The outbox is the core mail app's now (mail/migrations/0001_initial.py): its model leaves
registration's migration state only. The table `registration_outboxemail` and its rows stay
where they are (no SQL runs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0006_registration_language_choices"),
        ("mail", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="OutboxEmail")],
        ),
    ]
