"""The schedule grid editor's rows and cards as HTML, built in one pass (issue 14).

A grid of 4 days, 12 rooms and 15-minute rows has thousands of cells: through the template
engine, with an include per card, it took a second of CPU and over a megabyte. Here a cell is a
bare `<td>` (its room is its column, its time its row: static/js/schedule-grid.js gives it
`data-room` and `data-start` when it starts) and a card carries what the server alone knows (its
times, its status, its conflicts); what follows from them, and what only the script can make
work (a card's role, focus, dragging, handle, accessible name and move URL, its track's colour,
its time and status in spans of their own), the script adds.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sessions_app.selectors_grid import SLOT_MINUTES, GridCard, GridDay


class CardWriter:
    """Writes cards, remembering each status's label (they are few, the cards are many)."""

    def __init__(self) -> None:
        self._status_labels: dict[str, str] = {}

    def status_label(self, card: GridCard) -> str:
        status = card.session.status
        if status not in self._status_labels:
            self._status_labels[status] = escape(card.session.get_status_display())
        return self._status_labels[status]

    def card(self, card: GridCard) -> str:
        session = card.session
        classes = "sg-card"
        if card.is_placed and card.lanes > 1:
            classes += " " + card.lane_class
        classes += f" sg-card--{escape(session.status)}"
        if card.has_hard_conflict:
            classes += " sg-card--hard"
        elif card.conflicts:
            classes += " sg-card--warning"
        attributes = f'class="{classes}" id="sg-card-{session.pk}"'
        attributes += f' data-minutes="{card.minutes}"'
        time = ""
        if card.is_placed and card.start is not None:
            # Its cell gives its start, unless it starts between two rows.
            if card.start.minute % SLOT_MINUTES or card.start.second:
                attributes += f' data-start="{card.start_text}"'
            time = card.time_label
        if session.track_id:
            attributes += f' data-track="{session.track_id}"'
        conflicts = ""
        if card.conflicts:
            attributes += f' title="{escape(card.conflict_text)}"'
            badges = card.badges
            conflicts = (
                '<span class="sg-card__badges" aria-hidden="true">'
                + "".join(
                    f'<span class="sg-badge sg-badge--{escape(b["severity"])}">'
                    f"{escape(b['label'])}</span>"
                    for b in badges
                )
                + f'</span><span class="w-sr-only sg-card__conflicts" id="sg-card-{session.pk}'
                '-conflicts" aria-hidden="true">'
                + "".join(f"{escape(b['severity_label'])}: {escape(b['message'])} " for b in badges)
                + "</span>"
            )
        return (
            # The spaces keep the words apart in the card's text, which its accessible name
            # (set by the script) must contain.
            f'<div {attributes}><span class="sg-card__title">{escape(session.title)}</span> '
            f'<span class="sg-card__meta">{time} {self.status_label(card)}</span>'
            f"{conflicts}</div>"
        )

    def cards(self, cards: list[GridCard]) -> SafeString:
        return mark_safe("".join(self.card(card) for card in cards))  # noqa: S308 (escaped above)

    def day_rows(self, day: GridDay) -> SafeString:
        """The body of a day's table: a row per 15 minutes, a cell per room (without the end
        tags of rows and cells, which HTML leaves out: thousands of cells are most of the page)."""
        parts = []
        for row in day.rows:
            parts.append('<tr class="sg-hour">' if row.is_hour else "<tr>")
            parts.append(f'<th scope="row">{row.label}</th>')
            for cell in row.cells:
                if cell.cards:
                    parts.append("<td>" + "".join(self.card(c) for c in cell.cards))
                else:
                    parts.append("<td>")
        return mark_safe("".join(parts))  # noqa: S308 (escaped above)
