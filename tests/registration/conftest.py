"""Fixtures for registration: the Tokyo edition with registration open, and real parts
for the email tests: a local SMTP server (aiosmtpd on a free loopback port) and
a real Celery worker on Redis, started as a separate process on the test database."""

import asyncio
import datetime
import email
import io
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from email import policy
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from pypdf import PdfReader

from forum.celery import app as celery_app
from mail.models import OutboxEmail
from mail.services.outbox import render_outbox_email
from registration.models import RegistrationSettings, TicketType
from tests.factories import documents as doc_factories
from tests.factories.registration import TicketTypeFactory

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 90.0  # a wait, not a speed test: a loaded 2-core machine starts a worker slowly
STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPSink:
    """An SMTP server's handler that keeps every message it accepts; it can refuse the next
    few with a temporary error (451) and answer slowly."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.peers: list = []  # the client's address of each message accepted (its connection)
        self.refusals_left = 0
        self.refused = 0
        self.refusal = "451 4.3.0 Try again later"
        self.delay = 0.0

    def refuse_next(self, count: int) -> None:
        with self.lock:
            self.refusals_left = count

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.refusals_left:
                self.refusals_left -= 1
                self.refused += 1
                return self.refusal
            self.messages.append(
                email.message_from_bytes(envelope.original_content, policy=policy.default)
            )
            self.peers.append(session.peer)
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.messages]

    def wait_for(self, count: int, timeout: float = 30.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1 (a free port): `.port`, `.sink` (what it received)."""
    sink = SMTPSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    controller.sink = sink
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """This process sends through the test SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield smtp_server
    from mail.services.smtp import drop_connection

    drop_connection()


def test_database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{quote(db['NAME'], safe='')}"


def use_broker(url: str) -> None:
    """Point this process's Celery producer at `url` (its connection pools are dropped, so the
    next task sent connects there)."""
    celery_app.conf.broker_url = url
    # Forget the pools (kombu keeps one per broker address, so each address gets its own).
    celery_app._after_fork()


class Worker:
    """A Celery worker process for the registration tasks, on the test database."""

    def __init__(self, *, log: Path, broker_url: str, smtp_port: int, pool="threads", size=2):
        self.log = log
        self.broker_url = broker_url
        self.nodename = f"mail-test-{os.getpid()}-{time.monotonic_ns()}@localhost"
        env = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            # Retries after 1, 2, 4 … seconds, not minutes: the tests watch them happen.
            "EMAIL_RETRY_FIRST_SECONDS": "1",
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "forum",
            "worker",
            f"--pool={pool}",
            f"--concurrency={size}",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            self.nodename,
        ]
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        self._wait_until_ready()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{self.output()}")
            if f"{self.nodename} ready." in self.output():
                return
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"the worker was not ready within {READY_TIMEOUT:.0f} s:\n{self.output()}")

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.output().count(text) >= count:
                return True
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()  # a warm shutdown
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def start_worker(tmp_path):
    """Start registration workers: `start_worker(broker_url=…, smtp_port=…)`; each is stopped
    when the test ends, and the queue it read is emptied first and last."""
    workers: list[Worker] = []
    celery_app.conf.task_always_eager = False  # the autouse fixture restores it
    broker_before = celery_app.conf.broker_url

    def start(*, smtp_port: int, broker_url: str | None = None, **options) -> Worker:
        url = broker_url or settings.REDIS_URL
        use_broker(url)
        if not workers:
            celery_app.control.purge()  # tasks left by an earlier, interrupted run
        worker = Worker(
            log=tmp_path / f"worker-{len(workers)}.log",
            broker_url=url,
            smtp_port=smtp_port,
            **options,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    if workers and workers[-1].broker_url == settings.REDIS_URL:
        celery_app.control.purge()  # a private broker is stopped by its own fixture
    use_broker(broker_before)


class PrivateRedis:
    """A redis-server of the test's own on a free loopback port, stopped and started at will
    (to see what happens while the broker is down)."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        pytest.fail("the private redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    yield redis
    redis.stop()


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, whatever language an earlier request left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def open_edition(edition):
    """2009 Tokyo with registration open since yesterday, in yen."""
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "opens_at": timezone.now() - datetime.timedelta(days=1),
            "closes_at": timezone.now() + datetime.timedelta(days=30),
            "currency": "JPY",
        },
    )
    return edition


@pytest.fixture
def ticket(open_edition):
    """A public ticket type with 2 seats, no approval."""
    return TicketTypeFactory(edition=open_edition, name="Test delegate", capacity=2)


@pytest.fixture
def outbox():
    """The outbox rows written during the test, oldest first; those the worker renders
    (registration's emails) rendered as the worker would before sending them."""

    def rows(**filters):
        return [
            render_outbox_email(row) for row in OutboxEmail.objects.filter(**filters).order_by("pk")
        ]

    OutboxEmail.objects.all().delete()
    return rows


@pytest.fixture
def reg_settings(edition):
    return RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "currency": "JPY",
            "letterhead": "AFSE 2009 Preparatory Committee\n2-3-4 Kanda, Chiyoda-ku, Tokyo",
            "letter_signatory": "Yuki Sato, Secretary General",
        },
    )[0]


@pytest.fixture
def delegate(edition):
    """The edition's "Delegate" ticket type (the demo's, if it has one), in green."""
    return TicketType.objects.update_or_create(
        edition=edition, name="Delegate", defaults={"colour": "#1d5c4d"}
    )[0]


@pytest.fixture
def observer(edition):
    """The edition's "Observer" ticket type (the demo's, if it has one), in yellow."""
    return TicketType.objects.update_or_create(
        edition=edition, name="Observer", defaults={"colour": "#f5c518"}
    )[0]


@pytest.fixture
def tanaka(delegate):
    return doc_factories.RegistrationFactory(
        ticket_type=delegate,
        name="Hiroshi Tanaka",
        name_native="田中 博",
        name_native_language="ja",
        organization_name="Japan Workers' Co-operative Union",
        organization_name_native="日本労働者協同組合連合会",
        country="JP",
        arrival_date=datetime.date(2009, 11, 6),
        departure_date=datetime.date(2009, 11, 11),
    )


def pdf_reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text with every run of white space as one space."""
    return [" ".join(page.extract_text().split()) for page in pdf_reader(pdf).pages]


def font_names(reader: PdfReader) -> set[str]:
    """The embedded fonts' families (ABCDEF+Noto-Sans-JP-117-Bold: "Noto-Sans-JP")."""
    from tests.sessions_app.test_pdf_fonts import embedded_families

    return embedded_families(reader)


def page_sizes_mm(reader: PdfReader) -> set[tuple[int, int]]:
    return {
        (round(float(p.mediabox.width) * 25.4 / 72), round(float(p.mediabox.height) * 25.4 / 72))
        for p in reader.pages
    }


@pytest.fixture
def fetched(caplog):
    """The URLs the safe fetcher served and refused while the test ran, from its log (but the
    data: URLs of the QR codes and the fonts, see tests/sessions_app/test_pdf_fonts.py)."""
    caplog.set_level(logging.DEBUG, logger="forum.documents.fetcher")

    def records(prefix: str) -> list[str]:
        return [
            r.getMessage().removeprefix(prefix)
            for r in caplog.records
            if r.name == "forum.documents.fetcher"
            and r.getMessage().startswith(prefix)
            and not r.getMessage().startswith(prefix + "data:")
            and "/pdf-fonts/" not in r.getMessage()
        ]

    return records


def qr_modules(reader: PdfReader, page: int = 0) -> list[list[bool]]:
    """The QR code printed on `page`, as rows of dark (True) modules, read back from the PNG
    embedded in the PDF (one pixel per module, a border of two)."""
    images = reader.pages[page].images
    assert len(images) == 1
    image = images[0].image.convert("L")
    width, height = image.size
    pixels = image.load()
    return [[pixels[x, y] < 128 for x in range(2, width - 2)] for y in range(2, height - 2)]


def segno_modules(data: str, *, mask: int | None = None) -> list[list[bool]]:
    import segno

    code = segno.make(data, error="m", micro=False, mask=mask)
    return [[bool(m) for m in row] for row in code.matrix]
