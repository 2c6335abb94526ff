"""The statement's printed outputs: the statement itself and the committee's comment matrix,
printed through the core's documents module (forum.documents.rendering: the safe URL fetcher
and the Noto fonts, so that every script prints)."""
