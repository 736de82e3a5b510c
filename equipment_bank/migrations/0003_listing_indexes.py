"""Indexes of the catalogue's lists at national scale.

- The catalogue's order (status, name, id), so that its first page is read in order and stops
  when it is full instead of sorting every resource.
- On PostgreSQL, a GiST index over the blocked range alone of the rows that hold a slot, with the
  unit and the bounds included: "which units are busy in this period, across all units" is then an
  index-only scan of the few entries overlapping it. The exclusion constraint's index (migration
  0002) leads with the unit, so the same question read all of it. SQLite keeps the btree index
  over (unit, blocked_until, blocked_from).
"""

from django.db import migrations, models

CREATE = """
CREATE INDEX IF NOT EXISTS bank_item_blocked ON equipment_bank_bookingitem
    USING gist (tstzrange(blocked_from, blocked_until, '[)'))
    INCLUDE (unit_id, blocked_from, blocked_until)
    WHERE holds_slot;
"""
DROP = "DROP INDEX IF EXISTS bank_item_blocked;"


def on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("equipment_bank", "0002_no_double_booking")]

    operations = [
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(fields=["status", "name", "id"], name="bank_resource_listing"),
        ),
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False),
    ]
