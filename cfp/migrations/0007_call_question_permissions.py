"""Organizers of existing editions may build their call's questions: the new model's
permissions join every edition's organizer group (a new edition's group gets them from
forum.services.ensure_edition_groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    # Permissions are created after the migrations run; this one needs them now.
    app_config = apps.get_app_config("cfp")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=db)
    Permission = apps.get_model("auth", "Permission")
    EditionGroup = apps.get_model("forum", "EditionGroup")
    permissions = list(
        Permission.objects.using(db).filter(
            content_type__app_label="cfp",
            codename__in=[f"{action}_callquestion" for action in ACTIONS],
        )
    )
    for link in EditionGroup.objects.using(db).filter(role="organizer").select_related("group"):
        link.group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0004_edition_languages"),
        ("cfp", "0006_call_questions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
