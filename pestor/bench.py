"""The pages ``python manage.py bench_pages`` measures: the framework, and the portal's own pages.

Each installed app with a ``bench`` module contributes its pages, in the order of
INSTALLED_APPS, so that a new app adds its pages without touching the command (the portal imports
no app). A bench module defines

``pages() -> list[BenchPage]``
    the URLs to measure, each with the demo account to sign in as (``None``: anonymous). It reads
    the database for sample objects (a detail page, a municipality with a programme…) and leaves
    out a page it has nothing to show for.

The benchmark runs on data from ``generate_national_data``, which loads the demo first; the
``role`` of a page is the e-mail address of a demo account (``pestor.demo``).
"""

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import module_has_submodule

from pestor.demo import MONITORING, OFFICIAL_TORUN, PES_OWNER

# What a page does, as the targets name them. The list-like kinds must keep up with the
# bare view under load; every kind must stay under the time, query and size limits.
LIST_KINDS = frozenset({"list", "search", "filter", "sort", "deep"})
KINDS = LIST_KINDS | {
    "home",
    "detail",
    "form",
    "map",
    "feed",
    "export",
    "dashboard",
    "panel",
    "bare",
}

# The targets of issue 8 (checked by the benchmark, not by a timed test).
MAX_MEDIAN_MS = 50
MAX_P95_MS = 250
MAX_QUERIES = 10
MAX_HTML_BYTES = 300 * 1024
MIN_THROUGHPUT_RATIO = 0.03  # of the bare view's requests per second, for the list-like kinds

BARE_LABEL = "bare Django view"
BARE_PATH = "/__bench__/bare/"


@dataclass(frozen=True)
class BenchPage:
    app: str
    label: str
    url: str
    kind: str
    role: str | None = None  # e-mail address of the demo account to sign in as

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown kind of page {self.kind!r}; one of {sorted(KINDS)}.")

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def who(self) -> str:
        return self.role.split("@")[0] if self.role else "anonymous"


def bare_page() -> BenchPage:
    return BenchPage("pestor", BARE_LABEL, BARE_PATH, "bare")


def bench_modules() -> list[tuple[str, ModuleType]]:
    """``(app label, bench module)`` of every installed app that has one defining ``pages()``,
    in INSTALLED_APPS order (scoring's ``bench`` module serves its own command instead)."""
    found = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "bench"):
            module = import_module(f"{app_config.name}.bench")
            if hasattr(module, "pages"):
                found.append((app_config.label, module))
    return found


def all_pages() -> list[BenchPage]:
    return [page for _label, module in bench_modules() for page in module.pages()]


def pages() -> list[BenchPage]:
    home = reverse("pestor:home")
    panel = reverse("pestor:dashboard")
    return [
        BenchPage("pestor", "home page", home, "home"),
        BenchPage("pestor", "home page, PES owner", home, "home", PES_OWNER.email),
        BenchPage("pestor", "panel, PES owner", panel, "panel", PES_OWNER.email),
        BenchPage("pestor", "panel, official", panel, "panel", OFFICIAL_TORUN.email),
        BenchPage("pestor", "panel, monitoring team", panel, "panel", MONITORING.email),
    ]
