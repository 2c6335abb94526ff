"""Benchmark of the email outbox: N outbox rows sent by a real Celery worker (prefork,
concurrency 2) on Redis into a local SMTP sink (aiosmtpd on loopback), each exactly once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_email_bench \
    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/email_bench.py [N]

The database is migrated and its outbox emptied first; the Redis database's default queue is
purged. The clock runs from the first task queued to the last message received. Then every
row must be SENT after one attempt and the sink must hold each Message-ID exactly once.
Prints a Markdown block with the machine and the date.
"""

import collections
import datetime
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("FORUM_ENV_FILE", "")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/forum_email_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The worker keeps its database connection between tasks (as a production worker should).
os.environ.setdefault("CONN_MAX_AGE", "600")

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("BENCH_EMAILS", "5000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
# Messages each worker process may hold ahead: emails are short tasks, so a worker that
# serves the email queue can take several at a time (the project default is 1, for PDFs).
PREFETCH = int(os.environ.get("BENCH_PREFETCH", "8"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "300"))

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from kombu import Connection  # noqa: E402

from forum.celery import app as celery_app  # noqa: E402
from mail.enums import EmailStatus  # noqa: E402
from mail.models import OutboxEmail  # noqa: E402
from mail.tasks import task_send_email  # noqa: E402


class Sink:
    def __init__(self):
        self.lock = threading.Lock()
        self.ids: collections.Counter = collections.Counter()
        self.total = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        for line in envelope.original_content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                with self.lock:
                    self.ids[line.split(b":", 1)[1].strip().decode()] += 1
                    self.total += 1
                break
            if not line:
                break
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_database() -> None:
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        name = params.pop("dbname")
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, interactive=False)


def write_rows() -> list[str]:
    OutboxEmail.objects.all().delete()
    rows = [
        OutboxEmail(
            kind="bench",
            to_email=f"participant{n}@example.org",
            language="en",
            subject=f"Bench email {n}",
            body_text=f"Dear participant {n},\n\nThis is email number {n} of the bench.\n" * 3,
            body_html=f"<p>Dear participant {n},</p><p>This is email number {n}.</p>" * 3,
            message_id=f"<bench-{n}-{time.time_ns()}@bench.localhost>",
        )
        for n in range(COUNT)
    ]
    OutboxEmail.objects.bulk_create(rows, batch_size=1000)
    return list(OutboxEmail.objects.order_by("pk").values_list("pk", flat=True))


def start_worker(smtp_port: int, log: Path) -> subprocess.Popen:
    nodename = f"email-bench-{os.getpid()}@localhost"
    env = {
        **os.environ,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "forum",
        "worker",
        "--pool=prefork",
        f"--concurrency={CONCURRENCY}",
        f"--prefetch-multiplier={PREFETCH}",
        "--loglevel=WARNING",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-n",
        nodename,
    ]
    with log.open("wb") as output:
        worker = subprocess.Popen(  # noqa: S603 (a fixed command line)
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    # Ready once the worker's consumer is registered on the queue: ask it with a ping.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"worker exited:\n{log.read_text(errors='replace')}")
        replies = celery_app.control.ping(destination=[nodename], timeout=0.5)
        if replies:
            return worker
    worker.terminate()
    raise SystemExit(f"worker not ready:\n{log.read_text(errors='replace')}")


def main() -> None:
    if not settings.REDIS_URL:
        raise SystemExit("set REDIS_URL: the bench needs a real broker")
    ensure_database()
    ids = write_rows()
    expected = set(OutboxEmail.objects.values_list("message_id", flat=True))
    celery_app.control.purge()

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    log = Path(tempfile.gettempdir()) / f"email-bench-worker-{os.getpid()}.log"
    worker = start_worker(port, log)
    load_before = os.getloadavg()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        started = time.perf_counter()
        with Connection(settings.REDIS_URL) as broker, broker.Producer() as producer:
            for email_id in ids:
                task_send_email.apply_async(kwargs={"email_id": email_id}, producer=producer)
        queued = time.perf_counter() - started
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            with sink.lock:
                if sink.total >= COUNT:
                    break
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        time.sleep(1.0)  # anything sent twice would arrive now
        load_during = os.getloadavg()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        controller.stop()
    # CPU time of the worker and its pool processes (waited for, so counted as our children).
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (children_after.ru_utime - children_before.ru_utime) + (
        children_after.ru_stime - children_before.ru_stime
    )

    statuses = collections.Counter(OutboxEmail.objects.values_list("status", flat=True))
    attempts = collections.Counter(OutboxEmail.objects.values_list("attempts", flat=True))
    duplicates = sum(1 for count in sink.ids.values() if count > 1)
    exactly_once = (
        sink.total == COUNT
        and set(sink.ids) == expected
        and duplicates == 0
        and statuses == {EmailStatus.SENT: COUNT}
    )
    rate = sink.total / elapsed
    now = datetime.datetime.now(datetime.UTC)
    print(
        "\n".join(
            [
                f"### Email outbox bench — {now:%Y-%m-%d %H:%M} UTC",
                "",
                f"- machine: {platform.node()}, {os.cpu_count()} cores, Python "
                f"{platform.python_version()}, {connection.vendor}, Redis broker",
                f"- worker: prefork, concurrency {CONCURRENCY}, prefetch multiplier {PREFETCH}, "
                f"CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}; "
                "SMTP sink: aiosmtpd on loopback",
                f"- {COUNT} outbox rows; queueing the tasks took {queued:.2f} s",
                f"- {sink.total} messages received in {elapsed:.2f} s: **{rate:.0f} emails/s**",
                f"- load average (1 min) before / at the end: {load_before[0]:.2f} / "
                f"{load_during[0]:.2f} (the machine is shared)",
                f"- worker CPU (main + pool processes): {worker_cpu:.1f} s, "
                f"{1000 * worker_cpu / max(sink.total, 1):.2f} ms per email",
                f"- rows by status: {dict(statuses)}; by attempts: {dict(attempts)}",
                f"- distinct Message-IDs received: {len(sink.ids)}; sent twice: {duplicates}; "
                f"exactly once: {'yes' if exactly_once else 'NO'}",
            ]
        )
    )
    if not exactly_once:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
