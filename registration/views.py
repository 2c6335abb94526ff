"""The participant's registration pages (filled in with the forms)."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404


register = confirm = my_registration = edit_registration = cancel = _not_yet
ask_support = session_signup = participants = _not_yet
