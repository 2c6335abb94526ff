"""Benchmark of the email outbox: N outbox rows sent by a real Celery worker (prefork,
concurrency 2: one worker, two processes) on Redis into a local SMTP sink (aiosmtpd on
loopback), each exactly once.

One run, in this tree:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_email_bench \
    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/email_bench.py [N]

Before and after in one go (another checkout of the project, e.g. the commit before the mail
app: `git worktree add /tmp/mail-base <commit>`), each on a database of its own (the
DATABASE_URL's name with `_before` / `_after`), printing both blocks and the ratio:

    REDIS_URL=redis://127.0.0.1:6391/0 .venv/bin/python bench/email_bench.py \
        --compare /tmp/mail-base [N]

The rows are queued the way the site queues them: through the outbox's
`enqueue_after_commit` inside one transaction (BENCH_MODE=bulk: an announcement, the
reminders, a release's notices), or one transaction per email (BENCH_MODE=single: people
registering one by one). The database is migrated and its outbox emptied first; the Redis
database's queues are purged. The clock runs from the transaction's commit (or the first
email's) to the last message received. Then every row must be SENT after one attempt and the
sink must hold each Message-ID exactly once. Prints a Markdown block with the machine, the
date and the load average.

The SMTP sink runs in the bench's own process by default (BENCH_SINK=thread, as the first
measurements did), or in a process of its own (BENCH_SINK=process): then the CPU it spends is
counted apart from the bench's, and both are printed per email (aiosmtpd costs about as much
CPU per message as the outbox's worker, on the same cores).
"""

import argparse
import collections
import datetime
import importlib
import importlib.util
import multiprocessing
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("count", nargs="?", type=int, default=int(os.environ.get("BENCH_EMAILS", 3000)))
parser.add_argument("--root", type=Path, default=HERE, help="the checkout to measure")
parser.add_argument("--compare", type=Path, help="a checkout to measure first, as 'before'")
parser.add_argument("--label", default="", help="a name for the run (before / after)")
ARGS = parser.parse_args()

COUNT = ARGS.count
ROOT = ARGS.root.resolve()
MODE = os.environ.get("BENCH_MODE", "bulk")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
# Messages each worker process may hold ahead: emails are short tasks, so a worker that
# serves the email queue can take several at a time (the project default is 1, for PDFs).
PREFETCH = int(os.environ.get("BENCH_PREFETCH", "8"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "300"))
SINK = os.environ.get("BENCH_SINK", "thread")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/forum_email_bench"


def compare(before: Path) -> None:
    """Run the bench on `before`, then on this checkout, and print both and the ratio."""
    database = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    rates = {}
    for label, root in (("before", before), ("after", HERE)):
        env = {**os.environ, "DATABASE_URL": f"{database}_{label}"}
        command = [sys.executable, __file__, str(COUNT), "--root", str(root), "--label", label]
        result = subprocess.run(  # noqa: S603 (this script, fixed arguments)
            command, env=env, capture_output=True, text=True, check=False
        )
        print(result.stdout, end="")
        if result.returncode:
            print(result.stderr[-4000:], file=sys.stderr)
            raise SystemExit(f"the {label} run failed")
        rates[label] = float(result.stdout.rsplit("RATE ", 1)[1].split()[0])
    print(
        f"\n**Ratio (after / before), {MODE}: {rates['after'] / rates['before']:.2f} times** "
        f"({rates['before']:.0f} → {rates['after']:.0f} emails/s)"
    )


if ARGS.compare:
    compare(ARGS.compare)
    raise SystemExit(0)

sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("FORUM_ENV_FILE", "")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The worker keeps its database connection between tasks (as a production worker should).
os.environ.setdefault("CONN_MAX_AGE", "600")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from forum.celery import app as celery_app  # noqa: E402

# The outbox is in the core mail app since issue 10, in registration before it.
HAS_MAIL_QUEUE = importlib.util.find_spec("mail") is not None
OUTBOX_APP = "mail" if HAS_MAIL_QUEUE else "registration"
EmailStatus = importlib.import_module(f"{OUTBOX_APP}.enums").EmailStatus
OutboxEmail = importlib.import_module(f"{OUTBOX_APP}.models").OutboxEmail
enqueue_after_commit = importlib.import_module(f"{OUTBOX_APP}.services.outbox").enqueue_after_commit


class Sink:
    def __init__(self, shared_total=None):
        self.lock = threading.Lock()
        self.ids: collections.Counter = collections.Counter()
        self.peers: set = set()
        self.total = 0
        self.shared_total = shared_total  # a counter the bench reads, in a sink of its own

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        for line in envelope.original_content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                with self.lock:
                    self.ids[line.split(b":", 1)[1].strip().decode()] += 1
                    self.peers.add(session.peer)
                    self.total += 1
                    if self.shared_total is not None:
                        self.shared_total.value = self.total
                break
            if not line:
                break
        return "250 OK"


class SinkProcess:
    """The sink in a process of its own (forked before the worker starts): `total` is read
    while it runs; the Message-IDs and peers come back when it stops."""

    def __init__(self, port: int):
        context = multiprocessing.get_context("fork")
        self.shared_total = context.Value("q", 0, lock=False)
        self.stop_event = context.Event()
        ready = context.Event()
        self.results, child_end = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(port, ready, child_end), daemon=True)
        self.process.start()
        if not ready.wait(15):
            raise SystemExit("the SMTP sink process did not start")
        self.lock = threading.Lock()
        self.ids: collections.Counter = collections.Counter()
        self.peers: set = set()

    @property
    def total(self) -> int:
        return self.shared_total.value

    def _run(self, port: int, ready, results) -> None:
        sink = Sink(self.shared_total)
        controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=10)
        controller.start()
        ready.set()
        self.stop_event.wait()
        controller.stop()
        results.send((sink.ids, sink.peers))

    def cpu(self) -> float:
        return process_tree_cpu(self.process.pid)

    def stop(self) -> None:
        self.stop_event.set()
        self.ids, self.peers = self.results.recv()
        self.process.join(10)


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


def write_rows() -> list[int]:
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
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "forum",
        "worker",
        *(["-Q", "celery,mail"] if HAS_MAIL_QUEUE else []),
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


def queue(ids: list[int]) -> None:
    """Queue the rows as the site does: after the commit of the transaction that wrote them."""
    if MODE == "single":
        for email_id in ids:
            with transaction.atomic():
                enqueue_after_commit(email_id=email_id)
        return
    with transaction.atomic():
        for email_id in ids:
            enqueue_after_commit(email_id=email_id)


def main() -> None:
    if not settings.REDIS_URL:
        raise SystemExit("set REDIS_URL: the bench needs a real broker")
    ensure_database()
    ids = write_rows()
    expected = set(OutboxEmail.objects.values_list("message_id", flat=True))
    celery_app.control.purge()

    port = free_port()
    if SINK == "process":
        sink = SinkProcess(port)
        controller = sink
        sink_cpu = sink.cpu
    else:
        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=10)
        controller.start()
        # The bench's process: the sink's thread (and this one, polling every 10 ms).
        sink_cpu = process_self_cpu
    log = Path(tempfile.gettempdir()) / f"email-bench-worker-{os.getpid()}.log"
    worker = start_worker(port, log)
    time.sleep(1.0)  # let the worker's start-up settle before the clock runs
    load_before = os.getloadavg()
    cpu_before = process_tree_cpu(worker.pid)
    sink_cpu_before = sink_cpu()
    try:
        started = time.perf_counter()
        queue(ids)
        queued = time.perf_counter() - started
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            with sink.lock:
                if sink.total >= COUNT:
                    break
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        # CPU time of the worker and its pool processes while they sent (start-up excluded).
        worker_cpu = process_tree_cpu(worker.pid) - cpu_before
        sink_cpu_used = sink_cpu() - sink_cpu_before
        time.sleep(1.0)  # anything sent twice would arrive now
        load_during = os.getloadavg()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        controller.stop()
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
    label = f" ({ARGS.label})" if ARGS.label else ""
    print(
        "\n".join(
            [
                f"### Email outbox bench{label} — {now:%Y-%m-%d %H:%M} UTC",
                "",
                f"- code: {ROOT} at {git_head()}; outbox in "
                f"{'mail (queue `mail`)' if HAS_MAIL_QUEUE else 'registration (default queue)'}",
                f"- machine: {platform.node()}, {os.cpu_count()} cores, Python "
                f"{platform.python_version()}, {connection.vendor}, Redis broker",
                f"- worker: prefork, concurrency {CONCURRENCY}, prefetch multiplier {PREFETCH}, "
                f"CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}"
                f"{batch_size()}"
                "; SMTP sink: aiosmtpd on loopback, "
                + ("in a process of its own" if SINK == "process" else "in the bench's process"),
                f"- {COUNT} outbox rows queued through `enqueue_after_commit`, "
                f"{'one transaction' if MODE == 'bulk' else 'one transaction each'} "
                f"(BENCH_MODE={MODE}): {queued:.2f} s",
                f"- {sink.total} messages received in {elapsed:.2f} s: **{rate:.0f} emails/s**"
                f" over {len(sink.peers)} SMTP connection(s)",
                f"- load average (1 min) before / at the end: {load_before[0]:.2f} / "
                f"{load_during[0]:.2f} (the machine is shared)",
                f"- worker CPU while sending (main + pool processes): {worker_cpu:.1f} s, "
                f"{1000 * worker_cpu / max(sink.total, 1):.2f} ms per email; "
                f"{'SMTP sink' if SINK == 'process' else 'bench process (with the sink)'}: "
                f"{sink_cpu_used:.1f} s, {1000 * sink_cpu_used / max(sink.total, 1):.2f} ms "
                "per email",
                f"- rows by status: {dict(statuses)}; by attempts: {dict(attempts)}",
                f"- distinct Message-IDs received: {len(sink.ids)}; sent twice: {duplicates}; "
                f"exactly once: {'yes' if exactly_once else 'NO'}",
                f"<!-- RATE {rate:.1f} -->",
            ]
        )
    )
    if not exactly_once:
        raise SystemExit(1)


def batch_size() -> str:
    return f", EMAIL_BATCH_SIZE {settings.EMAIL_BATCH_SIZE}" if HAS_MAIL_QUEUE else ""


def process_tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def process_self_cpu() -> float:
    times = os.times()
    return times.user + times.system


def git_head() -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


if __name__ == "__main__":
    main()
