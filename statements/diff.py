"""The difference between two versions of the statement, paragraph by paragraph (by identity),
with word-level highlights. Output is escaped HTML with <ins> and <del> only."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words of Latin-like scripts, one character at a time for scripts written without spaces
# (Chinese, Japanese kana and kanji, Thai), whitespace runs, and single punctuation marks.
TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]"
    r"|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]+"
    r"|\s+|[^\w\s]"
)

UNCHANGED, CHANGED, ADDED, DELETED = "unchanged", "changed", "added", "deleted"


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_diff(old: str, new: str) -> SafeString:
    """`old` → `new` as escaped HTML, removed words in <del>, added words in <ins>."""
    a, b = tokens(old), tokens(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 — every piece of user text is escaped above


def amendment_diff(amended_text: str | None, proposed: str) -> SafeString:
    """An amendment's proposal against the paragraph it changes (`amended_text`), or wholly
    added when it proposes a new paragraph (None)."""
    if amended_text is None:
        return mark_safe(f"<ins>{escape(proposed)}</ins>")  # noqa: S308 — escaped
    return word_diff(amended_text, proposed)


@dataclass
class ParagraphChange:
    key: int
    status: str
    old_number: int | None
    new_number: int | None
    html: SafeString
    amendments: list = field(default_factory=list)

    @property
    def is_changed(self) -> bool:
        return self.status != UNCHANGED


def diff_versions(old_texts: list, new_texts: list, amendments=()) -> list[ParagraphChange]:
    """Compare two versions given as their ParagraphText rows (with `paragraph` loaded) in order.

    The result follows the newer version's order; a deleted paragraph appears after the
    paragraph that preceded it in the older version. `amendments` taken in between are attached
    to the paragraph they concern.
    """
    old = {t.paragraph_id: t for t in old_texts}
    new = {t.paragraph_id: t for t in new_texts}
    by_paragraph: dict[int, list] = {}
    for amendment in amendments:
        target = amendment.paragraph_id or amendment.after_paragraph_id
        by_paragraph.setdefault(target, []).append(amendment)

    changes: list[ParagraphChange] = []
    index_of: dict[int, int] = {}
    for text in new_texts:
        before = old.get(text.paragraph_id)
        if before is None:
            status, html = ADDED, mark_safe(f"<ins>{escape(text.text)}</ins>")  # noqa: S308
        elif before.text == text.text:
            status, html = UNCHANGED, mark_safe(escape(text.text))  # noqa: S308
        else:
            status, html = CHANGED, word_diff(before.text, text.text)
        index_of[text.paragraph_id] = len(changes)
        changes.append(
            ParagraphChange(
                key=text.paragraph.key,
                status=status,
                old_number=before.number if before else None,
                new_number=text.number,
                html=html,
                amendments=by_paragraph.get(text.paragraph_id, []),
            )
        )
    # Deleted paragraphs go after their older neighbour (first when it has none left).
    deleted_after: dict[int, list[ParagraphChange]] = {}
    anchor = -1
    for text in old_texts:
        if text.paragraph_id in new:
            anchor = index_of[text.paragraph_id]
            continue
        deleted_after.setdefault(anchor, []).append(
            ParagraphChange(
                key=text.paragraph.key,
                status=DELETED,
                old_number=text.number,
                new_number=None,
                html=mark_safe(f"<del>{escape(text.text)}</del>"),  # noqa: S308
                amendments=by_paragraph.get(text.paragraph_id, []),
            )
        )
    result = list(deleted_after.get(-1, []))
    for index, change in enumerate(changes):
        result.append(change)
        result.extend(deleted_after.get(index, []))
    return result
