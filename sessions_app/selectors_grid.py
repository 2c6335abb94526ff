"""Read queries of the schedule grid editor in the admin: the editions a person may schedule, and
one edition's programme laid out as days by 15-minute rows by rooms."""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.permissions import policy_registry

from forum.models import Edition
from sessions_app.enums import ConflictKind, ConflictSeverity, SessionStatus
from sessions_app.models import Room, Session, SessionSpeaker
from sessions_app.selectors import speakers_with_availability
from sessions_app.services.conflicts import Conflict, conflicts_by_session, find_conflicts

SLOT_MINUTES = 15
SLOT = datetime.timedelta(minutes=SLOT_MINUTES)
DAY_START = datetime.time(7, 0)
DAY_END = datetime.time(22, 0)
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
MAX_LANES = 6  # classes of static/css/schedule-grid.css; more overlaps share the last lane
TIME_RANGE = "{start}\u2013{end}"  # "09:30" and "11:00" joined by an en dash

# What a session card can hold; the full message goes in its description.
SHORT_CONFLICT_LABELS = {
    ConflictKind.SPEAKER_DOUBLE_BOOKED: _("Speaker clash"),
    ConflictKind.ROOM_DOUBLE_BOOKED: _("Room clash"),
    ConflictKind.OUTSIDE_EDITION: _("Outside the days"),
    ConflictKind.ROOM_TOO_SMALL: _("Room too small"),
    ConflictKind.SPEAKER_UNAVAILABLE: _("Speaker unavailable"),
    ConflictKind.NO_BOOTHS: _("No booths"),
}


def editions_user_schedules(user) -> QuerySet[Edition]:
    """The editions whose programme `user` may change: all for a series administrator, else
    those where they hold a managing role (organizer, programme committee). None without the
    model permission to change sessions."""
    policy = policy_registry.get_by_type(Session)
    if not policy.user_has_permission(user, "change"):
        return Edition.objects.none()
    return policy.managed_editions(user)


def editions_for_grid_list(user) -> QuerySet[Edition]:
    """The editions `user` schedules, newest first, with their count of sessions (one query)."""
    return (
        editions_user_schedules(user)
        .annotate(
            session_count=Count("sessions", filter=~Q(sessions__status=SessionStatus.CANCELLED))
        )
        .order_by("-year", "-number")
    )


def edition_user_schedules(user, slug: str) -> Edition | None:
    """The edition `slug` if `user` may change its programme, else None."""
    return editions_user_schedules(user).filter(slug=slug).first()


def session_of_edition(edition: Edition, session_id: int) -> Session | None:
    """A session by id, only if it belongs to `edition` (so that an id of another edition's
    session reaches nothing)."""
    return Session.objects.filter(edition=edition, pk=session_id).select_related("edition").first()


def sessions_for_grid(edition: Edition) -> QuerySet[Session]:
    """Every session of the edition with what the grid and the conflict rules read (2 queries)."""
    return (
        Session.objects.filter(edition=edition)
        .select_related("room", "track")
        .prefetch_related(
            Prefetch(
                "speaker_links",
                queryset=SessionSpeaker.objects.select_related("speaker").order_by(
                    "sort_order", "pk"
                ),
            )
        )
        .order_by("start", "room__position", "title", "pk")
    )


def rooms_for_grid(edition: Edition) -> QuerySet[Room]:
    return Room.objects.filter(edition=edition).order_by("position", "name", "pk")


def local_text(value: datetime.datetime | None, tz: zoneinfo.ZoneInfo) -> str | None:
    """`value` as the edition's wall-clock time, "YYYY-MM-DDTHH:MM" (what the editor sends)."""
    return value.astimezone(tz).strftime(LOCAL_FORMAT) if value else None


@dataclass
class GridCard:
    session: Session
    start: datetime.datetime | None  # in the edition's time zone
    end: datetime.datetime | None
    conflicts: list[Conflict]
    lane: int = 0  # side by side with the sessions it overlaps in its room: its place…
    lanes: int = 1  # …among how many

    @property
    def lane_class(self) -> str:
        return f"sg-lane-{min(self.lane, MAX_LANES - 1)} sg-lanes-{min(self.lanes, MAX_LANES)}"

    @property
    def start_text(self) -> str:
        return self.start.strftime(LOCAL_FORMAT) if self.start else ""

    @property
    def end_text(self) -> str:
        return self.end.strftime(LOCAL_FORMAT) if self.end else ""

    @property
    def time_label(self) -> str:
        if not (self.start and self.end):
            return ""
        return TIME_RANGE.format(start=f"{self.start:%H:%M}", end=f"{self.end:%H:%M}")

    @property
    def minutes(self) -> int:
        """The length kept when the card is moved (an hour for a session without times)."""
        if self.start and self.end:
            return int((self.end - self.start).total_seconds() // 60)
        return 60

    @property
    def is_placed(self) -> bool:
        return self.session.is_scheduled

    @property
    def has_hard_conflict(self) -> bool:
        return any(c.is_hard for c in self.conflicts)

    @property
    def badges(self) -> list[dict]:
        return [
            {
                "severity": str(c.severity),
                "severity_label": ConflictSeverity(c.severity).label,
                "label": SHORT_CONFLICT_LABELS.get(c.kind, c.kind),
                "message": c.message,
            }
            for c in self.conflicts
        ]

    @property
    def conflict_text(self) -> str:
        return "\n".join(c.message for c in self.conflicts)


@dataclass
class GridCell:
    room: Room
    start: datetime.datetime
    cards: list[GridCard] = field(default_factory=list)

    @property
    def start_text(self) -> str:
        return self.start.strftime(LOCAL_FORMAT)


@dataclass
class GridRow:
    start: datetime.datetime
    cells: list[GridCell]

    @property
    def is_hour(self) -> bool:
        return self.start.minute == 0

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}"


@dataclass
class GridDay:
    date: datetime.date
    rows: list[GridRow]
    in_edition: bool
    rooms: list[Room] = field(default_factory=list)
    room_lanes: list[int] = field(default_factory=list)  # per room, in the rooms' order

    @property
    def room_headers(self) -> list[tuple[Room, str]]:
        """Each room with the class that widens its column to hold its overlapping sessions."""
        return [
            (room, f"sg-room--lanes-{min(lanes, MAX_LANES)}" if lanes > 1 else "")
            for room, lanes in zip(self.rooms, self.room_lanes, strict=True)
        ]

    @property
    def slug(self) -> str:
        return self.date.isoformat()

    @property
    def first_text(self) -> str:
        return self.rows[0].start.strftime(LOCAL_FORMAT)

    @property
    def last_text(self) -> str:
        """The end of the last row."""
        return (self.rows[-1].start + SLOT).strftime(LOCAL_FORMAT)


@dataclass
class ScheduleGrid:
    edition: Edition
    time_zone: zoneinfo.ZoneInfo
    rooms: list[Room]
    days: list[GridDay]
    unscheduled: list[GridCard]
    conflicts: list[Conflict]
    cancelled_count: int

    def cards(self) -> Iterable[GridCard]:
        """Every card: placed, then unscheduled."""
        for day in self.days:
            for row in day.rows:
                for cell in row.cells:
                    yield from cell.cards
        yield from self.unscheduled


def _floor(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(
        minute=moment.minute - moment.minute % SLOT_MINUTES, second=0, microsecond=0
    )


def _day_rows(
    date: datetime.date, cards: list[GridCard], tz: zoneinfo.ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """07:00 to 22:00, widened to the day's earliest start and latest end (at most midnight)."""
    first = datetime.datetime.combine(date, DAY_START, tzinfo=tz)
    last = datetime.datetime.combine(date, DAY_END, tzinfo=tz)
    midnight = datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time.min, tz)
    for card in cards:
        first = min(first, _floor(card.start))
        end = min(card.end, midnight)
        if _floor(end) != end:
            end = _floor(end) + SLOT
        last = max(last, end)
    return first, last


def assign_lanes(cards: list[GridCard]) -> int:
    """Lay the cards of one room and day side by side where they overlap: each card gets a
    lane (0, 1…) and the number of lanes of its group of overlapping cards (a card under 15
    minutes counts as 15). Returns the most lanes any group needs (1 when none overlap)."""

    def end_of(card: GridCard) -> datetime.datetime:
        return max(card.end, card.start + SLOT)

    widest = 1
    group: list[GridCard] = []
    lane_ends: list[datetime.datetime] = []
    group_end = None

    def close_group():
        for member in group:
            member.lanes = len(lane_ends)

    for card in sorted(cards, key=lambda c: (c.start, end_of(c), c.session.pk)):
        if group_end is not None and card.start >= group_end:
            close_group()
            widest = max(widest, len(lane_ends))
            group, lane_ends, group_end = [], [], None
        lane = next((i for i, end in enumerate(lane_ends) if end <= card.start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(end_of(card))
        else:
            lane_ends[lane] = end_of(card)
        card.lane = lane
        group.append(card)
        group_end = end_of(card) if group_end is None else max(group_end, end_of(card))
    close_group()
    return max(widest, len(lane_ends) or 1)


def schedule_grid(edition: Edition) -> ScheduleGrid:
    """The edition's programme as the grid editor shows it (5 queries, whatever its size).

    Days are the edition's days plus any day a session is placed on outside them; each day has
    15-minute rows from 07:00 to 22:00 or wider; rooms are the columns in their order. A session
    with a room, a start and an end sits in the cell of its room and (floored) start; the others,
    unless cancelled, are unscheduled. Cancelled sessions are left out (and counted).
    """
    tz = zoneinfo.ZoneInfo(edition.time_zone)
    rooms = list(rooms_for_grid(edition))
    sessions = list(sessions_for_grid(edition))
    conflicts = find_conflicts(
        edition, sessions=sessions, speakers=list(speakers_with_availability(edition))
    )
    by_session = conflicts_by_session(conflicts)

    placed: dict[datetime.date, list[GridCard]] = defaultdict(list)
    unscheduled: list[GridCard] = []
    cancelled = 0
    for session in sessions:
        if session.status == SessionStatus.CANCELLED:
            cancelled += 1
            continue
        card = GridCard(
            session=session,
            start=session.start.astimezone(tz) if session.start else None,
            end=session.end.astimezone(tz) if session.end else None,
            conflicts=by_session.get(session.pk, []),
        )
        if session.is_scheduled:
            placed[card.start.date()].append(card)
        else:
            unscheduled.append(card)

    dates = set(placed)
    if edition.start_date and edition.end_date:
        day = edition.start_date
        while day <= edition.end_date:
            dates.add(day)
            day += datetime.timedelta(days=1)

    days = []
    for date in sorted(dates):
        first, last = _day_rows(date, placed.get(date, []), tz)
        cells: dict[tuple[int, datetime.datetime], GridCell] = {}
        rows = []
        moment = first
        while moment < last:
            row_cells = [GridCell(room=room, start=moment) for room in rooms]
            cells.update({(cell.room.pk, moment): cell for cell in row_cells})
            rows.append(GridRow(start=moment, cells=row_cells))
            moment += SLOT
        by_room: dict[int, list[GridCard]] = defaultdict(list)
        for card in placed.get(date, []):
            cells[(card.session.room_id, _floor(card.start))].cards.append(card)
            by_room[card.session.room_id].append(card)
        room_lanes = [assign_lanes(by_room.get(room.pk, [])) for room in rooms]
        in_edition = bool(
            edition.start_date
            and edition.end_date
            and edition.start_date <= date <= edition.end_date
        )
        days.append(
            GridDay(date=date, rows=rows, in_edition=in_edition, rooms=rooms, room_lanes=room_lanes)
        )

    return ScheduleGrid(
        edition=edition,
        time_zone=tz,
        rooms=rooms,
        days=days,
        unscheduled=unscheduled,
        conflicts=conflicts,
        cancelled_count=cancelled,
    )
