"""The statement's outputs: the PDF and the comment matrix (pdf/, rendered by a task into the
private storage), the committee's CSV export (exporters/)."""
