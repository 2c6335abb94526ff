"""The plenary session: the text in large type for the projector, and the paragraph the committee
puts on it."""
