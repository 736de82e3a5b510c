"""No double booking, held by PostgreSQL: an exclusion constraint over (unit, time blocked) of
the booked units that hold a slot, with btree_gist for the unit's equality. On SQLite this
migration does nothing; the booking service checks the same rule under a write lock."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE equipment_bank_bookingitem
    ADD CONSTRAINT bank_item_no_overlap
    EXCLUDE USING gist (
        unit_id WITH =,
        tstzrange(blocked_from, blocked_until, '[)') WITH &&
    ) WHERE (holds_slot);
"""
DROP = "ALTER TABLE equipment_bank_bookingitem DROP CONSTRAINT IF EXISTS bank_item_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("equipment_bank", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
