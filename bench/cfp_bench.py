"""Benchmark of the call for proposals' committee pages at scale: the review list and the
dashboard (and its CSV export) of an edition with PROPOSALS proposals (2,000), REVIEWERS
reviewers (30) and REVIEWS_PER_PROPOSAL reviews of each proposal (8: 16,000 reviews with their
scores, about 530 for each reviewer), on PostgreSQL.

Each page is requested RUNS times in-process through Django's test client (the whole stack:
middleware, page routing, selectors, templates; no network), after one warm-up request; the
median and 95th percentile wall time and the number of SQL queries are reported, first with the
demo's call alone (about 40 proposals) and then with the bench data, so that the query counts
can be compared: they must not grow with the data.

The CSV export is a Celery task: the request that starts it (queued on an in-process broker, not
run), the task itself (`write_proposal_export`, what a worker runs), the export's progress page
and the download are measured apart.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_cfp_bench \\
      .venv/bin/python bench/cfp_bench.py

The database is migrated and the demo forum built if missing; the bench data is added once to
the 2011 Malaysia edition (bulk_create; proposals titled "Bench …"). The figures are printed and
appended to bench/RESULTS.md (or BENCH_OUTPUT) with the machine, the date and the load average.
"""

import datetime
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
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
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "media"))
os.environ.setdefault("STATIC_ROOT", str(ROOT / "bench" / "static"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "bench" / "media" / "private"))

PROPOSALS = int(os.environ.get("BENCH_PROPOSALS", "2000"))
REVIEWERS = int(os.environ.get("BENCH_REVIEWERS", "30"))
REVIEWS_PER_PROPOSAL = int(os.environ.get("BENCH_REVIEWS", "8"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
TARGET_MS = 200
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", str(ROOT / "bench" / "RESULTS.md")))

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL=postgres://… (the limit is for PostgreSQL).")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cfp.enums import ProposalState  # noqa: E402
from cfp.models import (  # noqa: E402
    Proposal,
    ProposalSpeaker,
    ProposalType,
    Review,
    ReviewAssignment,
    ReviewCriterion,
    ReviewScore,
)
from cfp.services.exports import write_proposal_export  # noqa: E402
from cfp.services.review import weighted_score  # noqa: E402
from cms.models import EditionPage  # noqa: E402
from forum.celery import app as celery_app  # noqa: E402
from forum.enums import EditionRoleKind  # noqa: E402
from forum.models import Edition, Organization  # noqa: E402
from forum.services import grant_edition_role  # noqa: E402

SLUG = "2011-malaysia"


def prepare() -> Edition:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not Edition.objects.filter(slug=SLUG).exists() or not Proposal.objects.exists():
        from demo.build import build_demo

        build_demo()
    return Edition.objects.get(slug=SLUG)


def _user(username: str, role: str, edition: Edition):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        grant_edition_role(edition=edition, user=user, role=role)
    return user


def add_bench_data(edition: Edition) -> list:
    reviewers = [
        _user(f"bench-reviewer-{n}", EditionRoleKind.PROGRAMME_COMMITTEE, edition)
        for n in range(REVIEWERS)
    ]
    if Proposal.objects.filter(edition=edition, title__startswith="Bench ").exists():
        return reviewers
    rng = random.Random(2000)  # noqa: S311 (bench data)
    types = list(ProposalType.objects.filter(edition=edition))
    criteria = list(ReviewCriterion.objects.filter(edition=edition))
    organizations = list(Organization.objects.all()[:50])
    submitter = _user("bench-submitter", EditionRoleKind.DELEGATE, edition)
    now = timezone.now()
    with transaction.atomic():
        proposals = Proposal.objects.bulk_create(
            Proposal(
                edition=edition,
                submitter=submitter,
                title=f"Bench proposal {n}",
                abstract="How cooperatives share their work. " * 5,
                proposal_type=types[n % len(types)],
                duration=types[n % len(types)].duration_list[0],
                language=rng.choice(["en", "ms", "ja", "ko", "th"]),
                country=rng.choice(["MY", "JP", "KR", "PH", "ID", "TH"]),
                state=ProposalState.SUBMITTED,
                submitted_at=now,
            )
            for n in range(PROPOSALS)
        )
        ProposalSpeaker.objects.bulk_create(
            ProposalSpeaker(
                proposal=p,
                email=f"speaker-{p.pk}@example.org",
                name=f"Speaker {p.pk}",
                is_submitter=True,
                confirmed_at=now,
            )
            for p in proposals
        )
        through = Proposal.organizations.through
        through.objects.bulk_create(
            through(proposal_id=p.pk, organization_id=rng.choice(organizations).pk)
            for p in proposals
        )
        assignments, reviews = [], []
        for index, proposal in enumerate(proposals):
            for k in range(REVIEWS_PER_PROPOSAL):
                person = reviewers[(index + k * 4) % len(reviewers)]
                assignments.append(ReviewAssignment(proposal=proposal, reviewer=person))
                scores = {c.pk: rng.randint(0, 5) for c in criteria}
                review = Review(
                    proposal=proposal,
                    reviewer=person,
                    comment_committee="Fits the theme.",
                    weighted_score=weighted_score(scores, criteria) if criteria else Decimal(0),
                )
                review.bench_scores = scores
                reviews.append(review)
        ReviewAssignment.objects.bulk_create(assignments, batch_size=2000)
        Review.objects.bulk_create(reviews, batch_size=2000)
        ReviewScore.objects.bulk_create(
            (
                ReviewScore(review=review, criterion_id=criterion_id, score=score)
                for review in reviews
                for criterion_id, score in review.bench_scores.items()
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return reviewers


def _timed(call) -> dict:
    """`call()` (returns a response or None) once as a warm-up, then RUNS times."""
    call()
    times, queries, response = [], 0, None
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = call()
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
        "queries": queries,
    }


def _ok(response, status: int = 200):
    if response.status_code != status:
        sys.exit(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return response


def measure(client: Client, url: str) -> dict:
    return _timed(lambda: _ok(client.get(url)))


def measure_export(client: Client, base: str) -> dict[str, dict]:
    """The export's request (its task queued on the in-process broker, not run), its task (as
    a worker runs it), its progress page and its download."""
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "memory://"
    created: list[str] = []

    def start():
        response = _ok(client.post(base + "committee/export/?sort=score"), 302)
        created.append(response["Location"])
        return response

    results = {"CSV export: the request (queues the task)": _timed(start)}
    export_ids = iter([int(url.rstrip("/").rsplit("/", 1)[1]) for url in created])
    results["CSV export: the task (in the worker)"] = _timed(
        lambda: write_proposal_export(export_id=next(export_ids))
    )
    last = created[-1]
    results["CSV export: its progress page"] = measure(client, last)
    results["CSV export: the download"] = measure(client, last + "download/")
    return results


def main() -> None:
    edition = prepare()
    page = EditionPage.objects.filter(edition=edition, locale__language_code="en").first()
    base = page.url + "cfp/"
    organizer = _user("bench-organizer", EditionRoleKind.ORGANIZER, edition)
    first_reviewer = _user("bench-reviewer-0", EditionRoleKind.PROGRAMME_COMMITTEE, edition)
    pages = [
        ("review list (a reviewer)", first_reviewer, base + "review/"),
        ("dashboard (the committee)", organizer, base + "committee/"),
        (
            "dashboard, filtered and sorted by title, page 2",
            organizer,
            base + "committee/?language=ms&sort=title&page=2",
        ),
    ]
    results = {}
    names = [name for name, _user_, _url in pages]
    for label, size in (("demo", None), ("bench", PROPOSALS)):
        if size:
            add_bench_data(edition)
        counts = (
            Proposal.objects.filter(edition=edition).count(),
            Review.objects.filter(proposal__edition=edition).count(),
        )
        for name, user, url in pages:
            client = Client()
            client.force_login(user)
            results[(label, name)] = {**measure(client, url), "data": counts}
        client = Client()
        client.force_login(organizer)
        for name, figures in measure_export(client, base).items():
            results[(label, name)] = {**figures, "data": counts}
            if name not in names:
                names.append(name)
    load = os.getloadavg()
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    lines = [
        "",
        f"## Call for proposals: review list and dashboard ({today})",
        "",
        f"Machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL {connection.pg_version // 10000}; "
        f"load average before the run {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
        "(the machine is shared). In-process test client, "
        f"{RUNS} requests after one warm-up; {REVIEWERS} bench reviewers, "
        f"{REVIEWS_PER_PROPOSAL} reviews of each bench proposal (3 scored criteria each).",
        "",
        "| page | proposals / reviews | median ms | p95 ms | queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for (label, name), r in results.items():
        lines.append(
            f"| {name} ({label}) | {r['data'][0]} / {r['data'][1]} | {r['median']:.0f} | "
            f"{r['p95']:.0f} | {r['queries']} |"
        )
    verdicts = []
    for _name in names:
        small, large = results[("demo", _name)], results[("bench", _name)]
        # The target is a page's answer time; the export's task runs in a worker, not a request.
        target = (
            "a worker's task: no page target"
            if "task" in _name
            else f"{'within' if large['median'] <= TARGET_MS else 'OVER'} the {TARGET_MS} ms target"
        )
        verdicts.append(
            f"- {_name}: queries {small['queries']} → {large['queries']} "
            f"({'constant' if small['queries'] == large['queries'] else 'GROWS'}); median "
            f"{large['median']:.0f} ms at {large['data'][0]} proposals ({target})."
        )
    text = "\n".join([*lines, "", *verdicts, ""])
    print(text)
    with OUTPUT.open("a", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
