"""Every write of mail: the outbox (`outbox.py`)."""
