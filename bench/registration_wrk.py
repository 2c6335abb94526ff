# ruff: noqa: S603, S607, S108, S608
"""Bench: registration through the web form at 50 concurrent clients, driven by wrk (a C load
generator with Lua scripts in bench/wrk/, not Python threads), before and after in one run.

For each tree (BENCH_BASE_TREE, e.g. a worktree of main, then this tree) on a database of its own
copied from a seeded one (BENCH_SEED_DB: migrated, `seed_demo`; built once if missing), it starts
gunicorn (BENCH_WORKERS, default 5), a real Celery worker (prefork, 2 processes, both queues)
sending to an SMTP sink (aiosmtpd, discarding), Redis as broker and cache (BENCH_REDIS_BROKER /
BENCH_REDIS_CACHE, both flushed: give databases of your own), then runs wrk three times:

1. form: GET /2009-tokyo/register/ (a first visit, no cookie), for BENCH_SECONDS;
2. submit: POST the form, each request a new address from a new client address
   (X-Forwarded-For through one trusted proxy: the per-client limit holds for each), with a
   CSRF cookie and token fetched by a GET of the form, for BENCH_SECONDS;
3. confirm: POST "Confirm my email address" for every registration step 2 made (their tokens
   read from the database by this script: the emailed link's token), until all are confirmed
   or BENCH_CONFIRM_SECONDS (default 180) have passed; then those left unconfirmed, if any,
   are listed. The confirmations per second are also counted from the database (first to last
   `email_confirmed_at`): wrk's own count mixes in the second rounds of requests a thread sends
   while the others finish.

A registration on a bench ticket type with BENCH_SEATS seats: after step 3 it checks that exactly
min(seats, registrations) are confirmed and the rest waitlisted (none overbooked), and waits for
the worker to send every email (confirm-your-address and received/waitlisted), reporting how
long that took. It prints a Markdown section (and appends it to BENCH_REPORT if set).

    BENCH_BASE_TREE=/tmp/regspeed-base .venv/bin/python bench/registration_wrk.py

Everything runs on 127.0.0.1 on the one machine: wrk, gunicorn, the worker, PostgreSQL and
Redis share its cores (say how busy it was: the report gives `uptime` before and after).
"""

import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SEED_DB = os.environ.get("BENCH_SEED_DB", "forum_regspeed_seed")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "forum_regspeed_wrk")
BROKER = os.environ.get("BENCH_REDIS_BROKER", "redis://127.0.0.1:6379/11")
CACHE = os.environ.get("BENCH_REDIS_CACHE", "redis://127.0.0.1:6379/12")
PORT = int(os.environ.get("BENCH_PORT", "8771"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8772"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "5"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
SEATS = int(os.environ.get("BENCH_SEATS", "500"))
CONFIRM_SECONDS = int(os.environ.get("BENCH_CONFIRM_SECONDS", "180"))
# How long wrk waits for an answer (with 1,000 clients on 5 workers, a request waits its turn
# for tens of seconds).
WRK_TIMEOUT = os.environ.get("BENCH_WRK_TIMEOUT", "30s")
BASE_URL = f"http://127.0.0.1:{PORT}"
PATH = "/2009-tokyo/register/"
TICKET_NAME = "Bench delegate (wrk)"
VENV = HERE / ".venv" / "bin"


def env_for(root: Path, database: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "forum.settings",
            "FORUM_ENV_FILE": "",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": BASE_URL,
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"{PG}/{database}",
            "CONN_MAX_AGE": "600",
            "REDIS_URL": BROKER,
            "REDIS_CACHE_URL": CACHE,
            "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
            "TRUSTED_PROXY_COUNT": "1",
            "STATIC_ROOT": str(root / "bench" / "static"),
            "MEDIA_ROOT": str(root / "bench" / "media"),
            "PYTHONPATH": str(root),
        }
    )
    return env


def psql(*args: str) -> None:
    subprocess.run(["psql", PG + "/postgres", "-q", "-c", *args], check=True)


def database_for(root: Path, name: str) -> str:
    """A fresh copy of the seeded database for `root`, migrated by its code."""
    if not _database_exists(SEED_DB):
        print(f"building {SEED_DB} (migrate, seed_demo: a few minutes)", flush=True)
        psql(f'CREATE DATABASE "{SEED_DB}"')
        for command in (["migrate", "-v0"], ["seed_demo"]):
            subprocess.run(
                [VENV / "python", "manage.py", *command],
                cwd=HERE,
                env=env_for(HERE, SEED_DB),
                check=True,
                stdout=subprocess.DEVNULL,
            )
    psql(f'DROP DATABASE IF EXISTS "{name}"')
    psql(f'CREATE DATABASE "{name}" TEMPLATE "{SEED_DB}"')
    env = env_for(root, name)
    subprocess.run([VENV / "python", "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    if not (root / "bench" / "static" / "staticfiles.json").exists():
        subprocess.run(
            [VENV / "python", "manage.py", "collectstatic", "-v0", "--noinput"],
            cwd=root,
            env=env,
            check=True,
        )
    return name


def _database_exists(name: str) -> bool:
    out = subprocess.run(
        ["psql", PG + "/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def django_shell(root: Path, database: str, code: str) -> str:
    """Run `code` with `root`'s Django on `database`; returns what it printed."""
    script = "import django\ndjango.setup()\n" + code
    out = subprocess.run(
        [VENV / "python", "-c", script],
        cwd=root,
        env=env_for(root, database),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout


PREPARE = f"""
import datetime
from django.utils import timezone
from forum.models import Edition
from registration.models import RegistrationSettings, TicketType
edition = Edition.objects.get(slug="2009-tokyo")
RegistrationSettings.objects.update_or_create(
    edition=edition,
    defaults={{"opens_at": timezone.now() - datetime.timedelta(days=1), "closes_at": None}},
)
TicketType.objects.filter(edition=edition, name={TICKET_NAME!r}).delete()
ticket = TicketType.objects.create(
    edition=edition, name={TICKET_NAME!r}, capacity={SEATS}, position=99, fee_high=20000
)
print(ticket.pk)
"""

TOKENS = f"""
from registration.models import Registration
for token in Registration.objects.filter(ticket_type__name={TICKET_NAME!r}).values_list(
    "confirmation_token", flat=True
):
    print(token)
"""

CHECK = f"""
import json
from django.db.models import Count
from mail.models import OutboxEmail
from registration.models import Registration
from django.db.models import Max, Min
rows = Registration.objects.filter(ticket_type__name={TICKET_NAME!r})
span = rows.aggregate(
    first=Min("email_confirmed_at"), last=Max("email_confirmed_at"), created=Min("created_at"),
    created_last=Max("created_at"),
)
print(json.dumps({{
    "statuses": dict(rows.values_list("status").annotate(n=Count("pk")).order_by()),
    "confirm_span": (span["last"] - span["first"]).total_seconds() if span["first"] else 0,
    "submit_span": (span["created_last"] - span["created"]).total_seconds()
    if span["created"] else 0,
    "unconfirmed": [
        {{"id": r.pk, "email": r.email, "token": r.confirmation_token[:8] + "…",
          "created_at": r.created_at.isoformat()}}
        for r in rows.filter(status="unconfirmed").order_by("pk")[:20]
    ],
    "emails": dict(
        OutboxEmail.objects.filter(registration__ticket_type__name={TICKET_NAME!r})
        .values_list("status").annotate(n=Count("pk")).order_by()
    ),
}}))
"""


def redis_flush(url: str) -> None:
    match = re.match(r"redis://([^:/]+):(\d+)/(\d+)", url)
    host, port, db = match.groups()
    subprocess.run(["redis-cli", "-h", host, "-p", port, "-n", db, "FLUSHDB"], check=True)


def start(command: list, root: Path, database: str, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=root,
            env=env_for(root, database),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for_page(deadline_seconds: float = 240) -> None:
    deadline = time.monotonic() + deadline_seconds
    error = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(BASE_URL + PATH, timeout=30) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError as problem:
            error = problem
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer: {error}")


def csrf_pair() -> tuple[str, str]:
    """A CSRF cookie and the token of the form it came with (a GET of the form; the server may
    still be answering the requests of the step before)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for attempt in range(5):
        try:
            with opener.open(BASE_URL + PATH, timeout=120) as answer:
                page = answer.read().decode()
            break
        except TimeoutError:
            if attempt == 4:
                raise
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    return cookie, token


def wrk(script: str, *args: str, seconds: int = SECONDS, path: str = PATH, until=None) -> dict:
    """Run wrk with `script` for `seconds`, or until `until()` says the work is done (then
    wrk is interrupted: it stops and reports, as on Ctrl-C)."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CLIENTS}",
        f"-d{seconds}s",
        "--timeout",
        WRK_TIMEOUT,
        "-s",
        str(HERE / "bench" / "wrk" / script),
        BASE_URL + path,
    ]
    if args:
        command += ["--", *args]
    process = subprocess.Popen(command, cwd=HERE, stdout=subprocess.PIPE, text=True)
    while until is not None and process.poll() is None:
        time.sleep(1)
        if until():
            process.send_signal(signal.SIGINT)
            break
    stdout, _ = process.communicate()
    line = next(line for line in stdout.splitlines() if line.startswith("BENCH "))
    print(f"  {script}: {line}", flush=True)
    # The server still answers the requests wrk left in its backlog: wait until it is idle.
    csrf_pair()
    return json.loads(line[len("BENCH ") :])


def _unconfirmed(database: str, tokens: list[str]) -> int:
    listed = ", ".join(f"'{token}'" for token in tokens if re.fullmatch(r"[-\w]+", token))
    out = subprocess.run(
        [
            "psql",
            f"{PG}/{database}",
            "-tAc",
            "SELECT count(*) FROM registration_registration WHERE status = 'unconfirmed' "
            f"AND confirmation_token IN ({listed or 'NULL'})",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of group `pgid` (gunicorn's
    master and workers): a figure of the work done, whatever else the machine runs."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[2]: the process group (field 5 of stat)
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / tick


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()


def git_describe(root: Path) -> str:
    out = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=root, capture_output=True, text=True
    )
    return out.stdout.strip()[:80]


def run_tree(label: str, root: Path, database: str, logs: Path) -> dict:
    print(f"== {label}: {root} ({git_describe(root)})", flush=True)
    database_for(root, database)
    ticket_id = django_shell(root, database, PREPARE).strip()
    redis_flush(BROKER)
    redis_flush(CACHE)
    sink = start(
        [
            VENV / "python",
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{SMTP_PORT}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        root,
        database,
        logs / f"{label}-smtp.log",
    )
    worker = start(
        [
            VENV / "celery",
            "-A",
            "forum",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "-Q",
            "celery,mail",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"regbench-{label}@localhost",
        ],
        root,
        database,
        logs / f"{label}-worker.log",
    )
    server = start(
        [
            VENV / "gunicorn",
            "forum.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--backlog",
            "512",
            "--log-level",
            "warning",
            # One line per request answered: the requests of each step, counted by the server.
            "--access-logfile",
            str(logs / f"{label}-access.log"),
        ],
        root,
        database,
        logs / f"{label}-gunicorn.log",
    )
    access_log = logs / f"{label}-access.log"

    def answered() -> int:
        with access_log.open("rb") as handle:
            return sum(1 for _ in handle)

    def work_of(step: dict, cpu: float, lines: int) -> None:
        """The server's CPU for the step and the requests it answered (those wrk left in
        flight and the driver's own GET included)."""
        step["server_cpu"] = group_cpu(server.pid) - cpu
        step["server_requests"] = answered() - lines

    result = {"label": label, "root": str(root), "commit": git_describe(root)}
    try:
        wait_for_page()
        result["uptime_before"] = uptime()
        for _ in range(2 * WORKERS):  # warm the workers, one request at a time
            csrf_pair()
        cpu, lines = group_cpu(server.pid), answered()
        result["form"] = wrk("form.lua")
        work_of(result["form"], cpu, lines)
        cookie, token = csrf_pair()
        cpu, lines = group_cpu(server.pid), answered()
        result["submit"] = wrk("submit.lua", cookie, token, ticket_id, label)
        work_of(result["submit"], cpu, lines)
        tokens = django_shell(root, database, TOKENS).split()
        result["submit"]["done"] = len(tokens)
        token_file = logs / f"{label}-tokens.txt"
        token_file.write_text("\n".join(tokens) + "\n")
        cookie, token = csrf_pair()
        started = time.monotonic()
        cpu, lines = group_cpu(server.pid), answered()
        result["confirm"] = wrk(
            "confirm.lua",
            cookie,
            token,
            str(token_file),
            str(THREADS),
            PATH,
            seconds=CONFIRM_SECONDS,
            until=lambda: _unconfirmed(database, tokens) == 0,
        )
        result["confirm_wall"] = time.monotonic() - started
        work_of(result["confirm"], cpu, lines)
        left = _unconfirmed(database, tokens)
        if left:
            print(
                f"  confirm: {left} still unconfirmed after {result['confirm_wall']:.0f} s "
                f"(BENCH_CONFIRM_SECONDS={CONFIRM_SECONDS}): "
                + json.dumps(json.loads(django_shell(root, database, CHECK))["unconfirmed"]),
                flush=True,
            )
        result["registrations"] = len(tokens)
        # The worker sends every email the two steps wrote (two per registration).
        started = time.monotonic()
        deadline = started + 600
        while time.monotonic() < deadline:
            check = json.loads(django_shell(root, database, CHECK))
            if not check["emails"].get("pending"):
                break
            time.sleep(2)
        result["mail_drain"] = time.monotonic() - started
        result["check"] = check
        result["uptime_after"] = uptime()
    finally:
        for process in (server, worker, sink):
            stop(process)
    return result


def row(step: str, before: dict, after: dict, count_key: str = "ok") -> str:
    def rate(r):
        return r[count_key] / r["seconds"] if r["seconds"] else 0

    return (
        f"| {step} | {before[count_key]} ok, {before['bad']} not | {rate(before):.0f}/s | "
        f"{before['p50_ms']:.0f} / {before['p95_ms']:.0f} ms | "
        f"{after[count_key]} ok, {after['bad']} not | {rate(after):.0f}/s | "
        f"{after['p50_ms']:.0f} / {after['p95_ms']:.0f} ms |"
    )


def cpu_cell(step: dict) -> str:
    requests, cpu = step.get("server_requests") or 0, step.get("server_cpu") or 0.0
    per = f"{1000 * cpu / requests:.1f} ms" if requests else "-"
    return f"{requests}, {cpu:.1f} s, {per}"


def verdict(result: dict) -> str:
    statuses = result["check"]["statuses"]
    confirmed = statuses.get("confirmed", 0)
    waitlisted = statuses.get("waitlisted", 0)
    total = result["registrations"]
    fine = confirmed == min(SEATS, total) and confirmed + waitlisted == total
    unconfirmed = result["check"].get("unconfirmed") or []
    span = result["check"].get("confirm_span") or 0
    rate = f"{(confirmed + waitlisted) / span:.0f}/s" if span else "-"
    return (
        f"{total} registrations for {SEATS} seats: {confirmed} confirmed, {waitlisted} "
        f"waitlisted — {'none overbooked' if fine else 'OVERBOOKED OR LOST'}"
        + (f" (unconfirmed: {json.dumps(unconfirmed)})" if unconfirmed else "")
        + f"; confirmations from the database: {confirmed + waitlisted} in {span:.1f} s, {rate}"
        f"; emails {result['check']['emails']} (all sent {result['mail_drain']:.0f} s after "
        "the last confirmation)"
    )


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    base = Path(os.environ.get("BENCH_BASE_TREE", "/tmp/regspeed-base"))
    logs = Path(tempfile.mkdtemp(prefix="regbench-"))
    results = [
        run_tree("before", base, f"{DB_PREFIX}_base", logs),
        run_tree("after", HERE, f"{DB_PREFIX}_head", logs),
    ]
    before, after = results
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "",
        f"### Registration through the web form with wrk — {when}",
        "",
        f"wrk {THREADS} threads, {CLIENTS} connections (Lua scripts in bench/wrk/); gunicorn "
        f"{WORKERS} sync workers; a Celery worker (prefork, 2 processes) sending to an aiosmtpd "
        f"sink; PostgreSQL and Redis on loopback; all on this {os.cpu_count()}-core machine, "
        "shared with other sessions. Logs in " + str(logs) + ".",
        "",
        f"- before: `{before['commit']}` — load: {before['uptime_before']} → "
        f"{before['uptime_after']}",
        f"- after: `{after['commit']}` — load: {after['uptime_before']} → {after['uptime_after']}",
        "",
        "| step | before | rate | median / p95 | after | rate | median / p95 |",
        "|---|---|---|---|---|---|---|",
        row(f"GET the form ({SECONDS} s)", before["form"], after["form"]),
        row(f"submit the form ({SECONDS} s)", before["submit"], after["submit"]),
        row("confirm the address (all of them)", before["confirm"], after["confirm"]),
        "",
        "The server's own work in each step (gunicorn's master and workers, from /proc: user +",
        "system CPU over the requests it answered, wrk's in flight and the driver's GETs",
        "included), a figure that depends far less on the machine's other load:",
        "",
        "| step | before: requests, CPU, per request | after: requests, CPU, per request |",
        "|---|---|---|",
        *(
            f"| {step} | {cpu_cell(before[key])} | {cpu_cell(after[key])} |"
            for step, key in (("form", "form"), ("submit", "submit"), ("confirm", "confirm"))
        ),
        "",
        f"- before: {verdict(before)}",
        f"- after: {verdict(after)}",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    (logs / "results.json").write_text(json.dumps(results, indent=2))
    if os.environ.get("BENCH_REPORT"):
        with Path(os.environ["BENCH_REPORT"]).open("a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
