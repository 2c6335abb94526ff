"""Registration's own mail to participants, beyond the core outbox: announcements (written in
the admin's mail menu) and reminders."""
