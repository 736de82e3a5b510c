"""HTML to PDF with WeasyPrint, reading nothing but the project's own static files.

Documents carry text that PES, officials and the monitoring team typed; a fetcher that followed
any URL would let that text make the server fetch remote URLs (SSRF) or read its own files
(file:///etc/passwd). This one serves the project's static files and data: URLs, nothing else.
"""

import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

# Relative URLs in templates resolve against this, so "/static/css/pdf.css" reaches the fetcher
# as a file: URL under /static/, which it maps to the project's static files.
BASE_URL = "file:///"


def find_static_file(url) -> Path | None:
    """The static file a file: URL names, by its /static/… path or by its real location inside
    one of the static directories; None for anything else."""
    path = unquote(urlsplit(url).path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if path.startswith(static_prefix):
        name = path.removeprefix(static_prefix)
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:  # "../" out of the static directories
            return None
        return Path(found) if found else _collected_file(name)
    real = Path(path).resolve()
    for root in _static_roots():
        if real.is_file() and real.is_relative_to(root):
            return real
    return None


def _collected_file(name) -> Path | None:
    """A file collectstatic wrote to STATIC_ROOT. With DEBUG off, ``{% static %}`` names the
    manifest storage's copy with the content hash in its name ("css/pdf.3f2a….css"), which
    exists only there, not in the directories the finders search."""
    root = _static_root()
    if root is None:
        return None
    candidate = (root / name).resolve()
    if candidate.is_file() and candidate.is_relative_to(root):
        return candidate
    return None


def _static_root() -> Path | None:
    return Path(settings.STATIC_ROOT).resolve() if settings.STATIC_ROOT else None


def _static_roots():
    roots = [root] if (root := _static_root()) else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


@cache
def _fetcher_class():
    # WeasyPrint is imported with the first document: it is slow to import and most web
    # requests never need it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = find_static_file(url)
                if path is not None:
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, path.read_bytes(), headers={"Content-Type": content_type}
                    )
            raise ValueError(f"Only the portal's own static files may be fetched, not {url!r}.")

    return StaticFilesURLFetcher


def static_files_fetcher():
    return _fetcher_class()()


def fetch_url(url):
    """The fetcher as a function, for tests: a response, or ValueError for a refused URL."""
    return static_files_fetcher().fetch(url)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=static_files_fetcher()).write_pdf()
