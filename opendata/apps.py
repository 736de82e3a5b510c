from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        from pestor import sections as shared_sections

        from . import sections

        shared_sections.register_organisation_section(
            template="opendata/_organisation_ledger.html", context=sections.organisation_ledger
        )
