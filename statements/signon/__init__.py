"""Signing on to the adopted statement: the form, the confirmation mail and link, and the list
of signatories with their counts."""
