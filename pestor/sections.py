"""Sections that apps add to shared pages without those pages importing the apps.

An app registers ``(template, context_function)`` in its ``AppConfig.ready()``. The page calls
each function with keyword arguments (``request``, and ``organisation`` on an organisation's
page) and includes the template with the returned dict as ``section``; a function that returns
``None`` leaves its section out (e.g. a dashboard panel for a role the user does not have).
"""

from collections.abc import Callable


class SectionRegistry:
    def __init__(self, name: str):
        self.name = name
        self._sections: list[tuple[str, Callable]] = []

    def register(self, *, template: str, context: Callable) -> None:
        self._sections.append((template, context))

    def render(self, **kwargs) -> list[tuple[str, dict]]:
        rendered = []
        for template, context in self._sections:
            section = context(**kwargs)
            if section is not None:
                rendered.append((template, section))
        return rendered


#: Sections of a PES's public page (its offers, …).
organisation_page = SectionRegistry("organisation_page")
#: Panels of "My panel", one per part of the product the user works in.
dashboard = SectionRegistry("dashboard")
#: Figures and calls to action on the home page.
home = SectionRegistry("home")


def register_organisation_section(*, template: str, context: Callable) -> None:
    organisation_page.register(template=template, context=context)


def organisation_sections(*, organisation, request) -> list[tuple[str, dict]]:
    return organisation_page.render(organisation=organisation, request=request)
