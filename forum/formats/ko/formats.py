"""Date and time formats of ko (Django date syntax; FORMAT_MODULE_PATH).
DAY_FORMAT, DAY_SHORT_FORMAT, SESSION_START_FORMAT and CLOCK_FORMAT are the project's own
(forum.languages.local_date)."""

DATE_FORMAT = "Y년 n월 j일"
TIME_FORMAT = "A g:i"
DATETIME_FORMAT = "Y년 n월 j일 A g:i"
MONTH_DAY_FORMAT = "n월 j일"
YEAR_MONTH_FORMAT = "Y년 n월"
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. A g:i"
DAY_FORMAT = "Y년 n월 j일 (D)"
DAY_SHORT_FORMAT = "n월 j일 (D)"
SESSION_START_FORMAT = "Y년 n월 j일 (D) H:i"
CLOCK_FORMAT = "H:i"
