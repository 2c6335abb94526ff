"""The services of documents: batches of badges (batches), visa letters (letters), one
participant's document rendered on demand (participant)."""
