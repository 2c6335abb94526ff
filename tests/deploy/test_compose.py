"""The container files in docker/: checked without a Docker engine (none runs on CI machines).

The Compose file is validated against the Compose Specification's JSON Schema, read from the
folder FORUM_SPECS_DIR names; the Dockerfile against hadolint; the entrypoint with `sh -n` and
by running it with stand-in commands. No database is used.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from jsonschema.validators import Draft7Validator, validator_for

from tests.conftest import spec_file

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE_FILE = DOCKER / "compose.yaml"
DOCKERFILE = DOCKER / "Dockerfile"
ENTRYPOINT = DOCKER / "entrypoint.sh"
README = ROOT / "README.md"
HADOLINT = Path(sys.executable).parent / "hadolint"

SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")
GUNICORN = [
    "gunicorn",
    "forum.wsgi:application",
    "--bind",
    "0.0.0.0:8000",
    "--workers",
    "3",
    "--access-logfile",
    "-",
]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(spec_file("compose-spec.schema.json").read_text(encoding="utf-8"))
    # The spec declares "https://json-schema.org/draft-07/schema", a spelling jsonschema does not
    # know (it warns and falls back to the newest draft); the schema is draft-07.
    cls = validator_for(schema, default=Draft7Validator)
    cls.check_schema(schema)
    return cls(schema)


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    result = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, arguments = stripped.partition(" ")
            result.append((keyword.upper(), arguments.strip()))
    return result


def _readme_deployment_services() -> set[str]:
    assert README.is_file(), "README.md is missing"
    lines = README.read_text(encoding="utf-8").splitlines()
    assert "## Deployment" in lines, "README.md has no '## Deployment' section"
    names = set()
    in_code = False
    for line in lines[lines.index("## Deployment") + 1 :]:
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and re.match(r"#{1,2} ", line):
            break
        match = re.match(r"\| `([^`]+)`", line)
        if match:
            names.add(match.group(1))
    return names


# The Compose file


def test_compose_file_is_valid_against_the_compose_spec(compose, compose_validator):
    assert isinstance(compose_validator, Draft7Validator)
    compose_validator.validate(compose)
    assert "version" not in compose


def test_compose_spec_validation_rejects_a_misspelt_service_key(compose, compose_validator):
    broken = json.loads(json.dumps(compose))
    broken["services"]["web"]["depends"] = ["postgres"]
    with pytest.raises(jsonschema.ValidationError):
        compose_validator.validate(broken)


def test_compose_defines_the_database_cache_site_worker_and_beat(compose):
    assert set(compose["services"]) == SERVICES


def test_web_worker_and_beat_run_one_image_built_from_the_dockerfile(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    for name in APP_SERVICES:
        build = services[name]["build"]
        assert (COMPOSE_FILE.parent / build["context"]).resolve() == ROOT
        assert (ROOT / build["dockerfile"]).resolve() == DOCKERFILE


def test_web_starts_only_once_postgres_and_redis_are_healthy(compose):
    services = compose["services"]
    depends_on = services["web"]["depends_on"]
    for dependency in ("postgres", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"
        assert services[dependency]["healthcheck"]["test"]


def test_web_serves_gunicorn_on_port_8000_and_the_worker_and_beat_run_celery(compose):
    services = compose["services"]
    assert services["web"]["command"] == GUNICORN
    assert "8000:8000" in services["web"]["ports"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "forum", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "forum", "beat"]


def test_worker_and_beat_turn_off_the_images_http_health_check(compose):
    for name in ("worker", "beat"):
        assert compose["services"][name]["healthcheck"] == {"disable": True}


def test_app_services_share_the_production_environment_and_a_required_secret_key(compose):
    services = compose["services"]
    environments = [services[name]["environment"] for name in APP_SERVICES]
    shared = compose["x-forum-env"]
    for environment in environments:
        assert shared.items() <= environment.items()
    assert shared["DEBUG"] == "false"
    assert shared["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert shared["DATABASE_URL"].startswith("postgres://")
    assert shared["REDIS_URL"].startswith("redis://redis:")


def test_uploaded_media_are_one_volume_shared_by_web_and_worker(compose):
    services = compose["services"]
    for name in ("web", "worker"):
        assert "media:/app/media" in services[name]["volumes"]
    assert {"media", "postgres-data"} <= set(compose["volumes"])


def test_private_files_are_one_volume_shared_by_web_and_worker_outside_media(compose):
    services = compose["services"]
    for name in ("web", "worker"):
        assert "private:/app/private" in services[name]["volumes"]
    assert compose["x-forum-env"]["PRIVATE_MEDIA_ROOT"] == "/app/private"
    assert "private" in compose["volumes"]


def test_readme_deployment_table_names_exactly_the_compose_services(compose):
    named = _readme_deployment_services()
    assert named, "the README's Deployment table names no service"
    missing = named - set(compose["services"])
    assert not missing, f"README names services that compose does not define: {missing}"
    assert named == set(compose["services"])


# The Dockerfile and the entrypoint


def test_dockerfile_final_user_is_not_root():
    users = [arguments for keyword, arguments in _instructions() if keyword == "USER"]
    assert users
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_dockerfile_collects_static_files_at_build_time():
    runs = [arguments for keyword, arguments in _instructions() if keyword == "RUN"]
    assert any("manage.py collectstatic --noinput" in run for run in runs)


def test_dockerfile_bakes_no_secret_key_into_the_image_environment():
    environment = " ".join(arguments for keyword, arguments in _instructions() if keyword == "ENV")
    assert "SECRET_KEY" not in environment


def test_dockerfile_keeps_the_local_virtualenv_and_env_file_out_of_the_image():
    # COPY --exclude needs the Dockerfile frontend 1.19 or newer, hence the syntax line.
    first_line = DOCKERFILE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# syntax=docker/dockerfile:1"
    copies = [arguments for keyword, arguments in _instructions() if keyword == "COPY"]
    project_copy = next(copy for copy in copies if copy.endswith(" . ."))
    for excluded in (".venv", ".env", "db.sqlite3", "media"):
        assert f"--exclude={excluded} " in project_copy


def test_dockerfile_default_command_is_the_web_role():
    instructions = dict(_instructions())
    assert json.loads(instructions["CMD"]) == GUNICORN
    assert json.loads(instructions["ENTRYPOINT"]) == ["/app/docker/entrypoint.sh"]


def test_entrypoint_is_executable():
    assert os.access(ENTRYPOINT, os.X_OK)


def test_entrypoint_is_valid_posix_sh():
    result = subprocess.run(["sh", "-n", str(ENTRYPOINT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("command", "migrate_on_start", "migrates"),
    [
        ("gunicorn", None, True),
        ("gunicorn", "false", False),
        ("celery", None, False),
    ],
)
def test_entrypoint_migrates_only_before_the_web_role(
    tmp_path, command, migrate_on_start, migrates
):
    log = tmp_path / "log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("python", "gunicorn", "celery"):
        stub = bin_dir / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n', encoding="utf-8")
        stub.chmod(0o755)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    if migrate_on_start is not None:
        env["MIGRATE_ON_START"] = migrate_on_start

    result = subprocess.run(
        [str(ENTRYPOINT), command, "--flag"], env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    expected = ["python manage.py migrate --no-input"] if migrates else []
    assert calls == [*expected, f"{command} --flag"]


def test_dockerfile_passes_hadolint():
    assert HADOLINT.is_file(), f"hadolint is not installed at {HADOLINT}"
    result = subprocess.run(
        [str(HADOLINT), str(DOCKERFILE)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == ""


def test_hadolint_is_on_the_lookout():
    """The linter does flag a bad Dockerfile, so its silence above means something."""
    result = subprocess.run(
        [str(HADOLINT), "-"],
        input="FROM python:latest\nRUN apt-get install curl\n",
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DL3007" in result.stdout
