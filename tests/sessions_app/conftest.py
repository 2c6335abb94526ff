"""Fixtures of the programme's tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _source_language():
    """Each test starts in English, whatever language an earlier request left active: writing
    a translated field (`session.title = …`) writes the active language's text (organizers'
    content in several languages, django-modeltranslation), and English is the source."""
    with translation.override("en"):
        yield
