"""Rebuilding the open-data files when their data changes, besides the nightly build.

An app whose records feed a dataset calls ``data_changed("its app label")`` in the service
that changes them (a notice published, awarded or cancelled; a grant awarded; a lease signed
or ended; a loan returned). After the transaction commits, each dataset of that app
(``Dataset.source``) gets one rebuild task, run ``OPEN_DATA_REBUILD_DELAY`` seconds later: a
cache key taken with ``cache.add`` (atomic in Redis and in the local-memory cache) says a
rebuild is already waiting, so a burst of changes (a call's results, an import) builds the files
once (and several changes in one transaction register one callback). The task gives the key
back before it builds, so that a change made during the build schedules the next one and is
not lost.

With ``CELERY_TASK_ALWAYS_EAGER`` (no broker: development and the tests) the countdown does not
apply and the rebuild runs at once, in the process that committed the change.
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

PENDING_KEY = "opendata:rebuild:{slug}"


def pending_key(slug: str) -> str:
    return PENDING_KEY.format(slug=slug)


_callbacks: dict = {}


def data_changed(source: str) -> None:
    """Schedules the rebuild of the datasets built from ``source`` once the current
    transaction commits (at once outside a transaction); several changes in one transaction
    register one callback."""
    callback = _callbacks.setdefault(source, functools.partial(_schedule, source))
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        registered is callback for _ids, registered, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(callback)


def discard_pending() -> None:
    """Forgets the rebuilds the current transaction has registered: for a caller that builds
    every file itself before it commits (the demo), after which they would build the same
    files again."""
    connection = transaction.get_connection()
    ours = set(map(id, _callbacks.values()))
    connection.run_on_commit = [
        entry for entry in connection.run_on_commit if id(entry[1]) not in ours
    ]


def _schedule(source: str) -> list[str]:
    from . import tasks
    from .datasets import DATASETS

    delay = settings.OPEN_DATA_REBUILD_DELAY
    scheduled = []
    for slug, dataset in DATASETS.items():
        if dataset.source != source:
            continue
        # The key outlives the countdown by a margin: a lost task (a worker that died) lets
        # the next change schedule again once it expires.
        if cache.add(pending_key(slug), True, timeout=delay + 600):
            tasks.rebuild_dataset.apply_async(args=[slug], countdown=delay)
            scheduled.append(slug)
    return scheduled
