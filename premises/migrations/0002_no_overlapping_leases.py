"""Never two leases of one premises at once, held by PostgreSQL: an exclusion constraint over
(premises, lease period), with btree_gist for the premises' equality; a lease of indefinite
term runs to infinity. On SQLite this migration does nothing; the lease service checks the same
rule under a write lock."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE premises_lease
    ADD CONSTRAINT premises_lease_no_overlap
    EXCLUDE USING gist (
        premises_id WITH =,
        daterange(starts_on, ends_on, '[)') WITH &&
    );
"""
DROP = "ALTER TABLE premises_lease DROP CONSTRAINT IF EXISTS premises_lease_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("premises", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
