"""Reading the statement: its text (in the reader's language), a paragraph with its discussion,
the general discussion, the changes between versions and the committee's responses."""
