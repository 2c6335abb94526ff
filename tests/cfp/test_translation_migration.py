"""Migration cfp 0003 carries the names' translations from the old JSON field (keyed "zh" for
Simplified Chinese, which no language of the site matched) into modeltranslation's columns."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from forum.models import Edition

BEFORE = [("cfp", "0002_email_languages")]
AFTER = [("cfp", "0004_remove_name_translations")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# SQLite rebuilds the tables, which the demo snapshot's restore does not follow.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_json_translations_move_into_their_columns():
    edition_id = Edition.objects.get(slug="2009-tokyo").pk
    old = _migrate(BEFORE)
    try:
        old_type = old.get_model("cfp", "ProposalType").objects.create(
            edition_id=edition_id,
            name="Site visit",
            name_translations={"ja": "現地視察", "zh": "实地考察", "id": "Kunjungan", "xx": "?"},
            durations="180",
        )
        old.get_model("cfp", "ReviewCriterion").objects.create(
            edition_id=edition_id, name="Feasibility", name_translations={"ko": "실현 가능성"}
        )
    finally:
        new = _migrate(AFTER)
    kind = new.get_model("cfp", "ProposalType").objects.get(pk=old_type.pk)
    assert (kind.name_en, kind.name_ja, kind.name_zh_hans, kind.name_ind) == (
        "Site visit",
        "現地視察",
        "实地考察",
        "Kunjungan",
    )
    assert kind.name_ko is None
    criterion = new.get_model("cfp", "ReviewCriterion").objects.get(
        edition_id=edition_id, name_en="Feasibility"
    )
    assert criterion.name_ko == "실현 가능성"
