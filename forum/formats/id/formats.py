"""Date and time formats of id (Django date syntax; FORMAT_MODULE_PATH).
DAY_FORMAT, DAY_SHORT_FORMAT, SESSION_START_FORMAT and CLOCK_FORMAT are the project's own
(forum.languages.local_date)."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j F Y H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
DAY_FORMAT = "l, j F Y"
DAY_SHORT_FORMAT = "D, j M"
SESSION_START_FORMAT = "l, j F Y, H.i"
CLOCK_FORMAT = "H.i"
