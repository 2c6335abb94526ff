"""Migration cfp 0003 carries the names' translations from the old JSON field (keyed "zh" for
Simplified Chinese, which no language of the site matched) into modeltranslation's columns.

The data step runs here on stand-in rows: migrating the test database backwards and forwards
would reorder the tables' columns under the demo snapshot the tests restore."""

import importlib

migration = importlib.import_module("cfp.migrations.0003_content_translations")


class Row:
    def __init__(self, **values):
        self.__dict__.update(values)
        self.saved: list[str] = []

    def save(self, update_fields):
        self.saved = list(update_fields)


class Apps:
    def __init__(self, rows: dict[str, list[Row]]):
        self.rows = rows

    def get_model(self, app_label, name):
        rows = self.rows.get(name, [])
        return type(name, (), {"objects": type("M", (), {"all": staticmethod(lambda: rows)})})


def test_json_translations_move_into_their_columns():
    kind = Row(
        name="Site visit",
        name_translations={"ja": "現地視察", "zh": "实地考察", "id": "Kunjungan", "xx": "?"},
    )
    criterion = Row(name="Feasibility", description="Can it be done?", name_translations={})
    call = Row(guidelines="Propose!")
    migration.copy_texts(
        Apps({"ProposalType": [kind], "ReviewCriterion": [criterion], "Call": [call]}), None
    )
    assert (kind.name_en, kind.name_ja, kind.name_zh_hans, kind.name_ind) == (
        "Site visit",
        "現地視察",
        "实地考察",
        "Kunjungan",
    )
    assert not hasattr(kind, "name_xx")
    assert sorted(kind.saved) == ["name_en", "name_ind", "name_ja", "name_zh_hans"]
    assert (criterion.name_en, criterion.description_en) == ("Feasibility", "Can it be done?")
    assert call.guidelines_en == "Propose!"


def test_the_language_keys_are_matched_to_the_sites_languages():
    assert [migration._column(code) for code in ("zh", "zh-Hans", "zh_CN", "ja-JP", "ko")] == [
        "zh_hans",
        "zh_hans",
        "zh_hans",
        "ja",
        "ko",
    ]
    assert migration._column("xx") is None
