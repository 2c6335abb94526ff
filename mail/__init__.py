"""Mail, a core service every feature uses: the outbox of email (each email a row first, sent
once by a task after commit, retried with backoff), its Celery tasks and the organizers' email
log in the admin."""
