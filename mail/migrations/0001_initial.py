"""The outbox moves from registration into this core app without touching its table.

The table `registration_outboxemail` keeps its name (Meta.db_table), its rows and its indexes:
this migration only creates the model in mail's migration state, and registration's 0007
removes it from registration's; neither runs SQL on the table. The content type moves with
it, so that the permissions granted on the outbox (view, change) stay granted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="registration", target="mail"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    old = types.filter(app_label=source, model="outboxemail").first()
    if old is None:  # a fresh database: post_migrate makes mail's content type
        return
    new = types.filter(app_label=target, model="outboxemail").first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
        return
    # Both exist (mail's was made in between): move the grants onto mail's permissions.
    for permission in Permission.objects.using(db).filter(content_type=old):
        same = Permission.objects.using(db).filter(
            content_type=new, codename=permission.codename
        ).first()
        if same is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        for group in permission.group_set.all():
            group.permissions.add(same)
        for user in permission.user_set.all():
            user.user_permissions.add(same)
    old.delete()


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="mail", target="registration")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("forum", "0004_edition_languages"),
        # The table is registration's (created by its 0001, next_attempt_at added by 0004).
        ("registration", "0006_registration_language_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OutboxEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(db_index=True, max_length=32, verbose_name="kind")),
                        ("to_email", models.EmailField(max_length=254, verbose_name="to")),
                        (
                            "language",
                            models.CharField(default="en", max_length=8, verbose_name="language"),
                        ),
                        ("subject", models.CharField(max_length=255, verbose_name="subject")),
                        ("body_text", models.TextField(verbose_name="text")),
                        ("body_html", models.TextField(blank=True, verbose_name="HTML")),
                        ("message_id", models.CharField(max_length=255, unique=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to be sent"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                db_index=True,
                                default="pending",
                                max_length=8,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
                        ),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        (
                            "next_attempt_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="next attempt"),
                        ),
                        (
                            "dedupe_key",
                            models.CharField(blank=True, max_length=255, null=True, unique=True),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="written at"
                            ),
                        ),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        (
                            "edition",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="emails",
                                to="forum.edition",
                            ),
                        ),
                        (
                            "registration",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="emails",
                                to="registration.registration",
                            ),
                        ),
                        (
                            "resend_of",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="resends",
                                to="mail.outboxemail",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "email",
                        "verbose_name_plural": "emails",
                        "db_table": "registration_outboxemail",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["status", "created_at"], name="registratio_status_8ab215_idx"
                            ),
                            models.Index(
                                fields=["status", "next_attempt_at"],
                                name="registratio_status_265c1d_idx",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]
