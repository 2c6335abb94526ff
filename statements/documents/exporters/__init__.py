"""The committee's exports of the statement's discussion, one module per format."""
