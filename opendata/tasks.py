from celery import shared_task
from django.core.cache import cache

from . import changes, services
from .datasets import DATASETS


@shared_task(soft_time_limit=3600, time_limit=3900)
def build_datasets() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): every dataset's files built again."""
    return services.datasets_build_all()


@shared_task(soft_time_limit=3600, time_limit=3900, ignore_result=True)
def rebuild_dataset(slug: str) -> int:
    """One dataset's files built again after its data changed (``opendata.changes``). The
    waiting key is given back first: a change made while this builds schedules another build."""
    cache.delete(changes.pending_key(slug))
    dataset = DATASETS.get(slug)
    if dataset is None:
        return 0
    return services.dataset_build(dataset)
