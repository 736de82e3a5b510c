from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremisesConfig(AppConfig):
    name = "premises"
    verbose_name = _("Municipal premises")

    def ready(self):
        from pestor import personal_data
        from pestor import sections as shared_sections

        from . import (
            permissions,
            sections,
            selectors,
        )

        shared_sections.register_organisation_section(
            template="premises/_organisation_premises.html",
            context=sections.organisation_premises,
            annotations=sections.organisation_annotations,
        )
        shared_sections.dashboard.register(
            template="premises/_dashboard.html", context=sections.dashboard_panel
        )
        personal_data.register_collector(name="premises", collect=selectors.personal_data)
        self._forget_map_grids_on_change()

        from scoring import registry as scoring_registry

        from .models import PremisesCall

        # A call's committee scores its applications through the scoring app.
        scoring_registry.register(
            PremisesCall,
            items=selectors.committee_items,
            label=selectors.committee_label,
            url=lambda application: application.get_absolute_url(),
            detail_template="premises/_application_for_committee.html",
            can_manage=permissions.can_manage_call,
            member_refusal=permissions.committee_member_refusal,
        )

    def _forget_map_grids_on_change(self):
        """The map's kept grids (``selectors.premises_map_features``) count premises by their
        position and what the map filters on (status, area, accessibility: the row's own
        columns): a premises saved or deleted drops them."""
        from django.db.models.signals import post_delete, post_save

        from pestor import maps

        from .models import Premises

        def forget(**kwargs):
            maps.grid_forget(Premises)

        for signal in (post_save, post_delete):
            signal.connect(forget, sender=Premises, weak=False, dispatch_uid="premises.map")
