"""A trigram index on the notices' folded search text, on PostgreSQL only.

The lists search with ``search_text__contains`` for every word (``LIKE '%word%'``), which a
B-tree cannot answer; a ``pg_trgm`` GIN index can. On SQLite (the default database) the migration
does nothing and the search keeps working as before, by scanning.
"""

from django.db import migrations

INDEX = "notice_search_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON demand_demandnotice "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("demand", "0010_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
