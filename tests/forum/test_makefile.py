"""`make run` serves at HOST:PORT; the site's own links (mail, .ics) must point there too."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make_run_command(*args: str, env: dict[str, str]) -> str:
    """The runserver line `make run` would execute (dry run: nothing is installed or served)."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(ROOT))}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if "runserver" in line][-1]


def test_make_run_site_url_follows_the_port(tmp_path):
    empty = tmp_path / "env"
    empty.write_text("DEBUG=true\n")
    line = make_run_command("PORT=8111", env={"FORUM_ENV_FILE": str(empty)})
    assert (
        line == "SITE_URL=http://127.0.0.1:8111 .venv/bin/python manage.py runserver 127.0.0.1:8111"
    )


def test_make_run_site_url_follows_host_and_port(tmp_path):
    line = make_run_command("HOST=0.0.0.0", "PORT=9000", "FORUM_ENV_FILE=", env={})
    assert line == "SITE_URL=http://0.0.0.0:9000 .venv/bin/python manage.py runserver 0.0.0.0:9000"


def test_make_run_keeps_site_url_set_in_the_environment(tmp_path):
    line = make_run_command(
        "PORT=8111", env={"SITE_URL": "https://forum.example.org", "FORUM_ENV_FILE": ""}
    )
    assert line == ".venv/bin/python manage.py runserver 127.0.0.1:8111"


def test_make_run_keeps_site_url_set_in_the_env_file(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("DEBUG=true\nSITE_URL=https://forum.example.org\n")
    line = make_run_command("PORT=8111", env={"FORUM_ENV_FILE": str(env_file)})
    assert line == ".venv/bin/python manage.py runserver 127.0.0.1:8111"
