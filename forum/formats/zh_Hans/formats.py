"""Date and time formats of zh_Hans (Django date syntax; FORMAT_MODULE_PATH).
DAY_FORMAT, DAY_SHORT_FORMAT, SESSION_START_FORMAT and CLOCK_FORMAT are the project's own
(forum.languages.local_date)."""

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日 H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
SHORT_DATE_FORMAT = "Y/n/j"
SHORT_DATETIME_FORMAT = "Y/n/j H:i"
DAY_FORMAT = "Y年n月j日 l"
DAY_SHORT_FORMAT = "n月j日 D"
SESSION_START_FORMAT = "Y年n月j日 l H:i"
CLOCK_FORMAT = "H:i"
