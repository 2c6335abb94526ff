"""Benchmark: registrations through the web form, served by gunicorn, at 50 concurrent clients.

Prepares the database (migrations, the demo forum, a bench ticket type with SEATS seats on the
2009 Tokyo edition, registration open), starts gunicorn on loopback, then:

1. submit: CLIENTS threads post the registration form TOTAL times in all (each client first
   fetches the form once for its CSRF cookie), timing every POST;
2. confirm: the same clients press "Confirm my email address" for every registration (the
   step that takes a seat or joins the waiting list under the ticket type's row lock);
3. checks that no seat was overbooked: exactly SEATS confirmed, the rest waitlisted.

Reports requests per second and the median / 95th percentile latency of each phase (printed,
and appended to the Markdown file named by BENCH_REPORT if set).
Emails are queued to Redis (no worker runs; the bench's queue is emptied at the end).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_bench_rc \
      REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/registration.py

Everything runs on 127.0.0.1; gunicorn is stopped when the bench ends, even on error.
"""

import datetime
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
ENV = {
    "DJANGO_SETTINGS_MODULE": "forum.settings",
    "FORUM_ENV_FILE": "",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
    "ALLOWED_HOSTS": HOST,
    "SITE_URL": f"http://{HOST}:{PORT}",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    "STATIC_ROOT": str(ROOT / "bench" / "static"),
    "MEDIA_ROOT": str(ROOT / "bench" / "media"),
}
for key, value in ENV.items():
    os.environ.setdefault(key, value)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench-registration.sqlite3'}")

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
TOTAL = int(os.environ.get("BENCH_REGISTRATIONS", "2000"))
SEATS = int(os.environ.get("BENCH_SEATS", "500"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
BASE = f"http://{HOST}:{PORT}/2009-tokyo/register/"
TICKET_NAME = "Bench delegate"

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.build import build_demo  # noqa: E402
from forum.models import Edition  # noqa: E402
from mail.models import OutboxEmail  # noqa: E402
from registration.enums import RegistrationStatus  # noqa: E402
from registration.models import Registration, RegistrationSettings, TicketType  # noqa: E402


def prepare() -> TicketType:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    edition = Edition.objects.filter(slug="2009-tokyo").first()
    if edition is None:
        build_demo()
        edition = Edition.objects.get(slug="2009-tokyo")
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={"opens_at": timezone.now() - datetime.timedelta(days=1), "closes_at": None},
    )
    old = TicketType.objects.filter(edition=edition, name=TICKET_NAME).first()
    if old is not None:
        OutboxEmail.objects.filter(registration__ticket_type=old).delete()
        Registration.objects.filter(ticket_type=old).delete()
        old.delete()
    return TicketType.objects.create(
        edition=edition, name=TICKET_NAME, capacity=SEATS, position=99, fee_high=20000
    )


def start_server() -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "forum.wsgi",
        "--bind",
        f"{HOST}:{PORT}",
        "--workers",
        str(WORKERS),
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        command, cwd=ROOT, env=os.environ.copy(), start_new_session=True
    )
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            try:
                if requests.get(BASE, timeout=15).status_code == 200:
                    return server
            except requests.RequestException:
                time.sleep(0.5)
    except BaseException:
        stop_server(server)
        raise
    stop_server(server)
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def run_phase(jobs: list, work) -> tuple[list[float], int]:
    """Spread `jobs` over CLIENTS threads, each with its own HTTP session; returns the
    latencies of the timed requests and the wall time."""
    latencies: list[float] = []
    failures = []
    lock = threading.Lock()
    chunks = [jobs[i::CLIENTS] for i in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS)

    def client(chunk):
        session = requests.Session()
        state = {}
        barrier.wait(timeout=60)
        for job in chunk:
            took, ok = work(session, state, job)
            with lock:
                latencies.append(took)
                if not ok:
                    failures.append(job)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(client, chunks))
    wall = time.perf_counter() - started
    if failures:
        print(f"  {len(failures)} requests failed, e.g. {failures[:3]}")
    return latencies, wall


def submit(session, state, i):
    if "token" not in state:
        state["token"] = _csrf(session, BASE)
    data = {
        "csrfmiddlewaretoken": state["token"],
        "ticket_type": state_ticket_id,
        "email": f"bench{i}@example.org",
        "name": f"Bench Person {i}",
        "country": "JP",
        "organization_name": "Bench Cooperative",
        "organization_kind": "cooperative",
        "language": "en",
        "consent": "on",
    }
    started = time.perf_counter()
    response = session.post(BASE, data=data, timeout=60, allow_redirects=False)
    took = time.perf_counter() - started
    return took, response.status_code == 302


def confirm(session, state, token):
    url = f"{BASE}confirm/{token}/"
    if "token" not in state:
        state["token"] = _csrf(session, url)
    started = time.perf_counter()
    response = session.post(
        url, data={"csrfmiddlewaretoken": state["token"]}, timeout=60, allow_redirects=False
    )
    took = time.perf_counter() - started
    # A new login rotates the CSRF token: take the new cookie's value for the next one.
    state["token"] = session.cookies.get("csrftoken", state["token"])
    return took, response.status_code == 302


def summary(name: str, latencies: list[float], wall: float) -> str:
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000
    median = statistics.median(ordered) * 1000
    rate = len(ordered) / wall
    line = (
        f"| {name} | {len(ordered)} | {CLIENTS} | {rate:.0f}/s | {median:.0f} ms | {p95:.0f} ms |"
    )
    print(line)
    return line


def purge_queue() -> None:
    if settings.REDIS_URL:
        from forum.celery import app

        app.control.purge()


state_ticket_id = ""


def main() -> None:
    global state_ticket_id
    # Stopped from outside: still stop gunicorn (the finally clause below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    ticket = prepare()
    print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)
    state_ticket_id = str(ticket.pk)
    connection.close()
    server = start_server()
    print(f"gunicorn up ({WORKERS} workers); {CLIENTS} clients", flush=True)
    rows = []
    try:
        latencies, wall = run_phase(list(range(TOTAL)), submit)
        rows.append(summary("submit the form", latencies, wall))
        tokens = list(
            Registration.objects.filter(ticket_type=ticket).values_list(
                "confirmation_token", flat=True
            )
        )
        connection.close()
        latencies, wall = run_phase(tokens, confirm)
        rows.append(summary("confirm the address (takes a seat)", latencies, wall))
    finally:
        stop_server(server)
        purge_queue()
    statuses = Registration.objects.filter(ticket_type=ticket)
    confirmed = statuses.filter(status=RegistrationStatus.CONFIRMED).count()
    waitlisted = statuses.filter(status=RegistrationStatus.WAITLISTED).count()
    verdict = (
        "none overbooked"
        if confirmed == min(SEATS, statuses.count()) and confirmed + waitlisted == statuses.count()
        else "OVERBOOKED OR LOST"
    )
    check = (
        f"{statuses.count()} registrations for {SEATS} seats: {confirmed} confirmed, "
        f"{waitlisted} waitlisted — {verdict}."
    )
    print(check)
    report = [
        "",
        f"### Registration through the web form — {timezone.now().date().isoformat()}",
        "",
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{connection.vendor}, gunicorn {WORKERS} workers, {CLIENTS} concurrent clients "
        "(Python threads with requests, on the same machine).",
        "",
        "| phase | requests | clients | rate | median | p95 |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        check,
        "",
    ]
    print("\n".join(report))
    if os.environ.get("BENCH_REPORT"):
        with Path(os.environ["BENCH_REPORT"]).open("a", encoding="utf-8") as handle:
            handle.write("\n".join(report))
    if verdict != "none overbooked":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
