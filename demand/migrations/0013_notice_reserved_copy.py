"""The notice carries a copy of its social-clause check's art. 94 reservation, with a partial index
of the open reserved notices in the list's order: the "reserved" filter of the open notices
joined the checks and hashed every open notice of the country to count them (10–15 ms at
national scale); the index answers the count and the page alone. Existing checks are copied."""

from django.db import migrations, models


def copy_reservations(apps, schema_editor):
    DemandNotice = apps.get_model("demand", "DemandNotice")
    DemandNotice.objects.filter(clause_check__reserved_for_pes=True).update(reserved_for_pes=True)


class Migration(migrations.Migration):
    dependencies = [("demand", "0012_notice_cpv_prefix_index")]

    operations = [
        migrations.AddField(
            model_name="demandnotice",
            name="reserved_for_pes",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(copy_reservations, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="demandnotice",
            index=models.Index(
                condition=models.Q(("reserved_for_pes", True), ("status", "published")),
                fields=["answers_deadline", "id", "department", "company"],
                name="notice_open_reserved_idx",
            ),
        ),
    ]
