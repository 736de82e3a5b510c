from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Social procurement exchange")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_save

        from directory.models import Organisation
        from pestor import personal_data, roles
        from pestor import sections as shared_sections

        from . import (
            permissions,  # noqa: F401  (registers the exchange's rules)
            sections,
            selectors,
        )
        from .models import Offer
        from .signals import (
            follow_offer,
            follow_organisation_area,
            follow_organisation_status,
            follow_own_area,
            refresh_offer_search_text,
        )

        shared_sections.register_organisation_section(
            template="exchange/_organisation_offers.html", context=sections.organisation_offers
        )
        shared_sections.home.register(
            template="exchange/_home_figures.html", figures=sections.home_figures
        )
        shared_sections.dashboard.register(
            template="exchange/_dashboard.html", context=sections.dashboard_panel
        )
        post_save.connect(
            refresh_offer_search_text,
            sender=Organisation,
            dispatch_uid="exchange.refresh_offer_search_text",
        )
        post_save.connect(
            follow_organisation_status,
            sender=Organisation,
            dispatch_uid="exchange.follow_organisation_status",
        )
        m2m_changed.connect(
            follow_own_area,
            sender=Offer.municipalities_served.through,
            dispatch_uid="exchange.follow_own_area",
        )
        post_save.connect(follow_offer, sender=Offer, dispatch_uid="exchange.follow_offer")
        m2m_changed.connect(
            follow_organisation_area,
            sender=Organisation.municipalities_served.through,
            dispatch_uid="exchange.follow_organisation_area",
        )
        roles.register_holding(selectors.UNREAD_INQUIRIES, selectors.unread_inquiry_holding)
        personal_data.register_collector(name="exchange", collect=selectors.personal_data)
