from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentBankConfig(AppConfig):
    name = "equipment_bank"
    verbose_name = _("Equipment bank")

    def ready(self):
        from pestor import personal_data
        from pestor import sections as shared_sections

        from . import (
            permissions,  # noqa: F401  (registers the bank's rules)
            sections,
            selectors,
        )

        shared_sections.register_organisation_section(
            template="equipment_bank/_organisation_in_kind.html",
            context=sections.organisation_in_kind,
            annotations=sections.organisation_annotations,
        )
        shared_sections.dashboard.register(
            template="equipment_bank/_dashboard.html", context=sections.dashboard_panel
        )
        personal_data.register_collector(name="equipment_bank", collect=selectors.personal_data)
