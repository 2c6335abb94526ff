"""The discussion of a version: comments and replies, reports, amendments and their support,
and each person's notification settings."""
