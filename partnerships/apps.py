from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships and repayable finance")

    def ready(self):
        from pestor import sections as shared_sections

        from . import (
            permissions,  # noqa: F401  registers the rules
            sections,
        )

        shared_sections.register_organisation_section(
            template="partnerships/_organisation_partnerships.html",
            context=sections.organisation_partnerships,
            annotations=sections.organisation_annotations,
        )
        shared_sections.dashboard.register(
            template="partnerships/_dashboard.html", context=sections.dashboard_panel
        )
