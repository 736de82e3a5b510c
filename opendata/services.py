"""Building the datasets' files (called by opendata.tasks, the demo and the management
command; never by a request)."""

import logging
import tempfile
import time

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from pestor.storage import delete_on_commit

from .datasets import DATASETS, Dataset
from .models import DatasetFile

logger = logging.getLogger(__name__)


def dataset_file_build(*, dataset: Dataset, variant: str, fmt: str) -> DatasetFile:
    """Writes one variant of a dataset in one format to a temporary file, then stores it in
    place of the previous build (which stays served until the new one is in)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as stream, translation.override("pl"):
        items = dataset.write(stream, variant, fmt)
        size = stream.tell()
        stream.seek(0)
        name = f"{dataset.slug}-{variant}.{fmt}"
        with transaction.atomic():
            found = (
                DatasetFile.objects.select_for_update()
                .filter(dataset=dataset.slug, variant=variant, fmt=fmt)
                .first()
            )
            if found is None:
                found = DatasetFile(dataset=dataset.slug, variant=variant, fmt=fmt)
            elif found.file:
                delete_on_commit(found.file)
            found.file.save(name, File(stream), save=False)
            found.size = size
            found.items = items
            found.built_at = timezone.now()
            found.build_seconds = round(time.monotonic() - started, 3)
            found.save()
    logger.info("Built %s: %s items, %s bytes in %.1f s", found, items, size, found.build_seconds)
    return found


def dataset_build(dataset: Dataset) -> int:
    """Builds every variant of a dataset in each of its formats; drops the files of variants
    that no longer exist (a year without data). Returns the number of files built."""
    built = 0
    variants = dataset.variants()
    for variant in variants:
        for fmt in dataset.formats:
            dataset_file_build(dataset=dataset, variant=variant, fmt=fmt)
            built += 1
    for stale in DatasetFile.objects.filter(dataset=dataset.slug).exclude(variant__in=variants):
        with transaction.atomic():
            delete_on_commit(stale.file)
            stale.delete()
    return built


def datasets_build_all() -> int:
    """Builds every dataset (``dataset_build``). Returns the number of files built."""
    return sum(dataset_build(dataset) for dataset in DATASETS.values())
