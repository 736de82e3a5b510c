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
