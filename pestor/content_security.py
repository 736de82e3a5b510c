"""The Content Security Policy's two moving parts: where map tiles may come from, and what the
portal does with the violation reports browsers send back.

Plain Python on purpose: the settings module imports ``tile_source`` while Django is not set up.
"""

import json
import logging
from urllib.parse import urlsplit

logger = logging.getLogger("pestor.csp")

# The fields of a report that tell an operator what was blocked where; the rest (the whole policy,
# status codes) is noise in a log line. Keys as report-uri (kebab) and report-to (camel) send them.
REPORT_FIELDS = {
    "document-uri": "document",
    "documentURL": "document",
    "effective-directive": "directive",
    "effectiveDirective": "directive",
    "violated-directive": "directive",
    "blocked-uri": "blocked",
    "blockedURL": "blocked",
    "source-file": "source",
    "sourceFile": "source",
    "line-number": "line",
    "lineNumber": "line",
    "script-sample": "sample",
    "sample": "sample",
    "disposition": "disposition",
}
# A field longer than this is cut in the log: a sample or a data: URL can be long.
FIELD_MAX_CHARS = 300
# A browser's report is a few hundred bytes; anything far larger is not one.
REPORT_MAX_BYTES = 16 * 1024
REPORTS_PER_MINUTE = 30


def tile_source(tile_url: str) -> str | None:
    """The CSP host source that allows a Leaflet tile URL template, or None when the tiles come
    from the portal's own origin ('self' already covers them).

    A ``{s}`` subdomain placeholder becomes the ``*.`` wildcard CSP allows in the leftmost label:
    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` gives ``https://*.tile.example.org``.
    """
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return None
    host, _, port = parts.netloc.rpartition("@")[2].partition(":")
    labels = host.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels):
        raise ValueError(f"MAP_TILE_URL has a placeholder past the first host label: {tile_url}")
    source = f"{parts.scheme}://{'.'.join(labels)}"
    if port and "{" not in port:
        source += f":{port}"
    return source


def violations_in(body: bytes) -> list[dict]:
    """The violations in a report body: report-uri's ``{"csp-report": {...}}`` or the Reporting
    API's list of ``{"type": "csp-violation", "body": {...}}``. Raises ValueError when the body
    is no such report."""
    data = json.loads(body)
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        violations = [
            entry["body"]
            for entry in data
            if isinstance(entry, dict)
            and entry.get("type") == "csp-violation"
            and isinstance(entry.get("body"), dict)
        ]
        if violations:
            return violations
    raise ValueError("not a CSP violation report")


def violation_summary(violation: dict) -> dict:
    summary = {}
    for key, name in REPORT_FIELDS.items():
        value = violation.get(key)
        if value not in (None, "") and name not in summary:
            summary[name] = str(value)[:FIELD_MAX_CHARS]
    return summary


def report_accepted(*, client: str) -> bool:
    """Whether a report from ``client`` (an address) goes to the log: at most
    REPORTS_PER_MINUTE a minute each, so a page that violates on every load, or someone posting
    in a loop, cannot flood the log."""
    from django.core.cache import cache

    key = f"pestor:csp-reports:{client}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count <= REPORTS_PER_MINUTE


def violation_log(violation: dict, *, client: str) -> None:
    fields = {**violation_summary(violation), "client": client}
    logger.warning(
        "CSP violation: %s", " ".join(f"{key}={value!r}" for key, value in fields.items())
    )
