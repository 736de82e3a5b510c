"""Private files: under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no URL.

Attachments of notices and answers and the monitoring reports are not public, so nothing under
MEDIA_URL reaches them; views that check permissions stream them.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction


class PrivateStorage(FileSystemStorage):
    # Plain properties, not FileSystemStorage's cached ones: the root is read from the settings
    # each time, so a test (or a worker) pointed at another directory uses it at once.
    @property
    def base_location(self):
        return os.fspath(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; views that check permissions serve them.")


_private_storage = PrivateStorage()


def private_storage():
    """The storage, as a callable, so migrations record a reference rather than an instance."""
    return _private_storage


def delete_on_commit(field_file) -> None:
    """Removes a stored file once the transaction that stopped referring to it commits: a
    change that fails validation later in the same service is rolled back, and its file must
    still be there (a row pointing at a missing file turned every download into a 500)."""
    storage, name = field_file.storage, field_file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
