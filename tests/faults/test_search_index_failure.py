"""A search-index update that fails inside an organizer's save rolls back only itself: the save
commits and the request answers (it used to end in a broken transaction and a 500 on SQLite)."""

import modelsearch.index
from django.db import connection, transaction
from wagtail.search.backends import get_search_backend

from forum.models import Edition
from sessions_app.models import Session
from tests.factories.programme import SessionFactory


def test_a_failing_index_update_does_not_break_the_saving_transaction(monkeypatch, edition):
    tried = []

    def failing_add(self, obj):
        tried.append(obj)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO no_such_table_for_the_index VALUES (1)")

    monkeypatch.setattr(type(get_search_backend()), "add", failing_add)
    # Indexed whatever its state (the index skips sessions it does not list publicly).
    monkeypatch.setattr(modelsearch.index, "get_indexed_instance", lambda instance, **kw: instance)
    with transaction.atomic():
        session = SessionFactory(edition=edition)
        assert tried == [session]
        # The transaction is still usable after the failed index update.
        assert Edition.objects.filter(pk=session.edition_id).exists()
    assert Session.objects.filter(pk=session.pk).exists()
