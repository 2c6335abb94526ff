"""Date and time formats of en (Django date syntax; FORMAT_MODULE_PATH).
DAY_FORMAT, DAY_SHORT_FORMAT, SESSION_START_FORMAT and CLOCK_FORMAT are the project's own
(forum.languages.local_date)."""

DAY_FORMAT = "l j F Y"
DAY_SHORT_FORMAT = "D j M"
SESSION_START_FORMAT = "l j F Y, H:i"
CLOCK_FORMAT = "H:i"
