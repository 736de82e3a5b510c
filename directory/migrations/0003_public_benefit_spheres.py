from django.db import migrations


def load_spheres(apps, schema_editor):
    from directory.spheres import SPHERES

    Sphere = apps.get_model("directory", "PublicBenefitSphere")
    for position, (code, name) in enumerate(SPHERES, start=1):
        Sphere.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_initial")]

    operations = [migrations.RunPython(load_spheres, migrations.RunPython.noop)]
