"""Benchmark of the statement of commitment's pages at the size of a large forum.

Builds the demo forum, then gives AFSE 2007 Manila a statement of 60 paragraphs in two
versions, 2,400 comments and 600 amendments (3,000 in all), and 1,000 confirmed signatories,
and renders in-process (Django's test client: the whole request path, no network, no page
cache) the statement page for a delegate and for a visitor, the diff page, the response table,
the plenary view and the committee's CSV. Reports the median and 95th percentile server times
and the number of queries. Usage:

    .venv/bin/python bench/statement_bench.py                   # SQLite bench/statement.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_s2_bench .venv/bin/python \\
        bench/statement_bench.py

Results are appended to BENCH_OUTPUT (default bench/STATEMENT-RESULTS.md) with the machine
and the date. Target: statement page ≤ 100 ms median, uncached.
"""

import datetime
import os
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'statement.sqlite3'}")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "bench" / "static"))
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "media"))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
PARAGRAPHS = 60
COMMENTS = 2400
AMENDMENTS = 600
SIGNATORIES = int(os.environ.get("BENCH_SIGNATORIES", "1000"))
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", str(ROOT / "bench" / "STATEMENT-RESULTS.md")))
SLUG = "2007-manila"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.build import build_demo  # noqa: E402
from forum.enums import EditionRoleKind  # noqa: E402
from forum.models import Edition, EditionRole  # noqa: E402
from statements.enums import AmendmentKind, SignatoryKind, StatementState  # noqa: E402
from statements.models import (  # noqa: E402
    Amendment,
    Comment,
    Paragraph,
    Signatory,
    Statement,
    StatementVersion,
)
from statements.services.versions import create_version  # noqa: E402


def _source(version: int) -> str:
    parts = []
    for index in range(PARAGRAPHS):
        if index % 10 == 0:
            parts.append(f"# Section {index // 10 + 1}")
        extra = " and with the care economy" if version == 2 and index % 4 == 0 else ""
        key = f"[{index + 1}] " if version == 2 else ""
        parts.append(
            f"{key}We commit to build the solidarity economy in our communities, paragraph "
            f"{index + 1}, with cooperatives, mutual associations and fair-trade groups{extra}."
        )
    return "\n\n".join(parts)


@transaction.atomic
def grow() -> Statement:
    """The large statement (once; later runs find it)."""
    edition = Edition.objects.get(slug=SLUG)
    statement = Statement.objects.filter(edition=edition).first()
    if statement is not None:
        return statement
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    users = [
        user_model(username=f"bench-delegate-{i}", first_name="Delegate", last_name=str(i))
        for i in range(40)
    ]
    for user in users:
        user.set_unusable_password()
    user_model.objects.bulk_create(users)
    users = list(user_model.objects.filter(username__startswith="bench-delegate-").order_by("pk"))
    EditionRole.objects.bulk_create(
        [EditionRole(edition=edition, user=users[0], role=EditionRoleKind.DRAFTING_COMMITTEE)]
        + [EditionRole(edition=edition, user=u, role=EditionRoleKind.DELEGATE) for u in users[1:]]
    )
    statement = Statement.objects.create(
        edition=edition, title="Manila Statement (benchmark)", created_by=users[0]
    )
    v1 = create_version(statement=statement, actor=users[0], source=_source(1))
    paragraphs = list(Paragraph.objects.filter(statement=statement).order_by("key"))
    Comment.objects.bulk_create(
        Comment(
            statement=statement,
            version=v1,
            paragraph=paragraphs[i % PARAGRAPHS] if i % 20 else None,
            author=users[1 + i % 39],
            body=f"Comment {i}: we should say more about **care work** and women's groups.",
        )
        for i in range(COMMENTS)
    )
    Amendment.objects.bulk_create(
        Amendment(
            statement=statement,
            version=v1,
            kind=AmendmentKind.REPLACE,
            paragraph=paragraphs[i % PARAGRAPHS],
            author=users[1 + i % 39],
            text=f"Amended wording {i} of the paragraph, with the care economy.",
            rationale="Clearer, and closer to what the delegates said.",
        )
        for i in range(AMENDMENTS)
    )
    Statement.objects.filter(pk=statement.pk).update(state=StatementState.COMMENTS_CLOSED)
    statement.refresh_from_db()
    create_version(statement=statement, actor=users[0], source=_source(2))
    now = timezone.now()
    StatementVersion.objects.filter(statement=statement).update(published_at=now)
    Statement.objects.filter(pk=statement.pk).update(
        state=StatementState.OPEN, comment_deadline=now + datetime.timedelta(days=365)
    )
    countries = ["PH", "JP", "KR", "TH", "ID", "MY", "IN", "NP", "FR", "CA"]
    kinds = ["cooperative", "mutual", "nonprofit", "fair_trade", "social_finance"]
    Signatory.objects.bulk_create(
        Signatory(
            statement=statement,
            kind=SignatoryKind.ORGANIZATION if i % 4 else SignatoryKind.PERSON,
            name=f"Signatory {i:05d}",
            name_native=f"署名者 {i}" if i % 3 == 0 else "",
            native_language="ja" if i % 3 == 0 else "",
            country=countries[i % len(countries)],
            organization_kind=kinds[i % len(kinds)] if i % 4 else "",
            email=f"bench-{i}@example.org",
            email_confirmed_at=now,
        )
        for i in range(SIGNATORIES)
    )
    statement.refresh_from_db()
    return statement


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
    import platform

    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    build_demo()
    statement = grow()
    base = f"/{SLUG}/statement/"
    delegate = (
        EditionRole.objects.filter(edition=statement.edition, role=EditionRoleKind.DELEGATE)
        .first()
        .user
    )
    committee = statement.created_by
    rows = []

    def run(label: str, client: Client, path: str) -> None:
        median, p95, queries = measure(client, path)
        rows.append(f"| {label} | `{path}` | {median:.1f} | {p95:.1f} | {queries} |")
        print(rows[-1], flush=True)

    as_delegate = Client()
    as_delegate.force_login(delegate)
    as_committee = Client()
    as_committee.force_login(committee)
    # The fixed cost of any page on this machine at this moment (routing, header, footer).
    run("baseline: the edition's home page, delegate", as_delegate, f"/{SLUG}/")
    run("statement page, delegate (open, counts)", as_delegate, base)
    run("diff v1 → v2, delegate", as_delegate, base + "changes/")
    run("response table, delegate", as_delegate, base + "responses/")
    run("plenary view, delegate", as_delegate, base + "plenary/?p=30")
    run(
        "CSV of 3,000 comments and amendments, committee",
        as_committee,
        base + "committee/export/comments/",
    )
    Statement.objects.filter(pk=statement.pk).update(state=StatementState.SIGN_ON)
    visitor = Client()
    run(f"statement page, visitor (adopted, {SIGNATORIES} signatories)", visitor, base)
    run("response table, visitor", visitor, base + "responses/")
    Statement.objects.filter(pk=statement.pk).update(state=StatementState.OPEN)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    vendor = connection.vendor
    header = (
        f"\n## Statement pages · {timezone.now().date().isoformat()} · {vendor} · {machine()}\n\n"
        f"{PARAGRAPHS} paragraphs in 2 versions, {COMMENTS} comments, {AMENDMENTS} amendments, "
        f"{SIGNATORIES} signatories; {ROUNDS} rounds after 3 warm-ups; in-process test client, "
        f"no page cache; load average {load:.1f} when it ended. Times in ms.\n\n"
        "| page | path | median | p95 | queries |\n|---|---|---|---|---|\n"
    )
    with OUTPUT.open("a", encoding="utf-8") as out:
        out.write(header + "\n".join(rows) + "\n")
    print(f"appended to {OUTPUT}")


if __name__ == "__main__":
    main()
