"""Load the World Bank income groups shipped in registration/data/income_groups.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "income_groups.csv"


def load(apps, schema_editor):
    model = apps.get_model("registration", "CountryIncomeGroup")
    with DATA.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        model.objects.bulk_create(
            [model(country=row["country"], income_group=row["income_group"]) for row in rows],
            ignore_conflicts=True,
        )


def unload(apps, schema_editor):
    apps.get_model("registration", "CountryIncomeGroup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
