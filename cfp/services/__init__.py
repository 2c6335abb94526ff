"""Writes of the call for proposals: proposals and speakers (proposals.py), review and
assignment (review.py), decisions (decisions.py), sessions in the programme (programme.py) and
the emails (notifications.py, the only module that talks to the outbox)."""
