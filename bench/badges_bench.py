"""Benchmark of a badge batch: BADGES badges (700 by default) for one edition, rendered by a real
Celery worker of concurrency 2 (two pool processes on this 2-core machine) in parts that run in
parallel and are joined with pypdf. Reports the seconds from the job's commit to its file, and
the peak memory of every worker process (VmHWM, the kernel's ru_maxrss of each). Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_rd_bench \\
      REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/badges_bench.py

The database is created if needed and migrated; the bench edition's registrations are made
once (bulk_create). The worker listens on a queue of its own and is stopped at the end.
Figures are printed and appended to bench/RESULTS.md (or BENCH_OUTPUT) with the machine, the
date and the load average (the machine may be shared).
"""

import datetime
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("FORUM_ENV_FILE", "")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "bench" / "static"))
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "media"))

BADGES = int(os.environ.get("BENCH_BADGES", "700"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
TARGET_SECONDS = 6.0
TARGET_MEMORY_MB = 1024
TIMEOUT = 120.0
# Where the figures are appended (bench/RESULTS.md unless told otherwise).
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", str(ROOT / "bench" / "RESULTS.md")))

if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL=postgres://… and REDIS_URL=redis://… (a real worker needs both).")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from forum.celery import app as celery_app  # noqa: E402
from forum.models import Edition  # noqa: E402
from registration.documents.services.batches import start_document_job  # noqa: E402
from registration.enums import DocumentJobKind, DocumentJobStatus  # noqa: E402
from registration.models import DocumentJob, Registration, TicketType  # noqa: E402

SLUG = "2027-badges-bench"
LOAD_BEFORE = (0.0, 0.0, 0.0)
PEOPLE = [
    ("Hiroshi Tanaka", "田中 博", "ja", "JP", "日本労働者協同組合連合会"),
    ("Kim Min-jung", "김민정", "ko", "KR", "한국사회적기업네트워크"),
    ("Anan Chaiyasit", "อนันต์ ชัยสิทธิ์", "th", "TH", ""),
    ("Ram Shrestha", "राम श्रेष्ठ", "ne", "NP", ""),
    ("Maria Santos", "", "", "PH", ""),
    ("Siti Rahmawati", "", "", "ID", ""),
]


def ensure_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_registrations() -> Edition:
    edition, _ = Edition.objects.get_or_create(
        slug=SLUG,
        defaults={
            "number": 99,
            "name": "AFSE 2027",
            "year": 2027,
            "city": "Tokyo",
            "country": "JP",
            "start_date": datetime.date(2027, 11, 7),
            "end_date": datetime.date(2027, 11, 10),
        },
    )
    tickets = [
        TicketType.objects.get_or_create(edition=edition, name=name, defaults={"colour": colour})[0]
        for name, colour in (("Delegate", "#1d5c4d"), ("Observer", "#f5c518"), ("Press", "#9b1c1c"))
    ]
    have = Registration.objects.filter(edition=edition).count()
    Registration.objects.bulk_create(
        [
            Registration(
                edition=edition,
                ticket_type=tickets[i % 3],
                reference=f"B{i:07d}",
                status="confirmed",
                email=f"bench{i}@example.org",
                name=f"{PEOPLE[i % 6][0]} {i:03d}",
                name_native=PEOPLE[i % 6][1],
                name_native_language=PEOPLE[i % 6][2],
                country=PEOPLE[i % 6][3],
                organization_name="Japan Workers' Co-operative Union",
                organization_name_native=PEOPLE[i % 6][4],
                organization_kind="cooperative",
            )
            for i in range(have, BADGES)
        ]
    )
    return edition


def worker_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid] + ([int(p) for p in children.read_text().split()] if children.exists() else [])


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the worker and its pool processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for each in worker_pids(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def peak_memory_mb(pid: int) -> dict[int, float]:
    """VmHWM (peak resident memory) of the worker and each of its pool processes, in MiB."""
    peaks = {}
    for each in worker_pids(pid):
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[each] = int(line.split()[1]) / 1024
    return peaks


def run_job(edition: Edition, queue: str) -> tuple[float, DocumentJob]:
    celery_app.conf.task_default_queue = queue
    started = time.perf_counter()
    with transaction.atomic():
        job = start_document_job(
            edition=edition,
            kind=DocumentJobKind.BADGES,
            filters={"statuses": ["confirmed"], "language": "en"},
            actor=None,
        )
    deadline = started + TIMEOUT
    while time.perf_counter() < deadline:
        job.refresh_from_db()
        if job.status in (DocumentJobStatus.DONE, DocumentJobStatus.FAILED):
            break
        time.sleep(0.02)
    return time.perf_counter() - started, job


def main() -> None:
    ensure_database()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    edition = ensure_registrations()
    queue = f"badges-bench-{uuid.uuid4().hex[:8]}"
    log = Path(tempfile.gettempdir()) / f"{queue}-worker.log"
    env = {**os.environ, "LOG_LEVEL": "INFO"}
    command = [
        sys.executable, "-m", "celery", "-A", "forum", "worker", "--pool=prefork",
        f"--concurrency={CONCURRENCY}", "--loglevel=INFO", "--without-heartbeat",
        "--without-gossip", "--without-mingle", "-n", f"{queue}@localhost", "-Q", queue,
    ]  # fmt: skip
    with log.open("wb") as output:
        worker = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=ROOT, env=env, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + 60
        while f"{queue}@localhost ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the worker did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        global LOAD_BEFORE
        LOAD_BEFORE = os.getloadavg()
        results = []
        for run in range(RUNS):
            cpu_before = cpu_seconds(worker.pid)
            seconds, job = run_job(edition, queue)
            cpu = cpu_seconds(worker.pid) - cpu_before
            if job.status != DocumentJobStatus.DONE:
                sys.exit(f"run {run + 1}: job {job.pk} {job.status}: {job.error}")
            with job.file.open("rb") as pdf:
                pages = len(PdfReader(io.BytesIO(pdf.read())).pages)
            size = job.file.size
            results.append((seconds, pages, size, cpu))
            print(f"run {run + 1}: {job.total} badges, {pages} pages, {size / 1e6:.1f} MB, "
                  f"{seconds:.2f} s, worker CPU {cpu:.2f} s")  # fmt: skip
            job.file.delete(save=False)
        memory = peak_memory_mb(worker.pid)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    report(results, memory)


def report(results, memory) -> None:
    first, rest = results[0], results[1:] or results
    best = min(result[0] for result in rest)
    worst = max(result[0] for result in rest)
    cpu = min(result[3] for result in rest)
    pool_peak = sum(sorted(memory.values())[-CONCURRENCY:])
    total_peak = sum(memory.values())
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Badge batch, {now}",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; PostgreSQL and Redis on loopback; a Celery worker "
        f"--pool=prefork --concurrency={CONCURRENCY}. Load average before the runs: "
        f"{LOAD_BEFORE[0]:.2f} (1 min), {LOAD_BEFORE[1]:.2f} (5 min); after: "
        f"{os.getloadavg()[0]:.2f} (1 min).",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| {BADGES} badges, first run (cold worker: imports, fonts) | {first[0]:.2f} s | |",
        f"| {BADGES} badges, warm runs ({len(rest)}): best / worst | {best:.2f} s / {worst:.2f} s "
        f"| ≤ {TARGET_SECONDS:.0f} s |",
        f"| CPU time of the worker processes, warm run (least) | {cpu:.2f} s "
        f"(≈ {cpu / CONCURRENCY:.2f} s of wall time on {CONCURRENCY} idle cores) | |",
        f"| pages (4 badges to an A4 sheet), file size | {first[1]}, {first[2] / 1e6:.1f} MB | |",
        f"| peak memory, worker processes (VmHWM each, MiB) | "
        f"{', '.join(f'{mb:.0f}' for mb in memory.values())} | |",
        f"| peak memory, all worker processes together | {total_peak:.0f} MiB "
        f"(pool only: {pool_peak:.0f} MiB) | ≤ {TARGET_MEMORY_MB} MiB |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    with OUTPUT.open("a") as results_file:
        results_file.write("\n" + text)


if __name__ == "__main__":
    main()
