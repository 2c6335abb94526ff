"""Back up and restore the whole installation: the database and the uploaded and generated
files, in one tar file (`manage.py backup` / `manage.py restore`).

The archive holds `manifest.json` (what is inside, from which engine), the database (PostgreSQL:
`database.dump`, pg_dump's custom format, restored with pg_restore; SQLite: `database.sqlite3`,
a consistent copy made with SQLite's backup API) and one folder per file storage: `media/`
(MEDIA_ROOT: images, documents, generated PDFs) and, when the project defines a "private"
storage with a folder of its own, `private/`.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


def file_roots() -> dict[str, Path]:
    """The folders of files to keep, by their name in the archive."""
    roots = {"media": Path(settings.MEDIA_ROOT)}
    if "private" in settings.STORAGES:
        location = getattr(storages["private"], "location", None)
        if location and Path(location).resolve() != roots["media"].resolve():
            roots["private"] = Path(location)
    return roots


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def back_up(target: Path) -> dict:
    """Write the archive to `target`; returns its manifest."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"backups of a {vendor} database are not supported")
    roots = file_roots()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": vendor,
        "files": sorted(roots),
    }
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if vendor == "postgresql":
            database = work / "database.dump"
            args, env = _pg_env()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  "--file", str(database), *args], env)  # fmt: skip
        else:
            database = work / "database.sqlite3"
            source = sqlite3.connect(connection.settings_dict["NAME"])
            copy = sqlite3.connect(database)
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(database, arcname=database.name)
            for name, root in roots.items():
                if root.is_dir():
                    archive.add(root, arcname=name)
        partial.replace(target)  # never a half-written archive under the final name
    return manifest


def _database_is_empty() -> bool:
    return "django_migrations" not in connection.introspection.table_names()


def restore(source: Path, *, force: bool = False) -> dict:
    """Restore the archive at `source` into the configured database and file folders.

    Refuses a database that already has tables unless `force` (then its tables are replaced).
    Returns the archive's manifest."""
    with tarfile.open(source, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
        work = Path(work)
        archive.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("this archive was not written by this version's backup command")
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"the archive holds a {manifest['database']} database; this installation uses "
                f"{connection.vendor}"
            )
        if not force and not _database_is_empty():
            raise BackupError("the database is not empty (use --force to replace it)")
        if connection.vendor == "postgresql":
            args, env = _pg_env()
            connection.close()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists",
                  "--single-transaction", *args, str(work / "database.dump")], env)  # fmt: skip
        else:
            connection.close()
            shutil.copyfile(work / "database.sqlite3", connection.settings_dict["NAME"])
        roots = file_roots()
        for name in manifest["files"]:
            if name not in roots:
                raise BackupError(f"the archive has {name}/ files but no storage takes them")
            if (work / name).is_dir():
                roots[name].mkdir(parents=True, exist_ok=True)
                shutil.copytree(work / name, roots[name], dirs_exist_ok=True)
    return manifest
