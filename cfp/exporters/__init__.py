"""The call for proposals' files: one module per output format (proposals_csv: the committee
dashboard's proposals, written by a task into the private storage)."""
