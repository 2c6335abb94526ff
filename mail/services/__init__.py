"""Every write of mail: the outbox (`outbox.py`) and the SMTP connection it sends through
(`smtp.py`)."""
