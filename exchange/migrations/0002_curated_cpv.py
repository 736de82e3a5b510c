"""Load the curated CPV divisions, groups and classes that PES work in (exchange.cpv_curated)."""

from django.db import migrations

from exchange import cpv
from exchange.cpv_curated import CURATED_CPV, nearest_ancestor


def load_curated(apps, schema_editor):
    CpvCode = apps.get_model("exchange", "CpvCode")
    existing = set(CpvCode.objects.values_list("code", flat=True))
    # Sorted by code, every ancestor comes before its descendants and is there to point to.
    for code, name_pl, name_en in sorted(CURATED_CPV):
        parent = nearest_ancestor(code, existing)
        CpvCode.objects.update_or_create(
            code=code,
            defaults={
                "name_pl": name_pl,
                "name_en": name_en,
                "parent_id": parent,
                # Historical models do not run CpvCode.save(), which computes the level.
                "level": cpv.level(code),
                "is_curated": True,
            },
        )
        existing.add(code)


def unmark_curated(apps, schema_editor):
    # Codes may be used by offers and notices by now: keep them, only forget the curation.
    CpvCode = apps.get_model("exchange", "CpvCode")
    CpvCode.objects.filter(code__in=[code for code, _, _ in CURATED_CPV]).update(is_curated=False)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_curated, unmark_curated),
    ]
