from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community: events")

    def ready(self):
        from pestor import personal_data
        from pestor import sections as shared_sections

        from . import permissions, sections, selectors, surveys_selectors  # noqa: F401  (the rules)

        shared_sections.register_organisation_section(
            template="community/_organisation_events.html",
            context=sections.organisation_events,
            annotations=sections.organisation_annotations,
        )
        personal_data.register_collector(name="community", collect=selectors.personal_data)
        personal_data.register_collector(
            name="community_surveys", collect=surveys_selectors.personal_data
        )
        self._ready_awards()

    def _ready_awards(self):
        """The award and the contests: their section of the organisation page, their personal
        data, and their jury, which scores through the scoring app."""
        from pestor import personal_data
        from pestor import sections as shared_sections
        from scoring import registry as scoring_registry

        from . import awards_permissions, awards_sections, awards_selectors
        from .awards_models import AwardCall

        shared_sections.register_organisation_section(
            template="community/awards/_organisation_distinctions.html",
            context=awards_sections.organisation_distinctions,
            annotations=awards_sections.organisation_annotations,
        )
        personal_data.register_collector(name="awards", collect=awards_selectors.personal_data)
        scoring_registry.register(
            AwardCall,
            items=awards_selectors.jury_items,
            label=awards_selectors.jury_label,
            url=lambda nomination: nomination.get_absolute_url(),
            detail_template="community/awards/_nomination_for_jury.html",
            can_manage=awards_permissions.can_manage_call,
            member_refusal=awards_permissions.jury_refusal,
        )
