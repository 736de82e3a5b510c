"""HTML to PDF with WeasyPrint, reading nothing but the project's own static files.

Reports contain text the team typed in; a fetcher that followed any URL would let that text make
the worker fetch remote or local files. This one serves only what ``{% static %}`` names.
"""

import logging
import mimetypes
from functools import cache
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# The documents' base URL: a name that never resolves, so relative links land in the fetcher.
BASE_URL = "https://pestor.invalid/"
_HOST = urlsplit(BASE_URL).netloc


def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.strip("/") + "/"


def static_file_path(url: str) -> str:
    """The file behind a URL of one of the project's static files; ValueError for any other."""
    parts = urlsplit(url)
    prefix = _static_prefix()
    if parts.scheme != "https" or parts.netloc != _HOST or not parts.path.startswith(prefix):
        raise ValueError(f"Only the portal's static files may be used in a PDF, not {url!r}.")
    relative = unquote(parts.path[len(prefix) :])
    # finders.find joins safely: "../" cannot climb out of the static directories.
    path = finders.find(relative) if relative and ".." not in relative.split("/") else None
    if not path:
        raise ValueError(f"No static file {relative!r}.")
    return path


@cache
def _fetcher_class():
    # WeasyPrint is imported when the first PDF is made: it is slow to import and the web
    # process rarely needs it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_path(url)
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(path, "rb") as handle:
                body = handle.read()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})

    return StaticFilesFetcher


def static_files_fetcher():
    return _fetcher_class()()


def html_to_pdf(html: str) -> bytes:
    # WeasyPrint logs every step of every document at INFO; its warnings are what matter.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=static_files_fetcher()).write_pdf()
