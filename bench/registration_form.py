# ruff: noqa: S101, E402
"""Bench: the registration form's own work, in-process, apart from Wagtail's routing and the
site's base template (issue 14: "the form renders in ≤ 10 ms").

On a seeded database (the wrk bench's copy will do: migrated, `seed_demo`, registration open on
2009-tokyo), DEBUG off, the cache on Redis (REDIS_CACHE_URL), warm, it times ROUNDS runs of each
of, and gives the median CPU time (time.process_time) and wall time, and the queries of one run:

- form alone: the registration view on GET (the cached parts, the form, its cached HTML, the
  seats left, the CSRF token) with its page drawn without the base template: only the
  template's `registration_content` block (what the form page adds to every page);
- form page: GET /2009-tokyo/register/ through Django's test client (middleware, Wagtail's
  routing, the base template and its menus), for comparison;
- submit alone / submit page: the view on POST of a valid form (a new address each time), the
  same way (the view called directly, then through the test client);
- confirm alone / confirm page: "Confirm my email address" (POST) for a registration just made.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_regwrk_wrk_head \\
      REDIS_URL=redis://127.0.0.1:6379/7 REDIS_CACHE_URL=redis://127.0.0.1:6379/8 \\
      .venv/bin/python bench/registration_form.py

BENCH_TREE names another tree to measure (e.g. a worktree of main) with this script.
BENCH_PROFILE=form|submit|confirm (alone), form_page|submit_page|confirm_page (through the test
client) prints a cProfile of that step instead (CPU time: time.process_time).
"""

import os
import statistics
import sys
import time
from pathlib import Path

TREE = Path(os.environ.get("BENCH_TREE", Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(TREE))
os.chdir(TREE)
for key, value in {
    "DJANGO_SETTINGS_MODULE": "forum.settings",
    "FORUM_ENV_FILE": "",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    "TRUSTED_PROXY_COUNT": "0",
    "STATIC_ROOT": str(TREE / "bench" / "static"),  # collected by bench/registration_wrk.py
    "MEDIA_ROOT": str(TREE / "bench" / "media"),
}.items():
    os.environ.setdefault(key, value)
# A broker no worker reads (tasks queued after commit wait there: the outbox rows stay pending,
# deleted at the end); without one, tasks would run in the request.
if not os.environ.get("REDIS_URL"):
    raise SystemExit("REDIS_URL: a Redis database of your own, no worker reading it")

import django

django.setup()

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from forum.models import Edition
from registration.models import Registration, RegistrationSettings, TicketType
from registration.pages import RegistrationPage
from registration.public import views

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
SUBMIT_ROUNDS = int(os.environ.get("BENCH_SUBMIT_ROUNDS", "60"))
PATH = "/2009-tokyo/register/"
TICKET_NAME = "Bench delegate (in-process)"

edition = Edition.objects.get(slug="2009-tokyo")
page = RegistrationPage.objects.live().filter(edition=edition).first().specific
RegistrationSettings.objects.update_or_create(
    edition=edition,
    defaults={"opens_at": timezone.now() - datetime.timedelta(days=1), "closes_at": None},
)
ticket, _ = TicketType.objects.get_or_create(
    edition=edition,
    name=TICKET_NAME,
    defaults={"capacity": 100000, "position": 98, "fee_high": 20000},
)
factory = RequestFactory()


def _block(template_name: str, block: str) -> tuple:
    template = get_template(template_name).template
    nodes = template.nodelist.get_nodes_by_type(BlockNode)
    return template, next(node for node in nodes if node.name == block)


BLOCKS = {
    "registration/register.html": _block("registration/register.html", "registration_content"),
    "registration/confirm.html": _block("registration/confirm.html", "registration_content"),
}


def render_block_only(request, template_name, context=None, status=None, **kwargs):
    """In place of the view's `render`: the page's own block, without the base template."""
    context = dict(context or {}, request=request, csrf_token=get_token(request))
    template, block = BLOCKS[template_name]
    context = Context(context)
    with context.render_context.push_state(template), context.bind_template(template):
        html = block.render(context)
    return HttpResponse(html, status=status or 200)


def _request(method: str, path: str, data=None):
    request = getattr(factory, method)(path, data or {})
    request.user = AnonymousUser()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.META["REMOTE_ADDR"] = f"10.8.{_count[0] // 250 % 250}.{_count[0] % 250}"
    request._messages = FallbackStorage(request)
    request.META["CSRF_COOKIE"] = "x" * 32  # as CsrfViewMiddleware leaves it
    return request


_count = [0]


def _person() -> dict:
    _count[0] += 1
    n = _count[0]
    return {
        "ticket_type": str(ticket.pk),
        "email": f"inproc-{os.getpid()}-{n}@example.org",
        "name": f"Bench Person {n}",
        "country": "JP",
        "organization_name": "Bench Cooperative",
        "organization_kind": "cooperative",
        "language": "en",
        "consent": "on",
    }


def form_alone():
    response = views.register(_request("get", PATH), page, edition)
    assert response.status_code == 200, response.status_code
    return response


def submit_alone():
    response = views.register(_request("post", PATH, _person()), page, edition)
    assert response.status_code == 302, response.content[:2000]
    return response


def _fresh_token() -> str:
    submit_alone()
    return Registration.objects.filter(ticket_type=ticket).latest("pk").confirmation_token


def confirm_alone(token):
    request = _request("post", f"{PATH}confirm/{token}/")
    response = views.confirm(request, page, edition, token)
    assert response.status_code == 302, response.status_code
    return response


client = Client()


def form_page():
    response = client.get(PATH)
    assert response.status_code == 200
    return response


def submit_page():
    address = f"10.9.{_count[0] // 250 % 250}.{_count[0] % 250}"
    response = client.post(PATH, _person(), REMOTE_ADDR=address)
    assert response.status_code == 302, response.status_code
    return response


def confirm_page(token):
    client.cookies.clear()  # a first visit (not logged in), as from the emailed link
    response = client.post(f"{PATH}confirm/{token}/")
    assert response.status_code == 302, response.status_code
    return response


def measure(label: str, work, rounds: int, prepare=None) -> dict:
    args = prepare() if prepare else None
    work(*(() if prepare is None else (args,)))  # warm
    args = prepare() if prepare else None
    queries = []

    def log(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # (Not CaptureQueriesContext: the test client's request_started empties the query log.)
    with connection.execute_wrapper(log):
        work(*(() if prepare is None else (args,)))
    if os.environ.get("BENCH_QUERIES"):
        print(f"-- {label}:", *(q[:200] for q in queries), sep="\n  ")
    cpu, wall = [], []
    for _ in range(rounds):
        args = prepare() if prepare else None
        c0, w0 = time.process_time(), time.perf_counter()
        work(*(() if prepare is None else (args,)))
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {
        "label": label,
        "queries": len(queries),
        "cpu_ms": statistics.median(cpu) * 1000,
        "wall_ms": statistics.median(wall) * 1000,
        "rounds": rounds,
    }


def main() -> None:
    original_render = views.render
    translation.activate("en")
    profile = os.environ.get("BENCH_PROFILE")
    if profile:
        import cProfile
        import pstats

        views.render = render_block_only
        work = {
            "form": form_alone,
            "submit": submit_alone,
            "form_page": form_page,
            "submit_page": submit_page,
        }.get(profile)
        if profile.startswith("confirm"):
            tokens = [_fresh_token() for _ in range(SUBMIT_ROUNDS)]
            confirm = confirm_page if profile == "confirm_page" else confirm_alone
            views.render = original_render
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
            for token in tokens:
                confirm(token)
        else:
            if profile.endswith("_page"):
                views.render = original_render
            work()
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
            for _ in range(ROUNDS if profile == "form" else SUBMIT_ROUNDS):
                work()
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(60)
        for name in os.environ.get("BENCH_PROFILE_CALLERS", "").split(","):
            if name:
                stats.print_callers(name)
        return
    results = []
    views.render = render_block_only
    results.append(measure("form alone (view + its block)", form_alone, ROUNDS))
    results.append(measure("submit alone (view)", submit_alone, SUBMIT_ROUNDS))
    results.append(measure("confirm alone (view)", confirm_alone, SUBMIT_ROUNDS, _fresh_token))
    views.render = original_render
    results.append(measure("form page (test client)", form_page, ROUNDS))
    results.append(measure("submit page (test client)", submit_page, SUBMIT_ROUNDS))
    views.render = render_block_only  # the registrations to confirm, made quickly
    tokens = iter([_fresh_token() for _ in range(SUBMIT_ROUNDS + 2)])
    views.render = original_render
    results.append(
        measure("confirm page (test client)", confirm_page, SUBMIT_ROUNDS, lambda: next(tokens))
    )
    print(f"tree {TREE}, load {os.getloadavg()[0]:.1f}")
    print("| step | queries | median CPU | median wall |")
    print("|---|---|---|---|")
    for r in results:
        print(f"| {r['label']} | {r['queries']} | {r['cpu_ms']:.1f} ms | {r['wall_ms']:.1f} ms |")
    # Leave the database as found: the bench's own registrations and emails go.
    from mail.models import OutboxEmail

    OutboxEmail.objects.filter(registration__ticket_type=ticket).delete()
    Registration.objects.filter(ticket_type=ticket).delete()


if __name__ == "__main__":
    main()
