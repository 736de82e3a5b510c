from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = _("Demand register")

    def ready(self):
        from pestor import personal_data
        from pestor import sections as shared_sections

        from . import (
            permissions,  # noqa: F401  (registers the demand register's rules)
            sections,
            selectors,
        )

        shared_sections.home.register(
            template="demand/_home_figures.html", figures=sections.home_figures
        )
        shared_sections.dashboard.register(
            template="demand/_dashboard.html", context=sections.dashboard_panel
        )
        personal_data.register_collector(name="demand", collect=selectors.personal_data)
