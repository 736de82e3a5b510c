"""Private files: under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no URL.

Attachments of notices and answers and the monitoring reports are not public, so nothing under
MEDIA_URL reaches them; views that check permissions stream them.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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
