"""A worker finds every registration and statement task under the name it has always had.

The tasks moved into the concern packages (registration.documents.tasks,
registration.mail.tasks); Celery discovers only `<app>.tasks`, and a message already queued in
Redis names its task by name: a task missing from a fresh worker, or renamed by its new module
path, would be lost after a deployment.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What a worker process does on start: set Django up, then import every app's tasks module.
DISCOVER = """
import json, django
django.setup()
from forum.celery import app
app.loader.import_default_modules()
print(json.dumps({name: task.__module__ for name, task in app.tasks.items()}))
"""

TASK_MODULES = {
    "registration.erase_expired_passport_details": "registration.tasks",
    "registration.notify_session_changes": "registration.tasks",
    "registration.start_document_job": "registration.documents.tasks",
    "registration.render_document_part": "registration.documents.tasks",
    "registration.render_participant_document": "registration.documents.tasks",
    "registration.resume_document_jobs": "registration.documents.tasks",
    "registration.send_reminders": "registration.mail.tasks",
    "registration.send_announcement": "registration.mail.tasks",
    # The outbox's tasks, once registration's, keep their names in the core mail app.
    "registration.send_email": "mail.tasks",
    "registration.sweep_outbox": "mail.tasks",
    "statements.send_digests": "statements.tasks",
    "statements.close_comment_periods": "statements.tasks",
    "statements.render_pdf": "statements.tasks",
}


def test_a_fresh_worker_registers_every_task_under_its_old_name():
    result = subprocess.run(
        [sys.executable, "-c", DISCOVER],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "forum.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    registered = json.loads(result.stdout.strip().splitlines()[-1])
    ours = {
        name: module
        for name, module in registered.items()
        if name.startswith(("registration.", "statements."))
    }
    assert ours == TASK_MODULES
