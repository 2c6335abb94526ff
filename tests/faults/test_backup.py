"""`manage.py backup` and `manage.py restore`: the demo forum backed up, restored into an empty
PostgreSQL database and an empty media folder, gives the same site: the same registrations,
the same files, and its pages answer."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from wagtail.images import get_image_model

from registration.models import Registration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import hashlib, json
from django.test import Client
from registration.models import Registration
from wagtail.images import get_image_model
references = ",".join(
    Registration.objects.order_by("reference").values_list("reference", flat=True)
)
client = Client()
pages = {path: client.get(path).status_code
         for path in ["/", "/2009-tokyo/", "/2009-tokyo/register/participants/", "/ja/2009-tokyo/"]}
images = {image.file.name: hashlib.sha256(image.file.read()).hexdigest()
          for image in get_image_model().objects.order_by("pk")}
print(json.dumps({"registrations": Registration.objects.count(),
                  "references": hashlib.sha256(references.encode()).hexdigest(),
                  "pages": pages, "images": images}))
"""


def database_url(name: str) -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_database():
    db = connection.settings_dict
    name = f"{db['NAME']}_restore_{os.getpid()}"
    options = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or "postgres",
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**options) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with psycopg.connect(**options) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "true",
            "ALLOWED_HOSTS": "testserver",
            "FORUM_ENV_FILE": "",
            "REDIS_URL": "",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_backup_then_restore_into_an_empty_database_gives_the_same_site(tmp_path, empty_database):
    generated = Path(settings.MEDIA_ROOT) / "document-jobs" / "backup-test.pdf"
    generated.parent.mkdir(parents=True, exist_ok=True)
    generated.write_bytes(b"%PDF-1.7 badges of the backup test")
    archive = tmp_path / "forum-backup.tar.gz"

    call_command("backup", str(archive))

    media = tmp_path / "restored-media"
    env = {"DATABASE_URL": empty_database, "MEDIA_ROOT": str(media)}
    restored = manage("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "Restored the postgresql database and media, private files" in restored.stdout

    checked = manage("shell", "-c", CHECK, env=env)
    assert checked.returncode == 0, checked.stderr
    after = json.loads(checked.stdout.strip().splitlines()[-1])
    references = ",".join(
        Registration.objects.order_by("reference").values_list("reference", flat=True)
    )
    assert after["registrations"] == Registration.objects.count() > 300
    assert after["references"] == hashlib.sha256(references.encode()).hexdigest()
    assert after["pages"] == {
        "/": 200,
        "/2009-tokyo/": 200,
        "/2009-tokyo/register/participants/": 200,
        "/ja/2009-tokyo/": 200,
    }
    images = {}
    for image in get_image_model().objects.order_by("pk"):
        with image.file.open("rb") as file:
            images[image.file.name] = hashlib.sha256(file.read()).hexdigest()
    assert after["images"] == images
    assert len(images) >= 3
    restored_file = media / "document-jobs" / "backup-test.pdf"
    assert restored_file.read_bytes() == b"%PDF-1.7 badges of the backup test"

    # A database with tables is not overwritten by mistake.
    again = manage("restore", str(archive), env=env)
    assert again.returncode == 1
    assert "the database is not empty (use --force to replace it)" in again.stderr
