"""The list of every comment and amendment, filtered and sorted, and supporting a comment."""
