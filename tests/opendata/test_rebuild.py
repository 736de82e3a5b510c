"""The files are built again after their data changes, besides the nightly build: after the
commit, once per burst (a cache key says a rebuild is waiting), only the datasets of the app
that changed. Celery runs eagerly in the tests (no broker), as on a developer's machine."""

import json

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from demand import services as demand_services
from opendata import changes, datasets, services, tasks
from opendata.models import DatasetFile

pytestmark = pytest.mark.django_db


def _built(slug):
    return {
        (file.variant, file.fmt): file.built_at for file in DatasetFile.objects.filter(dataset=slug)
    }


def _releases(notice):
    file = DatasetFile.objects.get(
        dataset=datasets.OCDS_RELEASES,
        variant=str(timezone.localdate(notice.published_at).year),
        fmt="json",
    )
    package = json.loads(file.file.open("rb").read())
    return [release for release in package["releases"] if release["ocid"].endswith(f"-{notice.pk}")]


def test_a_cancelled_notice_rebuilds_the_ocds_files_after_the_commit(
    notices, private_media, official, django_capture_on_commit_callbacks
):
    services.datasets_build_all()
    grants_before = _built(datasets.GRANTS)
    published = notices["published"]
    before = [release["tag"] for release in _releases(published)]
    assert before and ["tenderCancellation"] not in before
    with django_capture_on_commit_callbacks() as callbacks:
        demand_services.notice_cancel(notice=published, actor=official, reason="Brak środków")
    # Nothing is built before the commit (a rolled-back change builds nothing).
    assert [release["tag"] for release in _releases(published)] == before
    assert len(callbacks) == 1
    callbacks[0]()
    assert [release["tag"] for release in _releases(published)] == [
        *before,
        ["tenderCancellation"],
    ]
    # Only the datasets of the demand register; the key was given back by the task.
    assert _built(datasets.GRANTS) == grants_before
    assert cache.get(changes.pending_key(datasets.OCDS_RELEASES)) is None


def test_a_burst_of_changes_builds_once(private_media, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for _ in range(5):
            changes.data_changed("premises")
    assert len(callbacks) == 1, "one callback for the transaction's changes"
    # A rebuild already waits (as on real Celery, during its countdown): the changes of the
    # burst schedule nothing more.
    cache.set(changes.pending_key(datasets.PREMISES), True)
    assert changes._schedule("premises") == []
    assert not DatasetFile.objects.filter(dataset=datasets.PREMISES).exists()
    # When the waiting task runs, it gives the key back and builds the three files once.
    assert tasks.rebuild_dataset(datasets.PREMISES) == 3
    assert cache.get(changes.pending_key(datasets.PREMISES)) is None
    assert set(_built(datasets.PREMISES)) == {("all", "csv"), ("all", "xlsx"), ("all", "geojson")}
    # The next change schedules (and, eagerly, runs) the next rebuild.
    assert changes._schedule("premises") == [datasets.PREMISES]
    assert changes._schedule("nothing-of-ours") == []


def test_every_dataset_names_the_app_whose_changes_rebuild_it():
    assert {dataset.source for dataset in datasets.DATASETS.values()} == {
        "demand",
        "grants",
        "premises",
        "equipment_bank",
    }


def test_a_caller_that_builds_everything_itself_discards_the_rebuilds_asked_for(
    db, django_capture_on_commit_callbacks
):
    """The demo builds every file at its end, in the transaction its apps changed data in: the
    rebuilds they asked for are forgotten, another on-commit callback is kept."""
    kept = []
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        changes.data_changed("demand")
        changes.data_changed("premises")
        transaction.on_commit(lambda: kept.append(True))
        changes.discard_pending()
    assert len(callbacks) == 1
    callbacks[0]()
    assert kept == [True]
