from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Committee scoring")

    def ready(self):
        from pestor import sections as shared_sections

        from . import (
            permissions,  # noqa: F401  (registers the scoring rules)
            sections,
        )

        shared_sections.dashboard.register(
            template="scoring/_dashboard.html", context=sections.dashboard_panel
        )
