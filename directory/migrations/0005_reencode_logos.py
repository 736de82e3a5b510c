"""Logos uploaded before the portal re-encoded them were stored as they came, under the name and
extension the uploader chose (a PNG with bytes appended, named logo.pdf, stayed a .pdf). Each is
replaced by the re-encoded copy new logos get; one that is missing or no longer an accepted image
is cleared. The public media view serves only the re-encoded names, so skipping this would hide
the old logos."""

from django.core.exceptions import ValidationError
from django.db import migrations


def reencode_logos(apps, schema_editor):
    from directory.services import LOGO_STORED_SIDE
    from directory.validators import LOGO_FORMATS
    from pestor.images import PUBLIC_PATH, reencode

    Organisation = apps.get_model("directory", "Organisation")
    for organisation in Organisation.objects.exclude(logo="").only("pk", "logo").iterator():
        old = organisation.logo
        if PUBLIC_PATH.fullmatch(old.name):
            continue
        storage, old_name = old.storage, old.name
        try:
            with old.open("rb") as upload:
                organisation.logo = reencode(
                    upload, max_side=LOGO_STORED_SIDE, formats=LOGO_FORMATS
                )
        except (OSError, ValidationError):
            organisation.logo = ""
        organisation.save(update_fields=["logo"])
        storage.delete(old_name)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_protect_history")]

    operations = [migrations.RunPython(reencode_logos, migrations.RunPython.noop, elidable=True)]
