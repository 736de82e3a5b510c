"""The four themes of the Płock subregion's PES cluster, which every installation offers."""

from django.db import migrations

THEMES = [
    ("edukacja", "edukacja"),
    ("uslugi-komunalne", "usługi komunalne"),
    ("uslugi-spoleczne", "usługi społeczne"),
    ("turystyka", "turystyka"),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("partnerships", "Theme")
    for position, (slug, name) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def unseed(apps, schema_editor):
    apps.get_model("partnerships", "Theme").objects.filter(
        slug__in=[slug for slug, _name in THEMES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
