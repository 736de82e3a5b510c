"""Reads of the open-data catalogue."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from .datasets import DATASETS, Dataset
from .models import DatasetFile


@dataclass
class CatalogueEntry:
    dataset: Dataset
    files: list[DatasetFile]

    @property
    def built_at(self):
        return max((file.built_at for file in self.files), default=None)

    @property
    def size(self) -> int:
        return sum(file.size for file in self.files)


def catalogue() -> list[CatalogueEntry]:
    """Every dataset with its built files (one query for all of them)."""
    files: dict[str, list[DatasetFile]] = {}
    for file in DatasetFile.objects.order_by("dataset", "-variant", "fmt"):
        files.setdefault(file.dataset, []).append(file)
    return [CatalogueEntry(dataset, files.get(slug, [])) for slug, dataset in DATASETS.items()]


def dataset_file_get(*, dataset: str, variant: str, fmt: str) -> DatasetFile:
    """A built file; a dataset not built yet is the same 404 as one that does not exist."""
    return get_object_or_404(DatasetFile, dataset=dataset, variant=variant, fmt=fmt)
