from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("PES directory")

    def ready(self):
        from pestor import personal_data, roles
        from pestor import sections as shared_sections

        from . import (
            permissions,  # registers the directory's rules
            sections,
            selectors,
        )

        shared_sections.home.register(
            template="directory/_home_figures.html", figures=sections.home_figures
        )
        shared_sections.dashboard.register(
            template="directory/_dashboard.html", context=sections.dashboard_panel
        )
        roles.register_holding(permissions.MEMBERSHIP_ROLES, permissions.membership_holdings)
        roles.register_holding(
            permissions.MEMBERSHIP_STATUSES, permissions.membership_status_holdings
        )
        personal_data.register_collector(name="directory", collect=selectors.personal_data)
        personal_data.register_deletion_check(sections.deletion_blockers)
