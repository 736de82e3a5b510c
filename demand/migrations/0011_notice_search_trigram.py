"""Trigram indexes on the notices' folded search text, on PostgreSQL only.

The public lists search with ``search_text__contains`` for every word (``LIKE '%word%'``), which
a B-tree cannot answer; a ``pg_trgm`` GIN index can. One index per public list, partial on the
status the list shows (open notices, awarded results), so that a search reads only the entries of
that list. The buyer's and the PES's own lists are narrowed by their owner first and need none.
On SQLite (the default database) the migration does nothing and the search keeps working as
before, by scanning.
"""

from django.db import migrations

INDEXES = {
    "notice_open_search_trgm_idx": "published",
    "notice_award_search_trgm_idx": "awarded",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, status in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON demand_demandnotice "
            f"USING gin (search_text gin_trgm_ops) WHERE status = '{status}'"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("demand", "0010_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
