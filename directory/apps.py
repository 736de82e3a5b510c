from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("PES directory")

    def ready(self):
        from pestor import sections as shared_sections

        from . import (
            permissions,  # noqa: F401  (registers the directory's rules)
            sections,
        )

        shared_sections.home.register(
            template="directory/_home_figures.html", context=sections.home_figures
        )
        shared_sections.dashboard.register(
            template="directory/_dashboard.html", context=sections.dashboard_panel
        )
