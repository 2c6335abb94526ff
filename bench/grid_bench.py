# ruff: noqa: S101, S108, S603, S607, RUF001
"""Bench of the admin schedule grid (issue 14): before and after a change, in one run.

The data is bench/speed.py's: the demo forum plus the edition "2031-bench" (4 days, 12 rooms,
300 sessions, 400 speakers). The baseline is a git ref checked out in a worktree of its own
(BENCH_BASE, default the main branch's commit this work started from, in BENCH_BASE_TREE); its
database is built once (or copied from BENCH_BASE_DB_FROM, an existing bench database of an older
commit, then migrated) and copied for "after", which the current code migrates. Each tree is
measured in a subprocess of its own with Django's test client (the whole request path, middleware
included), DEBUG off, logged in as a superuser.

For each grid (the bench edition and the demo's 2009 edition): the median wall-clock and CPU
time of ROUNDS requests (CPU time is the server's Python only, and what to read on a shared,
loaded machine), the queries of one request, the body's bytes and its gzip size.

    .venv/bin/python bench/grid_bench.py                 # prints a Markdown table
    .venv/bin/python bench/grid_bench.py profile         # cProfile of this tree's grid, top 40

Redis: one database for everything (BENCH_GRID_REDIS, default redis://127.0.0.1:6379/9).
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
os.environ.setdefault("BENCH_BASE", "6cb1e79")
os.environ.setdefault("BENCH_BASE_TREE", "/tmp/grid-base")
os.environ.setdefault("BENCH_DB_PREFIX", "forum_gridbench")
sys.path.insert(0, str(HERE / "bench"))

import speed  # noqa: E402  (bench/speed.py: the data, the trees and the databases)

REDIS_URL = os.environ.get("BENCH_GRID_REDIS", "redis://127.0.0.1:6379/9")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
COPY_FROM = os.environ.get("BENCH_BASE_DB_FROM", "")
GRIDS = ("/admin/programme/2031-bench/grid/", "/admin/programme/2009-tokyo/grid/")


def env_for(root: Path, database: str, redis_db: int) -> dict:
    env = speed_env_for(root, database, redis_db)
    env.update({"REDIS_URL": REDIS_URL, "REDIS_CACHE_URL": REDIS_URL})
    return env


speed_env_for = speed.env_for
speed.env_for = env_for  # the builds and migrations of speed.databases() use one Redis database


def client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="grid-bench", defaults={"is_superuser": True, "is_staff": True}
    )
    browser = Client()
    browser.force_login(user)
    return browser


def measure() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = client()
    rows = {}
    for path in GRIDS:
        for _ in range(2):
            response = browser.get(path)
            assert response.status_code == 200, (path, response.status_code)
        walls, cpus = [], []
        for _ in range(ROUNDS):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = browser.get(path)
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - start_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(path)
        rows[path] = {
            "wall": statistics.median(walls),
            "cpu": statistics.median(cpus),
            "cpu_min": min(cpus),
            "queries": len(queries),
            "bytes": len(response.content),
            "gzip": len(gzip.compress(response.content, compresslevel=6)),
            "cards": response.content.count(b'class="sg-card__title"'),
        }
    print(json.dumps(rows))


def profile() -> None:
    import cProfile
    import pstats

    browser = client()
    browser.get(GRIDS[0])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        browser.get(GRIDS[0])
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def databases() -> None:
    """The baseline's database (copied and migrated if BENCH_BASE_DB_FROM names one), then
    speed.databases(): the copy for this tree, migrated."""
    exists = subprocess.run(
        ["psql", f"{speed.PG}/postgres", "-tAc", "select datname from pg_database"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if COPY_FROM and speed.BASE_DB not in exists:
        speed.sh("createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", COPY_FROM, speed.BASE_DB)
        python = str(HERE / ".venv" / "bin" / "python")
        script = str(HERE / "bench" / "speed.py")
        speed.sh(
            python,
            script,
            "migrate",
            str(speed.BASE_TREE),
            env=env_for(speed.BASE_TREE, speed.BASE_DB, 1),
        )
    speed.databases()


def run_tree(root: Path, database: str, command: str = "measure") -> str:
    python = str(HERE / ".venv" / "bin" / "python")
    out = subprocess.run(
        [python, __file__, command, str(root)],
        env=env_for(root, database, 1),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout


def main() -> None:
    speed.prepare_base()
    databases()
    load_before = speed.uptime()
    base = json.loads(run_tree(speed.BASE_TREE, speed.BASE_DB).strip().splitlines()[-1])
    head = json.loads(run_tree(HERE, speed.HEAD_DB).strip().splitlines()[-1])
    load_after = speed.uptime()
    head_ref = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    lines = [
        f"Run {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC; before = "
        f"{speed.BASE_REF}, after = {head_ref} (+ working tree); {ROUNDS} requests each.",
        f"Load: `{load_before}` → `{load_after}`.",
        "",
        "| grid | measure | before | after | ratio |",
        "|---|---|---|---|---|",
    ]
    for path, after in head.items():
        before = base[path]
        for key, label in (
            ("wall", "median ms"),
            ("cpu", "median CPU ms"),
            ("cpu_min", "fastest CPU ms"),
            ("queries", "queries"),
            ("bytes", "HTML bytes"),
            ("gzip", "gzip bytes"),
            ("cards", "cards"),
        ):
            shown = f"{before[key] / after[key]:.1f}×" if key != "cards" and after[key] else "–"
            lines.append(
                f"| `{path}` | {label} | {speed.fmt(before[key])} | {speed.fmt(after[key])} "
                f"| {shown} |"
            )
    print("\n".join(lines))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "measure":
        speed.setup(sys.argv[2])
        measure()
    elif command == "profile-tree":
        speed.setup(sys.argv[2])
        profile()
    elif command == "profile":
        print(run_tree(HERE, speed.HEAD_DB, "profile-tree"))
    else:
        main()
