from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants and the strategy")

    def ready(self):
        from pestor import jobs
        from pestor import sections as shared_sections
        from scoring import registry

        from . import (
            permissions,  # also registers the grants rules
            sections,
            selectors,
        )
        from .models import AnalysisPdf, Competition

        jobs.register(AnalysisPdf, task="grants.tasks.build_analysis_pdf")

        shared_sections.register_organisation_section(
            template="grants/_organisation_grants.html",
            context=sections.organisation_grants,
            annotations=sections.organisation_annotations,
        )
        # The committee scores the competition's offers: the card's criteria are the panel's
        # (services.competition_publish), offers past the deadline only, and those that failed
        # the formal check are kept out and listed apart with the reason.
        registry.register(
            Competition,
            items=selectors.scored_offers,
            label=lambda offer: offer.organisation.display_name,
            url=lambda offer: offer.get_absolute_url(),
            detail=sections.offer_for_committee,
            excluded=selectors.formally_failed,
            can_manage=lambda user, competition: permissions.can_manage_competition(
                user, competition
            ),
            member_refusal=permissions.committee_member_refusal,
        )
