"""Benchmark of the public site's pages at a realistic scale for a forum series.

Builds the demo forum, grows it to a long-running series (EDITIONS editions with their pages,
NEWS news items, STANDARD content pages), then renders each public page many times in-process
(Django's test client: the whole request path, no network) and reports the median and 95th
percentile time and the number of queries of each. Usage:

    make bench                                  # SQLite file bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_bench make bench

Results are appended to bench/RESULTS.md with the machine and the date.
"""

import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("FORUM_ENV_FILE", "")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "bench" / "static"))
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "media"))

EDITIONS = int(os.environ.get("BENCH_EDITIONS", "12"))
NEWS = int(os.environ.get("BENCH_NEWS", "1200"))
STANDARD = int(os.environ.get("BENCH_STANDARD", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
# A large forum's programme: 4 days, 16 rooms, 320 sessions, 160 speakers.
PROGRAMME_ROOMS = int(os.environ.get("BENCH_ROOMS", "16"))
PROGRAMME_SESSIONS = int(os.environ.get("BENCH_SESSIONS", "320"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cms.models import EditionPage, HomePage, NewsIndexPage, NewsPage, StandardPage  # noqa: E402
from cms.services import create_edition_with_page  # noqa: E402
from demo.build import build_demo  # noqa: E402
from forum.models import Edition  # noqa: E402

PAGES = [
    "/",
    "/ja/",
    "/2009-tokyo/",
    "/ja/2009-tokyo/",
    "/news/",
    "/news/?page=60",
    "/news/statement-of-commitment-adopted/",
    "/about/",
    "/search/?q=cooperative",
    "/ja/search/?q=現地視察",
    "/sitemap.xml",
    "/2009-tokyo/programme/",
    "/2009-tokyo/programme/sessions/micro-finance-and-npo-banks/",
    "/2009-tokyo/programme/schedule.ics",
]

BIG = "2027-bench"
BIG_PAGES = [
    f"/{BIG}/programme/",
    f"/{BIG}/programme/?track=track-3",
    f"/{BIG}/programme/speakers/",
    f"/{BIG}/programme/schedule.ics",
    f"/{BIG}/programme/schedule.xml",
    f"/{BIG}/programme/schedule.json",
]


@transaction.atomic
def grow_programme() -> int:
    """A large edition with a full programme and one release (once)."""
    from sessions_app.enums import SessionStatus
    from sessions_app.models import Room, Session, SessionSpeaker, Speaker, Track
    from sessions_app.services.releases import publish_release

    edition = Edition.objects.filter(slug=BIG).first()
    if edition is not None:
        return Session.objects.filter(edition=edition).count()
    edition = Edition(
        slug=BIG,
        number=99,
        name="AFSE 2027",
        year=2027,
        start_date=datetime.date(2027, 11, 1),
        end_date=datetime.date(2027, 11, 4),
        city="Seoul",
        country="KR",
        time_zone="Asia/Seoul",
    )
    create_edition_with_page(edition=edition, publish=True)
    rooms = [
        Room.objects.create(
            edition=edition,
            name=f"Room {i}",
            capacity=200,
            position=i,
            has_interpretation_booths=True,
        )
        for i in range(PROGRAMME_ROOMS)
    ]
    tracks = [
        Track.objects.create(edition=edition, name=f"Track {i}", slug=f"track-{i}")
        for i in range(8)
    ]
    speakers = [
        Speaker.objects.create(
            edition=edition,
            name=f"Speaker {i}",
            name_native=f"발표자 {i}",
            native_language="ko",
            slug=f"speaker-{i}",
            country="KR",
        )
        for i in range(PROGRAMME_SESSIONS // 2)
    ]
    tz = datetime.timezone(datetime.timedelta(hours=9))
    slots_per_day = PROGRAMME_SESSIONS // (4 * PROGRAMME_ROOMS)
    n = 0
    for day in range(4):
        for slot in range(slots_per_day):
            for room in rooms:
                start = datetime.datetime(2027, 11, 1 + day, 9, 0, tzinfo=tz) + datetime.timedelta(
                    minutes=90 * slot
                )
                session = Session.objects.create(
                    edition=edition,
                    title=f"Session {n}: cooperatives and care",
                    slug=f"s-{n}",
                    room=room,
                    track=tracks[n % len(tracks)],
                    start=start,
                    end=start + datetime.timedelta(minutes=75),
                    status=SessionStatus.CONFIRMED,
                    abstract="<p>Practitioners compare experience across Asia.</p>",
                )
                # Each speaker speaks twice: same room, two consecutive slots.
                speaker = speakers[
                    (slot // 2 + day * slots_per_day // 2) * len(rooms) + rooms.index(room)
                ]
                SessionSpeaker.objects.create(session=session, speaker=speaker)
                n += 1
    publish_release(edition=edition, title="v1")
    return n


def measure_renders(snapshot: dict) -> list[str]:
    """Rendering each export from the snapshot, uncached (what a publish pays once)."""
    from sessions_app.exporters import EXPORTS

    rows = []
    for name, export in EXPORTS.items():
        rounds = 3 if name.endswith(".pdf") else 10
        timings = []
        for _ in range(rounds):
            start = time.perf_counter()
            body = export.render(snapshot, base_url="http://bench", language="en")
            timings.append((time.perf_counter() - start) * 1000)
        rows.append(f"| {name} | {statistics.median(timings):.0f} | {len(body) // 1024} |")
        print(rows[-1])
    return rows


def grow() -> dict[str, int]:
    """Grow the demo to the benchmark's scale (once; later runs find it there)."""
    build_demo()
    home = HomePage.objects.get(locale__language_code="en")
    year = 2013
    while Edition.objects.count() < EDITIONS:
        number = Edition.objects.count() + 1
        create_edition_with_page(
            edition=Edition(
                slug=f"{year}-city{number}",
                number=number,
                name=f"AFSE {year}",
                year=year,
                start_date=datetime.date(year, 10, 1),
                end_date=datetime.date(year, 10, 4),
                city=f"City {number}",
                country="TH",
                time_zone="Asia/Bangkok",
                theme="Cooperatives and the commons",
            ),
            publish=True,
        )
        year += 2
    editions = list(Edition.objects.all())
    index = NewsIndexPage.objects.get(slug="news", locale__language_code="en")
    have = NewsPage.objects.count()
    for i in range(have, NEWS):
        page = NewsPage(
            title=f"Announcement {i}: cooperative finance workshop",
            slug=f"announcement-{i}",
            date=datetime.date(2007, 1, 1) + datetime.timedelta(days=3 * i),
            intro="Workers' cooperatives, credit unions and fair-trade groups meet.",
            edition=editions[i % len(editions)],
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    have = StandardPage.objects.count()
    for i in range(have, STANDARD):
        page = StandardPage(
            title=f"Venue guide {i}",
            slug=f"venue-guide-{i}",
            intro="Getting there, accessibility, interpretation booths.",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        home.refresh_from_db()
    return {
        "editions": Edition.objects.count(),
        "edition pages": EditionPage.objects.count(),
        "news items": NewsPage.objects.count(),
        "standard pages": StandardPage.objects.count(),
    }


def measure(client: Client, path: str) -> tuple[float, float, int]:
    for _ in range(3):
        client.get(path)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, len(queries)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    # As in production: hashed, compressed static files (WhiteNoise's manifest).
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    sizes = grow()
    built = time.perf_counter() - started
    big_sessions = grow_programme()
    client = Client()
    rows = []
    for path in PAGES + BIG_PAGES:
        median, p95, queries = measure(client, path)
        rows.append(f"| `{path}` | {median:.1f} | {p95:.1f} | {queries} |")
        print(rows[-1])
    from sessions_app.models import Release

    render_rows = measure_renders(Release.objects.get(edition__slug=BIG).snapshot)
    today = datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    scale = ", ".join(f"{count} {name}" for name, count in sizes.items())
    report = "\n".join(
        [
            "",
            f"## {today} — {connection.vendor}",
            "",
            f"Machine: {machine()}. Database: {connection.vendor}. Data: {scale} "
            f"(both languages for the demo pages). {ROUNDS} requests per page after 3 warm-up "
            f"requests, Django test client in-process, DEBUG off. Data built (or found from an "
            f"earlier run) in {built:.0f} s.",
            "",
            "| page | median ms | p95 ms | queries |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Exports of the {BIG} programme ({big_sessions} sessions, {PROGRAMME_ROOMS} rooms) "
            "rendered from its snapshot without the cache (what publishing a release pays once "
            "per language; the pages above serve them from the cache):",
            "",
            "| export | median ms | KiB |",
            "|---|---|---|",
            *render_rows,
            "",
        ]
    )
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
        results.write(report)
    print(report)


if __name__ == "__main__":
    main()
