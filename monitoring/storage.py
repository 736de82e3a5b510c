"""Where report files live: under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no URL.

Nothing under MEDIA_URL can reach them; the download view checks that the user is on the
municipality's monitoring team (or an administrator) and streams the file.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateReportStorage(FileSystemStorage):
    # Plain properties rather than FileSystemStorage's cached ones: the root is read from the
    # settings each time, so a test (or a worker) pointed at another directory uses it at once.
    @property
    def base_location(self):
        return os.fspath(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Report files have no URL; the download view serves them.")


_private_storage = PrivateReportStorage()


def private_storage():
    return _private_storage
