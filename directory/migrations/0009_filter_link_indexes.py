"""The sphere and municipality filters of the public list join the many-to-many tables from the
sphere's (or municipality's) side. Django indexes each link column alone; these indexes also
carry the organisation, so that the filter reads its organisations from the index alone (an
index-only scan on PostgreSQL) instead of visiting a table page per link. Plain SQL that both
databases accept: the link tables have no model of their own to declare them on."""

from django.db import migrations

INDEXES = {
    "directory_organisation_spheres_by_sphere": (
        "directory_organisation_spheres",
        "publicbenefitsphere_id, organisation_id",
    ),
    # The same index as exchange 0009 (which reads this table for serving()): one index, under
    # one name, whichever migration runs first.
    "directory_organisation_areas_by_municipality": (
        "directory_organisation_municipalities_served",
        "municipality_id, organisation_id",
    ),
}


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_public_list_indexes")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, (table, columns) in INDEXES.items()
    ]
