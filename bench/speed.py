# ruff: noqa: S101, S108, S603, S607, RUF001
"""Bench of the public programme (issue 14): before and after a change, in one run.

The baseline is a git ref checked out in a temporary worktree (BENCH_BASE, default the commit
before the speed work); "after" is this tree. Both serve the same generated data at the scale
of a large forum: 4 days, 12 rooms, 6 tracks, 300 sessions, 400 speakers, one release. The data
is built once with the baseline's code into forum_speed_base and copied (createdb -T) to
forum_speed_head, which the current code migrates. Each tree is measured in a subprocess of its
own, in-process with Django's test client (the whole request path, middleware included, no
network and no web server), DEBUG off, against its own Redis database on a Redis the bench may
flush (BENCH_REDIS, default redis://127.0.0.1:6390: start one with
`redis-server --port 6390 --save "" --appendonly no --daemonize yes`).

For each page: the median of ROUNDS requests served warm ("cached"), of conditional requests
with the ETag ("304"), of requests with the cache flushed before each ("uncached"), the queries
of one warm and one uncached request, and the bytes of the body with and without
`Accept-Encoding: gzip`.

    .venv/bin/python bench/speed.py                # prints a Markdown table
    BENCH_BASE=a4fba3e BENCH_ROUNDS=30 .venv/bin/python bench/speed.py

The subprocesses are started with `bench/speed.py measure <root> <database> <redis db>`.
"""

import datetime
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
BASE_REF = os.environ.get("BENCH_BASE", "a4fba3e")
BASE_TREE = Path(os.environ.get("BENCH_BASE_TREE", "/tmp/speed-base"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6390")
# One Redis database for everything (broker and cache of both trees), for a session that shares
# a Redis with others and owns a single database of it: BENCH_REDIS_DB=13.
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "8"))
PDF_ROUNDS = int(os.environ.get("BENCH_PDF_ROUNDS", "1"))
SLUG = "2031-bench"
# The two databases (a session sharing the machine picks a prefix of its own).
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "forum_speed")
BASE_DB, HEAD_DB = f"{DB_PREFIX}_base", f"{DB_PREFIX}_head"
DAYS, ROOMS, TRACKS, SESSIONS, SPEAKERS = 4, 12, 6, 300, 400


def env_for(root: Path, database: str, redis_db: int) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "forum.settings",
            "FORUM_ENV_FILE": "",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"{PG}/{database}",
            "REDIS_URL": f"{REDIS}/{REDIS_DB or redis_db + 8}",
            "REDIS_CACHE_URL": f"{REDIS}/{REDIS_DB or redis_db}",
            "LOG_LEVEL": "ERROR",
            "STATIC_ROOT": str(root / "bench" / "static"),
            "MEDIA_ROOT": str(root / "bench" / "media"),
            "PYTHONPATH": str(root),
        }
    )
    return env


# --- Inside a tree (subprocess) -----------------------------------------------------------


def setup(root: str) -> None:
    sys.path.insert(0, root)
    os.chdir(root)
    import django

    django.setup()


def build() -> None:
    """The demo forum, then the bench edition with its programme and one release."""
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from demo.build import build_demo

    build_demo()
    from cms.services import create_edition_with_page
    from forum.models import Edition
    from sessions_app.enums import SessionStatus
    from sessions_app.models import Room, Session, SessionSpeaker, Speaker, Track
    from sessions_app.services.releases import publish_release

    if Edition.objects.filter(slug=SLUG).exists():
        return
    with transaction.atomic():
        edition = Edition(
            slug=SLUG,
            number=98,
            name="AFSE 2031",
            year=2031,
            start_date=datetime.date(2031, 11, 3),
            end_date=datetime.date(2031, 11, 6),
            city="Seoul",
            country="KR",
            time_zone="Asia/Seoul",
        )
        create_edition_with_page(edition=edition, publish=True)
        rooms = [
            Room.objects.create(edition=edition, name=f"Room {i}", capacity=200, position=i)
            for i in range(ROOMS)
        ]
        tracks = [
            Track.objects.create(edition=edition, name=f"Track {i}", slug=f"track-{i}")
            for i in range(TRACKS)
        ]
        speakers = [
            Speaker.objects.create(
                edition=edition,
                name=f"Speaker {i:03d} Kim",
                name_native=f"발표자 {i}",
                native_language="ko",
                slug=f"speaker-{i}",
                country="KR",
                bio="Organizer of a worker cooperative federation; writes on community "
                "finance, care cooperatives and the commons. " * 2,
            )
            for i in range(SPEAKERS)
        ]
        tz = datetime.timezone(datetime.timedelta(hours=9))
        per_day = SESSIONS // DAYS
        for n in range(SESSIONS):
            day, index = divmod(n, per_day)
            slot, room = divmod(index, ROOMS)
            start = datetime.datetime(2031, 11, 3 + day, 9, 0, tzinfo=tz) + datetime.timedelta(
                minutes=90 * slot
            )
            session = Session.objects.create(
                edition=edition,
                title=f"Session {n}: cooperatives, care and community finance",
                slug=f"s-{n}",
                room=rooms[room],
                track=tracks[n % TRACKS],
                start=start,
                end=start + datetime.timedelta(minutes=75),
                status=SessionStatus.CONFIRMED,
                abstract="<p>Practitioners from across Asia compare how cooperatives, credit "
                "unions and mutual associations finance care work, and what public policy "
                "helped or hindered them. Each speaker brings one case and one number.</p>",
            )
            SessionSpeaker.objects.create(session=session, speaker=speakers[n])
            if n + SESSIONS < SPEAKERS:
                SessionSpeaker.objects.create(session=session, speaker=speakers[n + SESSIONS])
        publish_release(edition=edition, title="v1")


REGISTER = "/2009-tokyo/register/"


def open_registration() -> None:
    """Registration open on the demo's 2009 edition, with a bench ticket type (idempotent)."""
    from django.utils import timezone

    from forum.models import Edition
    from registration.models import RegistrationSettings, TicketType

    edition = Edition.objects.get(slug="2009-tokyo")
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={"opens_at": timezone.now() - datetime.timedelta(days=1), "closes_at": None},
    )
    TicketType.objects.get_or_create(
        edition=edition,
        name="Bench delegate",
        defaults={"capacity": 500, "position": 99, "fee_high": 20000},
    )


def drop_renderings() -> None:
    """Forget this tree's stored renderings (the page cache's answers and the per-release
    renderings), keeping the rest of the cache (Wagtail's site lookups, sessions) warm."""
    from django.core.cache import cache

    client = cache._cache.get_client()
    keys = [*client.scan_iter(match="*:pagecache:page:*"), *client.scan_iter(match="*:programme:*")]
    if keys:
        client.delete(*keys)


def paths() -> list[str]:
    from sessions_app.models import Room

    room = Room.objects.filter(edition__slug=SLUG).order_by("position").first()
    p = f"/{SLUG}/programme/"
    return [
        p,
        f"/ja{p}",
        f"{p}?track=track-3",
        f"{p}sessions/s-42/",
        f"{p}speakers/",
        f"{p}speakers/speaker-7/",
        f"{p}schedule.ics",
        f"{p}schedule.xml",
        f"{p}schedule.json",
        f"{p}tracks/track-1.ics",
        f"{p}rooms/{room.pk}.ics",
        f"{p}sessions/s-42.ics",
        REGISTER,
    ]


CPU: dict[str, list[float]] = {}


def timed(client, path, n, before=None, **headers) -> tuple[list[float], object]:
    """Wall-clock times (ms) of n requests; their CPU times (of this process: the server's
    Python, without the database's and Redis's own) are left in CPU["last"]."""
    times, cpu = [], []
    response = None
    for _ in range(n):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, **headers)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    CPU["last"] = cpu
    return times, response


def measure() -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = {}
    for path in paths():
        row = {}
        cache.clear()
        cold, response = timed(client, path, COLD_ROUNDS, before=cache.clear)
        assert response.status_code == 200, (path, response.status_code)
        row["uncached"] = statistics.median(cold)
        row["uncached_cpu"] = statistics.median(CPU["last"])
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        row["uncached_queries"] = len(queries)
        client.get(path)
        rendered, _response = timed(client, path, COLD_ROUNDS, before=drop_renderings)
        row["rendered"] = statistics.median(rendered)
        row["rendered_cpu"] = statistics.median(CPU["last"])
        drop_renderings()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        row["rendered_queries"] = len(queries)
        for _ in range(3):
            client.get(path)
        warm, response = timed(client, path, ROUNDS)
        row["cached"] = statistics.median(warm)
        row["cached_cpu"] = statistics.median(CPU["last"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        row["cached_queries"] = len(queries)
        # What a browser asks for: the compressed answer.
        warm_gzip, _zipped = timed(client, path, ROUNDS, HTTP_ACCEPT_ENCODING="gzip")
        row["cached_gzip"] = statistics.median(warm_gzip)
        row["cached_gzip_cpu"] = statistics.median(CPU["last"])
        plain = response.content
        row["bytes"] = len(plain)
        zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        row["wire"] = len(zipped.content)
        row["gzip"] = zipped.get("Content-Encoding") == "gzip"
        if row["gzip"] and response.has_header("ETag"):  # (a form's CSRF token differs)
            assert gzip.decompress(zipped.content) == plain, path
        etag = response.get("ETag")
        if etag:
            for kwargs in ({}, {"HTTP_ACCEPT_ENCODING": "gzip"}):
                times, answer = timed(client, path, ROUNDS, HTTP_IF_NONE_MATCH=etag, **kwargs)
                if answer.status_code != 304:
                    row["304" + ("_gzip" if kwargs else "")] = f"{answer.status_code}"
                    continue
                row["304" + ("_gzip" if kwargs else "")] = statistics.median(times)
            # The ETag of the compressed answer (weak) must match as well.
            zetag = zipped.get("ETag")
            if zetag:
                answer = client.get(path, HTTP_IF_NONE_MATCH=zetag, HTTP_ACCEPT_ENCODING="gzip")
                row["304_weak_ok"] = answer.status_code == 304
            with CaptureQueriesContext(connection) as queries:
                client.get(path, HTTP_IF_NONE_MATCH=etag)
            row["304_queries"] = len(queries)
        rows[path] = row
    print(json.dumps(rows))


def measure_pdf(language: str) -> None:
    """The programme book of the bench edition in `language`, in a fresh process (a worker's
    first render): CPU seconds, the growth of the process's peak memory, pages and bytes."""
    import gc
    import io
    import resource

    import pypdf
    from django.conf import settings
    from django.utils import translation

    from sessions_app.exporters import EXPORTS
    from sessions_app.models import Release

    snapshot = Release.objects.get(edition__slug=SLUG).snapshot
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start_cpu, start = time.process_time(), time.perf_counter()
    with translation.override(language):
        body = EXPORTS["programme.pdf"].render(
            snapshot, base_url=settings.SITE_URL, language=language
        )
    row = {
        "cpu_s": time.process_time() - start_cpu,
        "wall_s": time.perf_counter() - start,
        "extra_mib": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
    }
    # The cyclic garbage the render left for the collector, and what collecting it costs
    # (a render may run with the collector off, forum.documents.fonts.collector_paused).
    start_cpu = time.process_time()
    row["gc_after_objects"] = gc.collect()
    row["gc_after_cpu_s"] = time.process_time() - start_cpu
    row["pages"] = len(pypdf.PdfReader(io.BytesIO(body)).pages)
    row["bytes"] = len(body)
    print(json.dumps(row))


def run_pdf(root: Path, database: str, redis_db: int, language: str) -> dict:
    python = str(HERE / ".venv" / "bin" / "python")
    out = subprocess.run(
        [python, __file__, "pdf", str(root), language],
        env=env_for(root, database, redis_db),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pdf_main() -> None:
    """Before and after, alternating, for English and Japanese; BENCH_PDF_ROUNDS times each
    (default 1), the median of the rounds shown, and the least CPU time (the run the machine's
    other work disturbed least) on a row of its own."""
    prepare_base()
    databases()
    lines = [
        f"Load: `{uptime()}`",
        "",
        "| language | measure | before | after | ratio |",
        "|---|---|---|---|---|",
    ]
    for language in ("en", "ja"):
        bases, heads = [], []
        for _round in range(PDF_ROUNDS):
            bases.append(run_pdf(BASE_TREE, BASE_DB, 1, language))
            heads.append(run_pdf(HERE, HEAD_DB, 2, language))
        base = {key: statistics.median(row[key] for row in bases) for key in bases[0]}
        head = {key: statistics.median(row[key] for row in heads) for key in heads[0]}
        if PDF_ROUNDS > 1:
            base["cpu_s_least"] = min(row["cpu_s"] for row in bases)
            head["cpu_s_least"] = min(row["cpu_s"] for row in heads)
        for key in (
            "cpu_s",
            "cpu_s_least",
            "wall_s",
            "extra_mib",
            "gc_after_objects",
            "gc_after_cpu_s",
            "pages",
            "bytes",
        ):
            if key not in base or key not in head:
                continue
            timed = key in ("cpu_s", "cpu_s_least", "wall_s", "extra_mib")
            shown = ratio(base[key], head[key]) if timed else "–"
            lines.append(f"| {language} | {key} | {fmt(base[key])} | {fmt(head[key])} | {shown} |")
        lines.append(
            f"| {language} | cpu_s of each round | "
            + ", ".join(f"{row['cpu_s']:.2f}" for row in bases)
            + " | "
            + ", ".join(f"{row['cpu_s']:.2f}" for row in heads)
            + " | |"
        )
    lines.append(f"\nLoad after: `{uptime()}`")
    print("\n".join(lines))


# --- The driver ---------------------------------------------------------------------------


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def prepare_base() -> None:
    if not BASE_TREE.exists():
        sh("git", "-C", str(HERE), "worktree", "add", "--detach", str(BASE_TREE), BASE_REF)
    for folder in ("node_modules", ".venv"):
        link = BASE_TREE / folder
        if not link.exists() and (HERE / folder).exists():
            link.symlink_to(HERE / folder)


def databases() -> None:
    python = str(HERE / ".venv" / "bin" / "python")
    exists = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", "select datname from pg_database"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if BASE_DB not in exists:
        sh("createdb", "-h", "127.0.0.1", "-U", "postgres", BASE_DB)
        started = time.perf_counter()
        sh(python, __file__, "build", str(BASE_TREE), env=env_for(BASE_TREE, BASE_DB, 1))
        print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if HEAD_DB in exists:
        sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", HEAD_DB)
    sh(
        "createdb",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-T",
        BASE_DB,
        HEAD_DB,
    )
    sh(python, __file__, "migrate", str(HERE), env=env_for(HERE, HEAD_DB, 2))


def run_tree(root: Path, database: str, redis_db: int) -> dict:
    python = str(HERE / ".venv" / "bin" / "python")
    out = subprocess.run(
        [python, __file__, "measure", str(root)],
        env=env_for(root, database, redis_db),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return str(value)


def ratio(before, after) -> str:
    if isinstance(before, float) and isinstance(after, float) and after > 0:
        return f"{before / after:.1f}×"
    return "–"


def main() -> None:
    prepare_base()
    databases()
    load_before = uptime()
    base = run_tree(BASE_TREE, BASE_DB, 1)
    head = run_tree(HERE, HEAD_DB, 2)
    load_after = uptime()
    head_ref = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    lines = [
        f"Run {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC; before = {BASE_REF}, "
        f"after = {head_ref} (+ working tree).",
        f"Load: `{load_before}` → `{load_after}`.",
        "",
        "| page | measure | before | after | ratio |",
        "|---|---|---|---|---|",
    ]
    for path, after in head.items():
        before = base.get(path, {})
        for key, label in (
            ("cached", "cached, median ms"),
            ("cached_cpu", "cached, median CPU ms"),
            ("cached_queries", "cached, queries"),
            ("cached_gzip", "cached (gzip), median ms"),
            ("cached_gzip_cpu", "cached (gzip), median CPU ms"),
            ("304", "304, median ms"),
            ("304_gzip", "304 (gzip), median ms"),
            ("304_queries", "304, queries"),
            ("uncached", "uncached, median ms"),
            ("uncached_cpu", "uncached, median CPU ms"),
            ("uncached_queries", "uncached, queries"),
            ("rendered", "rendered (cache warm, page not stored), median ms"),
            ("rendered_cpu", "rendered, median CPU ms"),
            ("rendered_queries", "rendered, queries"),
            ("bytes", "body, bytes"),
            ("wire", "gzip on the wire, bytes"),
        ):
            counted = key.endswith("queries") or key in ("bytes", "wire")
            shown = ratio(None if counted else before.get(key), after.get(key))
            lines.append(
                f"| `{path}` | {label} | {fmt(before.get(key))} | {fmt(after.get(key))} | {shown} |"
            )
    print("\n".join(lines))
    out = os.environ.get("BENCH_JSON")
    if out:
        Path(out).write_text(
            json.dumps({"base": base, "head": head, "load": [load_before, load_after]})
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "build":
        setup(sys.argv[2])
        build()
    elif command == "migrate":
        setup(sys.argv[2])
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
    elif command == "pdf":
        setup(sys.argv[2])
        measure_pdf(sys.argv[3])
    elif command == "pdf-compare":
        pdf_main()
    elif command == "measure":
        setup(sys.argv[2])
        open_registration()
        measure()
    else:
        main()
