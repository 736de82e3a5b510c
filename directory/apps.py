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
        self._forget_map_grids_on_change()

    def _forget_map_grids_on_change(self):
        """The map's kept grids (``selectors.organisation_map_features``) count organisations by
        their position, status and what the map filters on (spheres, municipalities served,
        founders): any change of those rows drops them."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from pestor import maps

        from .models import CooperativeFounder, Organisation

        def forget(**kwargs):
            maps.grid_forget(Organisation)

        for sender in (Organisation, CooperativeFounder):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget, sender=sender, weak=False, dispatch_uid=f"directory.map:{sender}"
                )
        for through in (Organisation.spheres.through, Organisation.municipalities_served.through):
            m2m_changed.connect(
                forget, sender=through, weak=False, dispatch_uid=f"directory.map:{through}"
            )
