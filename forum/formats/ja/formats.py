"""Date and time formats of ja (Django date syntax; FORMAT_MODULE_PATH).
DAY_FORMAT, DAY_SHORT_FORMAT, SESSION_START_FORMAT and CLOCK_FORMAT are the project's own
(forum.languages.local_date)."""

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "Y年n月j日 G:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d G:i"
DAY_FORMAT = "Y年n月j日(D)"
DAY_SHORT_FORMAT = "n月j日(D)"
SESSION_START_FORMAT = "Y年n月j日(D) G:i"
CLOCK_FORMAT = "G:i"
