from types import SimpleNamespace

import pytest

from statements.diff import diff_versions, tokens, word_diff
from statements.enums import StatementState as S
from statements.models import ParagraphText
from statements.services.versions import create_version
from tests.factories.statements import make_statement


def test_word_diff_marks_words_and_escapes():
    assert str(
        word_diff("We commit to <b>fair</b> trade.", "We firmly commit to <b>fair</b> trade!")
    ) == ("We<ins> firmly</ins> commit to &lt;b&gt;fair&lt;/b&gt; trade<del>.</del><ins>!</ins>")


def test_word_diff_replaces_whole_words():
    assert str(word_diff("social finance", "solidarity finance")) == (
        "<del>social</del><ins>solidarity</ins> finance"
    )


def test_word_diff_of_japanese_works_by_character():
    assert tokens("連帯経済 ok") == ["連", "帯", "経", "済", " ", "ok"]
    assert str(word_diff("連帯経済を推進する", "連帯経済を強く推進する")) == (
        "連帯経済を<ins>強く</ins>推進する"
    )


def test_word_diff_of_identical_text_has_no_marks():
    assert str(word_diff("Same <text>", "Same <text>")) == "Same &lt;text&gt;"


def _t(pid, number, text):
    return SimpleNamespace(
        paragraph_id=pid, number=number, text=text, paragraph=SimpleNamespace(key=pid)
    )


def test_diff_versions_follows_identity_order_and_places_deletions():
    old = [_t(1, 1, "One."), _t(2, 2, "Two."), _t(3, 3, "Three."), _t(4, 4, "Four.")]
    new = [
        _t(3, 1, "Three, changed."),
        _t(1, 2, "One."),
        _t(5, 3, "Five <new>."),
        _t(4, 4, "Four."),
    ]
    amendment = SimpleNamespace(paragraph_id=3, after_paragraph_id=None, pk=7)
    changes = diff_versions(old, new, [amendment])
    assert [(c.key, c.status, c.old_number, c.new_number) for c in changes] == [
        (3, "changed", 3, 1),
        (1, "unchanged", 1, 2),
        (2, "deleted", 2, None),
        (5, "added", None, 3),
        (4, "unchanged", 4, 4),
    ]
    assert str(changes[0].html) == "Three<ins>, changed</ins>."
    assert str(changes[2].html) == "<del>Two.</del>"
    assert str(changes[3].html) == "<ins>Five &lt;new&gt;.</ins>"
    assert changes[0].amendments == [amendment]
    assert [c.is_changed for c in changes] == [True, False, True, True, False]


def test_diff_versions_puts_a_deleted_first_paragraph_first():
    changes = diff_versions([_t(1, 1, "One."), _t(2, 2, "Two.")], [_t(2, 1, "Two.")])
    assert [(c.key, c.status) for c in changes] == [(1, "deleted"), (2, "unchanged")]


@pytest.fixture
def two_versions(edition, committee_user):
    statement = make_statement(edition, paragraphs=3, state=S.COMMENTS_CLOSED)
    create_version(
        statement=statement,
        actor=committee_user,
        source="[1] We commit to paragraph 1 of the social and solidarity economy.\n\n"
        "[3] We commit to paragraph 3 of the solidarity economy.\n\nA new <em> paragraph.",
    )
    return statement


def test_diff_page_between_two_versions(client, two_versions, committee_user, base_url):
    client.force_login(committee_user)
    response = client.get(base_url + "changes/", {"from": 1, "to": 2})
    html = response.content.decode()
    assert response.status_code == 200
    assert "paragraph 1 of the <ins>social and </ins>solidarity economy." in html
    assert "<del>We commit to paragraph 2 of the solidarity economy.</del>" in html
    assert "<ins>A new &lt;em&gt; paragraph.</ins>" in html
    assert "3 paragraphs changed" in html
    # Backwards works too.
    html = client.get(base_url + "changes/", {"from": 2, "to": 1}).content.decode()
    assert "<del>A new &lt;em&gt; paragraph.</del>" in html
    texts = ParagraphText.objects.filter(version__statement=two_versions)
    assert texts.count() == 6
