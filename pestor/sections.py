"""Sections that apps add to shared pages without those pages importing the apps.

An app registers ``(template, context_function)`` in its ``AppConfig.ready()``. The page calls
each function with keyword arguments (``request``, and ``organisation`` on an organisation's
page) and includes the template with the returned dict as ``section``; a function that returns
``None`` leaves its section out (e.g. a dashboard panel for a role the user does not have).

A section of the organisation page may also contribute ``annotations``: a function of no
arguments returning ``{name: expression}``, each expression correlated with the organisation by
``OuterRef("pk")`` (typically ``pestor.related_rows.JSONRows``: a short list as a JSON array, or
``Exists``). The page reads the organisation with every section's annotations in its one query
(``organisation_annotations()``), so that a short list costs no query of its own; the section's
``context`` then reads the value with ``annotated(organisation, name)``, which on an
organisation read without them (another page, a test) asks the database for that one value.
Names are prefixed with the app's label (``partnerships_rows``), since all share the
organisation's row; a name registered twice is an error.
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class SectionRegistry:
    def __init__(self, name: str):
        self.name = name
        self._sections: list[tuple[str, Callable]] = []
        self._annotations: dict[str, Callable[[], object]] = {}

    def register(
        self,
        *,
        template: str,
        context: Callable,
        annotations: Callable[[], dict] | None = None,
    ) -> None:
        self._sections.append((template, context))
        if annotations is not None:
            for name in annotations():
                if name in self._annotations:
                    raise ImproperlyConfigured(
                        f"Annotation {name!r} of {self.name} registered twice."
                    )
                self._annotations[name] = annotations

    def annotations(self) -> dict:
        """Every section's annotations, fresh expressions for one queryset."""
        found = {}
        for function in dict.fromkeys(self._annotations.values()):
            found.update(function())
        return found

    def annotated(self, instance, name: str):
        """The value of the annotation ``name`` on ``instance``: read with it, or else now."""
        if hasattr(instance, name):
            return getattr(instance, name)
        expression = self._annotations[name]()[name]
        value = (
            type(instance)
            ._default_manager.filter(pk=instance.pk)
            .annotate(**{name: expression})
            .values_list(name, flat=True)
            .get()
        )
        setattr(instance, name, value)
        return value

    def render(self, **kwargs) -> list[tuple[str, dict]]:
        rendered = []
        for template, context in self._sections:
            section = context(**kwargs)
            if section is not None:
                rendered.append((template, section))
        return rendered


class HomeFigures:
    """The home page's figures (how many verified organisations, offers, open notices…): counts
    over whole national tables, seconds of SQL each, so no request computes them.

    An app registers ``(template, figures)`` in its ``AppConfig.ready()``; ``figures()`` takes
    no arguments (the figures are the same for everyone) and returns a dict of plain values,
    which the page includes the template with as ``section``. All the apps' figures are kept
    together as one entry of Django's cache (``CACHES``: Redis in production, so every web
    process shares it), which ``refresh()`` recomputes: the Celery beat task
    ``pestor.tasks.refresh_home_figures`` every ``HOME_FIGURES_REFRESH`` seconds. The entry
    lives ``HOME_FIGURES_MAX_AGE`` seconds, so a figure is never older than that even when beat
    stops; then (and on a cold cache: the first request after a start) the page computes it,
    one process at a time: the others wait for that result up to ``HOME_FIGURES_WAIT`` seconds,
    and render the page without the figures if it is still not there, rather than all counting
    the same tables at once.
    """

    CACHE_KEY = "pestor:home-figures:v1"
    LOCK_KEY = "pestor:home-figures:lock"
    POLL_SECONDS = 0.1

    def __init__(self, name: str):
        self.name = name
        self._sections: list[tuple[str, Callable[[], dict]]] = []

    def register(self, *, template: str, figures: Callable[[], dict]) -> None:
        self._sections.append((template, figures))

    def compute(self) -> dict[str, dict]:
        return {template: figures() for template, figures in self._sections}

    def refresh(self) -> dict[str, dict]:
        """Compute every figure now and keep them for the next requests."""
        values = self.compute()
        cache.set(self.CACHE_KEY, values, timeout=settings.HOME_FIGURES_MAX_AGE)
        return values

    def current(self) -> dict[str, dict] | None:
        """The kept figures; on a miss computed by one process while the others wait. ``None``
        when the waiting ran out before any process had them."""
        values = cache.get(self.CACHE_KEY)
        if values is not None:
            return values
        token = uuid.uuid4().hex
        # The lock expires by itself, so that a process killed while counting holds nobody up.
        lock_seconds = max(1, int(settings.HOME_FIGURES_WAIT * 3))
        if cache.add(self.LOCK_KEY, token, timeout=lock_seconds):
            try:
                return self.refresh()
            finally:
                if cache.get(self.LOCK_KEY) == token:
                    cache.delete(self.LOCK_KEY)
        deadline = time.monotonic() + settings.HOME_FIGURES_WAIT
        while time.monotonic() < deadline:
            time.sleep(self.POLL_SECONDS)
            values = cache.get(self.CACHE_KEY)
            if values is not None:
                return values
        logger.warning("The home page's figures were not ready; the page went without them.")
        return None

    def render(self) -> list[tuple[str, dict]]:
        values = self.current() or {}
        return [
            (template, values[template])
            for template, _figures in self._sections
            if template in values
        ]


#: Sections of a PES's public page (its offers, …).
organisation_page = SectionRegistry("organisation_page")
#: Panels of "My panel", one per part of the product the user works in.
dashboard = SectionRegistry("dashboard")
#: Figures and calls to action on the home page, kept in the cache (see HomeFigures).
home = HomeFigures("home")


def register_organisation_section(
    *, template: str, context: Callable, annotations: Callable[[], dict] | None = None
) -> None:
    organisation_page.register(template=template, context=context, annotations=annotations)


def organisation_annotations() -> dict:
    """What the organisation page's query annotates the organisation with for its sections."""
    return organisation_page.annotations()


def annotated(organisation, name: str):
    """A section's annotation on the organisation (see the module's docstring)."""
    return organisation_page.annotated(organisation, name)


def organisation_sections(*, organisation, request) -> list[tuple[str, dict]]:
    return organisation_page.render(organisation=organisation, request=request)
