"""Where the demand register keeps uploaded files: under PRIVATE_MEDIA_ROOT, with no URL.

Attachments of draft notices and of answers are not public (a PES never sees another PES's
offer), so nothing under MEDIA_URL reaches them; views that check permissions stream them.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateDocumentStorage(FileSystemStorage):
    # Plain properties, not FileSystemStorage's cached ones: the root is read from the settings
    # each time, so a test (or a worker) pointed at another directory uses it at once.
    @property
    def base_location(self):
        return os.fspath(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Documents of the demand register have no URL; views serve them.")


_private_storage = PrivateDocumentStorage()


def private_storage():
    return _private_storage
