"""The drafting committee's pages: creating the statement and its versions, moving it through
its states, answering amendments, and the moderation of comments (hide, show, dismiss a
report)."""
