"""The register's CPV filter finds the notices with a code in a subtree (``LIKE '03%'`` on the
link table). Django's own index on the code (``varchar_pattern_ops``) answers the prefix but not
the notice, so PostgreSQL visited a table page per link (2 400 pages for a division at national
scale); this index carries the notice too and the filter reads it alone (60 pages). It answers
everything Django's index did (its first column is the same), which is dropped: one index fewer
for every link written. Should Django alter the column one day, it drops that index with
``IF EXISTS``. PostgreSQL only: the operator class is its own, and SQLite does not use an index
for ``LIKE … ESCAPE``."""

from django.db import migrations

NAME = "demand_notice_cpv_by_code"
# The name Django gave its index on the code (``_like``: varchar_pattern_ops), from the table and
# the column.
DJANGO_LIKE_INDEX = "demand_demandnotice_cpv_codes_cpvcode_id_f78ee014_like"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON demand_demandnotice_cpv_codes "
            "(cpvcode_id varchar_pattern_ops, demandnotice_id)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {DJANGO_LIKE_INDEX}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {DJANGO_LIKE_INDEX} ON demand_demandnotice_cpv_codes "
            "(cpvcode_id varchar_pattern_ops)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("demand", "0011_notice_search_trigram")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
