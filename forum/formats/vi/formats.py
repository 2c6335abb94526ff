"""Date and time formats of vi (Django date syntax; FORMAT_MODULE_PATH).
DAY_FORMAT, DAY_SHORT_FORMAT, SESSION_START_FORMAT and CLOCK_FORMAT are the project's own
(forum.languages.local_date)."""

DATE_FORMAT = "\\N\\g\\à\\y j \\t\\h\\á\\n\\g n \\n\\ă\\m Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i, \\n\\g\\à\\y j \\t\\h\\á\\n\\g n \\n\\ă\\m Y"
MONTH_DAY_FORMAT = "j \\t\\h\\á\\n\\g n"
YEAR_MONTH_FORMAT = "\\t\\h\\á\\n\\g n \\n\\ă\\m Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DAY_FORMAT = "l, \\n\\g\\à\\y j \\t\\h\\á\\n\\g n \\n\\ă\\m Y"
DAY_SHORT_FORMAT = "D, j/n"
SESSION_START_FORMAT = "l, \\n\\g\\à\\y j \\t\\h\\á\\n\\g n \\n\\ă\\m Y, H:i"
CLOCK_FORMAT = "H:i"
