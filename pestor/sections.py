"""Sections that other apps add to a directory page without the directory importing them.

An app registers ``(template, context_function)`` in its ``AppConfig.ready()``; the organisation
page renders each with the context the function returns for that organisation and request.
"""

from collections.abc import Callable

_ORGANISATION_SECTIONS: list[tuple[str, Callable]] = []


def register_organisation_section(*, template: str, context: Callable) -> None:
    _ORGANISATION_SECTIONS.append((template, context))


def organisation_sections(*, organisation, request) -> list[tuple[str, dict]]:
    return [
        (template, context(organisation=organisation, request=request))
        for template, context in _ORGANISATION_SECTIONS
    ]
