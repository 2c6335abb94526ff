"""A copy of every table of the test database, taken once the demo forum is built, and put back
after each transactional test (instead of Django's flush, which leaves the tables empty).

Building the demo forum takes tens of seconds; restoring the copy takes a fraction of one. On
PostgreSQL the rows travel by COPY; elsewhere (SQLite) by plain SELECT and INSERT. The sequences
(SQLite: the AUTOINCREMENT counters) are set back to where they were too.
"""

from dataclasses import dataclass, field

from django.db import transaction


@dataclass
class TableSnapshot:
    vendor: str
    tables: list[str]
    # PostgreSQL: each table's COPY text; other databases: each table's rows.
    contents: dict[str, bytes | list[tuple]] = field(default_factory=dict)
    # Each sequence's (value, is_called) for PostgreSQL's setval(); SQLite's AUTOINCREMENT
    # counters.
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)

    @classmethod
    def take(cls, connection) -> "TableSnapshot":
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        snapshot = cls(vendor=connection.vendor, tables=tables)
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in tables:
                if snapshot.vendor == "postgresql":
                    with cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                        data = b"".join(bytes(block) for block in copy)
                    if data:
                        snapshot.contents[table] = data
                else:
                    cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (table names)
                    rows = cursor.fetchall()
                    if rows:
                        snapshot.contents[table] = rows
            if snapshot.vendor == "postgresql":
                cursor.execute(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
                    "last_value, start_value FROM pg_sequences "
                    "WHERE schemaname = current_schema()"
                )
                for name, last_value, start_value in cursor.fetchall():
                    snapshot.sequences[name] = (
                        (last_value, True) if last_value is not None else (start_value, False)
                    )
            elif snapshot.vendor == "sqlite":
                # AUTOINCREMENT keys: each table's highest key given so far.
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                snapshot.sequences = {name: (seq, True) for name, seq in cursor.fetchall()}
        return snapshot

    def restore(self, connection) -> None:
        """Empty every table and put the copied rows back, in one transaction (the foreign keys
        are checked at its end)."""
        quote = connection.ops.quote_name
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in self.tables))
                for table, data in self.contents.items():
                    with cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(data)
                for name, (value, is_called) in self.sequences.items():
                    cursor.execute("SELECT setval(%s, %s, %s)", [name, value, is_called])
            else:
                for table in self.tables:
                    cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (table names)
                for table, rows in self.contents.items():
                    marks = ", ".join(["%s"] * len(rows[0]))
                    cursor.executemany(
                        f"INSERT INTO {quote(table)} VALUES ({marks})",  # noqa: S608
                        rows,
                    )
                if self.vendor == "sqlite":
                    cursor.execute("DELETE FROM sqlite_sequence")
                    cursor.executemany(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                        [(name, value) for name, (value, _called) in self.sequences.items()],
                    )
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
