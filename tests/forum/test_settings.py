"""The settings module, exercised as an operator would: separate processes with their own
environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "FORUM_ENV_FILE": "",  # ignore the developer's .env
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#x9!q2-production-like-secret-key-of-sufficient-length-and-entropy-4f8a",
    "ALLOWED_HOSTS": "forum.example.org",
    "SITE_URL": "https://forum.example.org",
    "DATABASE_URL": "sqlite:////tmp/forum-check-deploy.sqlite3",
}


def test_check_deploy_prints_no_warnings_in_a_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_without_secret_key_and_debug_off_refuses_to_start_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_without_secret_key_starts_for_local_development():
    result = run_manage("check", env={"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_unreachable_redis_gives_one_clear_error_line():
    # Port 9 (discard) is closed on loopback: the connection is refused at once.
    env = {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:9/0"}
    result = run_manage("check", env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: REDIS_URL is set but Redis at redis://127.0.0.1:9/0")
    assert "unset REDIS_URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_redis_url_password_is_not_printed_when_redis_is_unreachable():
    env = {**PRODUCTION, "REDIS_URL": "redis://:hunter2secret@127.0.0.1:9/0"}
    result = run_manage("check", env=env)
    assert result.returncode == 1
    assert "hunter2secret" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DATABASE_URL", "", "django.db.backends.sqlite3"),
        ("DATABASE_URL", "postgres://u:p@db.internal:5432/forum", "django.db.backends.postgresql"),
    ],
)
def test_database_comes_from_database_url(variable, value, expected):
    env = {"DEBUG": "true"}
    if value:
        env[variable] = value
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_without_redis_url_tasks_run_eagerly_with_a_local_memory_cache_and_console_mail():
    code = (
        "from django.conf import settings; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['BACKEND'], "
        "settings.EMAIL_BACKEND)"
    )
    result = run_manage("shell", "-c", code, env={"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "True django.core.cache.backends.locmem.LocMemCache "
        "django.core.mail.backends.console.EmailBackend"
    )


def test_email_url_selects_an_smtp_server():
    code = (
        "from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
        "settings.EMAIL_USE_TLS)"
    )
    env = {"DEBUG": "true", "EMAIL_URL": "smtp+tls://user:pw@mail.example.org:587"}
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "django.core.mail.backends.smtp.EmailBackend mail.example.org 587 True"
    )
