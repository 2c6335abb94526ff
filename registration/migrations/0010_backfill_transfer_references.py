"""Give every registration made before payment references existed its reference."""

import secrets

from django.db import migrations

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _prefix(edition) -> str:
    letters = "".join(c for c in (edition.name or "").split(" ")[0].upper() if "A" <= c <= "Z")
    return f"{(letters or 'FORUM')[:6]}{edition.year % 100:02d}"


def backfill(apps, schema_editor):
    Registration = apps.get_model("registration", "Registration")
    Edition = apps.get_model("forum", "Edition")
    for edition in Edition.objects.filter(registrations__transfer_reference="").distinct():
        prefix = _prefix(edition)
        taken = set(
            Registration.objects.filter(edition=edition)
            .exclude(transfer_reference="")
            .values_list("transfer_reference", flat=True)
        )
        missing = list(Registration.objects.filter(edition=edition, transfer_reference=""))
        for registration in missing:
            while True:
                code = f"{prefix}-{''.join(secrets.choice(ALPHABET) for _ in range(5))}"
                if code not in taken:
                    break
            taken.add(code)
            registration.transfer_reference = code
        Registration.objects.bulk_update(missing, ["transfer_reference"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("registration", "0009_payments")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
