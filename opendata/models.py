from django.db import models
from django.utils.translation import gettext_lazy as _

from pestor.storage import private_storage


def _dataset_upload_to(instance, filename):
    return f"opendata/{instance.dataset}/{filename}"


class DatasetFile(models.Model):
    """One built file of a dataset (``opendata.datasets``): a dataset's variant (a year, or
    "all") in one format. Built in the background and served as it was last built, so that no
    request builds a national-scale file."""

    dataset = models.CharField(_("dataset"), max_length=60)
    variant = models.CharField(_("variant"), max_length=20)
    fmt = models.CharField(_("format"), max_length=10)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_dataset_upload_to, max_length=255
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    items = models.PositiveIntegerField(_("number of items"), default=0)
    built_at = models.DateTimeField(_("built"))
    build_seconds = models.FloatField(_("build time in seconds"), default=0)

    class Meta:
        ordering = ["dataset", "-variant", "fmt"]
        verbose_name = _("dataset file")
        verbose_name_plural = _("dataset files")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "variant", "fmt"], name="dataset_file_unique"
            )
        ]

    def __str__(self):
        return f"{self.dataset}/{self.variant}.{self.fmt}"
