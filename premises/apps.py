from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremisesConfig(AppConfig):
    name = "premises"
    verbose_name = _("Municipal premises")

    def ready(self):
        from pestor import personal_data
        from pestor import sections as shared_sections

        from . import (
            permissions,  # noqa: F401  (registers the premises rules)
            sections,
            selectors,
        )

        shared_sections.register_organisation_section(
            template="premises/_organisation_premises.html",
            context=sections.organisation_premises,
        )
        shared_sections.dashboard.register(
            template="premises/_dashboard.html", context=sections.dashboard_panel
        )
        personal_data.register_collector(name="premises", collect=selectors.personal_data)
