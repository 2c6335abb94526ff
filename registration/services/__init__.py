"""Every write of registration: one module per idea (outbox, registrations, waiting lists…)."""
