"""Who may do what with strategies, competitions and offers. Pure functions; views and
templates ask through ``pestor.permissions`` (``require("grants.manage_competition", user, c)``).

- Officials of the municipality (and administrators) edit its strategy, announce its
  competitions, check offers formally, enter paper offers for a PES and publish the decision.
- Members of a verified PES submit offers while the competition takes them, and edit or withdraw
  them until the deadline; they see their own organisation's offers, never another's.
- The committee sees an offer only through ``scoring`` (after declaring no conflict of interest).
- Everyone sees strategies, announced competitions and, once published, the results.
"""

from directory.permissions import (
    committee_seat_refusal,
    membership_statuses,
    verified_organisation_ids,
)
from pestor import roles
from pestor.permissions import rule

from .models import Competition, Offer, Strategy, StrategyArea


def is_city_official(user, municipality_id) -> bool:
    return roles.is_administrator(user) or roles.is_official(user, municipality_id)


def member_organisations(user) -> dict[int, str]:
    """{organisation id: status} of the user's organisations (read with the user's roles)."""
    if not (user and user.is_authenticated and user.is_active):
        return {}
    return membership_statuses(user)


def committee_member_refusal(user, competition: Competition, represents_pes: bool) -> str:
    """Why ``user`` may not sit on the competition's committee ("" when they may)."""
    return committee_seat_refusal(user, competition.municipality_id, represents_pes)


@rule("grants.manage")
def can_manage(user, obj=None):
    """Announce competitions and edit strategies (of one's own municipality)."""
    return roles.is_administrator(user) or roles.is_official(user)


@rule("grants.edit_strategy")
def can_edit_strategy(user, strategy: Strategy):
    return is_city_official(user, strategy.municipality_id)


@rule("grants.manage_competition")
def can_manage_competition(user, competition: Competition):
    return is_city_official(user, competition.municipality_id)


@rule("grants.edit_competition")
def can_edit_competition(user, competition: Competition):
    return competition.status == Competition.Status.DRAFT and can_manage_competition(
        user, competition
    )


@rule("grants.submit_offer")
def can_submit_offer(user, competition: Competition):
    """A member of a verified PES, or an official entering a paper offer, while offers are
    taken (the service checks the clock again under a lock)."""
    if not competition.accepts_offers():
        return False
    return bool(verified_organisation_ids(user)) or can_manage_competition(user, competition)


@rule("grants.view_offer")
def can_view_offer(user, offer: Offer):
    return offer.organisation_id in member_organisations(user) or can_manage_competition(
        user, offer.competition
    )


@rule("grants.edit_offer")
def can_edit_offer(user, offer: Offer):
    return (
        offer.status == Offer.Status.SUBMITTED
        and offer.competition.accepts_offers()
        and (
            offer.organisation_id in verified_organisation_ids(user)
            or (offer.entered_by_official and can_manage_competition(user, offer.competition))
        )
    )


@rule("grants.check_offer")
def can_check_offer(user, offer: Offer):
    """The formal check: after the deadline, before the decision."""
    return (
        offer.competition.status == Competition.Status.PUBLISHED
        and not offer.competition.accepts_offers()
        and offer.status == Offer.Status.SUBMITTED
        and can_manage_competition(user, offer.competition)
    )


@rule("grants.call_supplement")
def can_call_supplement(user, offer: Offer):
    """Call the PES to supplement a formal gap (again, with another date, if need be): while
    the offer is not checked yet."""
    return offer.formal_status in (
        Offer.Formal.PENDING,
        Offer.Formal.SUPPLEMENT,
    ) and can_check_offer(user, offer)


@rule("grants.supplement_offer")
def can_supplement_offer(user, offer: Offer, now=None):
    """The PES (its verified members) supplements its offer until the day named in the call."""
    return offer.supplement_open(now) and offer.organisation_id in verified_organisation_ids(user)


@rule("grants.decide")
def can_decide(user, competition: Competition):
    """Propose the amounts and publish the results: the panel's managers (its chair, the
    municipality's officials), once the chair has closed scoring."""
    from scoring import permissions as scoring_permissions

    from . import selectors

    if competition.status != Competition.Status.PUBLISHED:
        return False
    panel = selectors.competition_panel(competition=competition)
    if panel is None or panel.is_open:
        return False
    return scoring_permissions.manages(user, panel)


@rule("grants.view_ranking")
def can_view_ranking(user, competition: Competition):
    from scoring import permissions as scoring_permissions

    from . import selectors

    if can_manage_competition(user, competition):
        return True
    panel = selectors.competition_panel(competition=competition)
    return panel is not None and scoring_permissions.manages(user, panel)


@rule("grants.fill_card")
def can_fill_card(user, offer: Offer):
    """The funded PES returns the card after funding (and corrects it until it is verified)."""
    return (
        offer.status == Offer.Status.FUNDED
        and offer.card_verified_at is None
        and offer.organisation_id in verified_organisation_ids(user)
    )


@rule("grants.verify_card")
def can_verify_card(user, offer: Offer):
    return (
        offer.card_submitted_at is not None
        and offer.card_verified_at is None
        and can_manage_competition(user, offer.competition)
    )


@rule("grants.order_analysis_pdf")
def can_order_analysis_pdf(user, subject: Competition | StrategyArea):
    """Build the analysis's PDF: the municipality's officials, once there are results to
    analyse (anyone downloads it where the analysis is public)."""
    if isinstance(subject, Competition):
        return subject.status == Competition.Status.DECIDED and can_manage_competition(
            user, subject
        )
    return is_city_official(user, subject.strategy.municipality_id)
