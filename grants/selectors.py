"""Reads of strategies, competitions, offers and results; each list is one queryset with its
joins, each page a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from directory.models import Organisation
from pestor import roles
from scoring import selectors as scoring_selectors
from scoring.models import Panel

from .filters import CompetitionFilterSet
from .models import (
    Competition,
    Contribution,
    Offer,
    OfferOutcome,
    Strategy,
    StrategyArea,
    StrategyGoal,
    StrategyOutcome,
)
from .permissions import (
    can_view_offer,
    is_city_official,
    member_organisations,
    verified_organisation_ids,
)


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise Http404 from error


# --- the strategy ------------------------------------------------------------------------------


def strategy_list() -> QuerySet:
    return Strategy.objects.select_related("municipality").order_by(
        "municipality__name", "-last_year", "pk"
    )


def strategy_get(*, pk) -> Strategy:
    """The strategy with its whole tree (areas → goals → outcomes) in four queries."""
    strategy = (
        Strategy.objects.select_related("municipality")
        .prefetch_related(
            Prefetch(
                "areas",
                queryset=StrategyArea.objects.prefetch_related(
                    Prefetch(
                        "goals",
                        queryset=StrategyGoal.objects.prefetch_related(
                            Prefetch("outcomes", queryset=StrategyOutcome.objects.all())
                        ),
                    )
                ),
            )
        )
        .filter(pk=_pk(pk))
        .first()
    )
    if strategy is None:
        raise Http404
    return strategy


def strategy_part_get(*, model, pk):
    part = model.objects.filter(pk=_pk(pk)).first()
    if part is None:
        raise Http404
    return part


def outcomes_for(*, user, municipality_id=None) -> QuerySet:
    """The outcomes an official may link a competition to: their municipalities' strategies."""
    queryset = StrategyOutcome.objects.select_related("goal__area__strategy").order_by(
        "goal__area__strategy__name", "goal__area__order", "goal__order", "order", "pk"
    )
    if municipality_id is not None:
        return queryset.filter(goal__area__strategy__municipality_id=municipality_id)
    if roles.is_administrator(user):
        return queryset
    return queryset.filter(
        goal__area__strategy__municipality_id__in=roles.official_municipality_ids(user)
    )


# --- competitions ------------------------------------------------------------------------------


def competition_list(*, filters=None) -> CompetitionFilterSet:
    queryset = (
        Competition.objects.exclude(status=Competition.Status.DRAFT)
        .select_related("municipality", "sphere")
        .only(
            "pk",
            "title",
            "status",
            "budget",
            "offers_until",
            "municipality__name",
            "sphere__name",
            "sphere__code",
        )
        .order_by("-offers_until", "-pk")
    )
    return CompetitionFilterSet(filters, queryset=queryset)


def competition_drafts(*, user) -> QuerySet:
    queryset = Competition.objects.filter(status=Competition.Status.DRAFT).select_related(
        "municipality"
    )
    if roles.is_administrator(user):
        return queryset
    return queryset.filter(municipality_id__in=roles.official_municipality_ids(user))


def competition_get_for_user(*, user, pk) -> Competition:
    """An announced competition, or a draft its officials see; otherwise the same 404."""
    competition = (
        Competition.objects.select_related("municipality", "sphere").filter(pk=_pk(pk)).first()
    )
    if competition is None or (
        competition.status == Competition.Status.DRAFT
        and not is_city_official(user, competition.municipality_id)
    ):
        raise Http404
    return competition


def competition_outcomes(*, competition) -> list[StrategyOutcome]:
    if "_grants_outcomes" not in competition.__dict__:
        competition.__dict__["_grants_outcomes"] = list(
            competition.outcomes.select_related("goal__area").order_by(
                "goal__area__order", "goal__order", "order", "pk"
            )
        )
    return competition.__dict__["_grants_outcomes"]


def competition_panel(*, competition) -> Panel | None:
    """The committee's panel of the competition (opened when it is announced), read once."""
    if "_grants_panel" not in competition.__dict__:
        competition.__dict__["_grants_panel"] = (
            Panel.objects.select_related("owner_type")
            .filter(
                owner_type=ContentType.objects.get_for_model(Competition),
                owner_id=competition.pk,
            )
            .first()
        )
    return competition.__dict__["_grants_panel"]


def scored_offers(competition) -> QuerySet:
    """What the committee scores: the offers not withdrawn, once the deadline has passed
    (nobody scores an offer its PES may still change). Those that failed the formal check are
    among them and kept out by ``formally_failed`` (scoring lists them apart)."""
    if competition.status == Competition.Status.DRAFT or timezone.now() < competition.offers_until:
        return Offer.objects.none()
    return (
        competition.offers.exclude(status=Offer.Status.WITHDRAWN)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


def formally_failed(competition) -> list[tuple[Offer, str]]:
    """The offers that failed the formal check, with the reason: scoring keeps them out of the
    sheets and the ranking and lists them apart."""
    return [
        (offer, offer.formal_reason)
        for offer in competition.offers.filter(formal_status=Offer.Formal.FAILED)
        .exclude(status=Offer.Status.WITHDRAWN)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    ]


def competition_offers(*, competition) -> QuerySet:
    """Every offer of the competition (its officials), with the organisation."""
    return (
        competition.offers.select_related("organisation")
        .only(
            "pk",
            "task_title",
            "grant_requested",
            "status",
            "formal_status",
            "formal_reason",
            "awarded_amount",
            "submitted_at",
            "entered_by_official",
            "card_submitted_at",
            "card_verified_at",
            "competition_id",
            "organisation__name",
            "organisation__short_name",
        )
        .order_by("submitted_at", "pk")
    )


def submitting_organisations(*, user, competition) -> QuerySet:
    """The organisations the user may submit for: their verified ones, and for the
    municipality's officials every verified organisation seated there (paper offers)."""
    queryset = Organisation.objects.filter(status=Organisation.Status.VERIFIED)
    mine = Q(pk__in=verified_organisation_ids(user))
    if is_city_official(user, competition.municipality_id):
        mine |= Q(seat_municipality_id=competition.municipality_id)
    return queryset.filter(mine).order_by("name")


# --- offers ------------------------------------------------------------------------------------


def offer_get_for_user(*, user, pk) -> Offer:
    """An offer its organisation's members or the municipality's officials see; otherwise 404
    (the committee reads offers through the scoring pages)."""
    offer = (
        Offer.objects.select_related(
            "competition__municipality", "competition__sphere", "organisation"
        )
        .filter(pk=_pk(pk))
        .first()
    )
    if offer is None or not can_view_offer(user, offer):
        raise Http404
    return offer


def offer_contributions(*, offer) -> list[OfferOutcome]:
    return list(offer.outcomes.select_related("outcome").order_by("outcome__order", "outcome_id"))


def offers_of_user(*, user) -> QuerySet:
    return (
        Offer.objects.filter(organisation_id__in=list(member_organisations(user)))
        .select_related("competition", "organisation")
        .order_by("-submitted_at", "-pk")
    )


# --- ranking and results -----------------------------------------------------------------------


@dataclass
class Ranking:
    results: scoring_selectors.Results | None
    failed: list[Offer]  # failed the formal check, listed apart with the reason
    budget: Decimal
    awarded: Decimal


def competition_ranking(*, competition) -> Ranking:
    """The committee's means per criterion and the ranking (``scoring``), and apart from them
    the offers that failed the formal check."""
    panel = competition_panel(competition=competition)
    results = scoring_selectors.panel_results(panel=panel) if panel is not None else None
    if results is not None:
        failed = [row.item for row in results.excluded]
    else:
        failed = [offer for offer, _reason in formally_failed(competition)]
    awarded = sum(
        (
            result.item.awarded_amount
            for result in (results.items if results else [])
            if result.item.awarded_amount
        ),
        Decimal(0),
    )
    return Ranking(results=results, failed=failed, budget=competition.budget, awarded=awarded)


def offer_contribution_map(*, competition) -> dict[int, dict[int, OfferOutcome]]:
    """{offer id: {outcome id: promised contribution}} of the whole competition, one query."""
    rows = {}
    for row in OfferOutcome.objects.filter(offer__competition=competition).only(
        "offer_id", "outcome_id", "contribution", "promised_quantity"
    ):
        rows.setdefault(row.offer_id, {})[row.outcome_id] = row
    return rows


# --- other pages' sections and monitoring ------------------------------------------------------


def organisation_grants(*, organisation) -> list[Offer]:
    """The grants the organisation received in competitions with published results."""
    return list(
        Offer.objects.filter(organisation=organisation, status=Offer.Status.FUNDED)
        .select_related("competition")
        .order_by("-competition__decided_at", "-pk")[:20]
    )


def _period(municipality, start: date, end: date):
    tz = timezone.get_current_timezone()
    return Offer.objects.filter(
        status=Offer.Status.FUNDED,
        competition__municipality=municipality,
        competition__decided_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        competition__decided_at__lte=datetime.combine(end, time.max, tzinfo=tz),
    )


def indicator_grants_awarded(*, municipality, start: date, end: date) -> int:
    """Grants awarded in open competitions whose results were published in the period."""
    return _period(municipality, start, end).count()


def indicator_grants_value(*, municipality, start: date, end: date) -> Decimal:
    return _period(municipality, start, end).aggregate(total=Sum("awarded_amount"))[
        "total"
    ] or Decimal(0)


def indicator_direct_share(*, municipality, start: date, end: date) -> Decimal | None:
    """The share (%) of the grant money awarded in the period that went to offers promising a
    direct contribution to at least one strategy outcome."""
    offers = _period(municipality, start, end)
    total = offers.aggregate(total=Sum("awarded_amount"))["total"]
    if not total:
        return None
    direct = offers.filter(
        pk__in=OfferOutcome.objects.filter(contribution=Contribution.DIRECT).values("offer_id")
    ).aggregate(total=Sum("awarded_amount"))["total"] or Decimal(0)
    return (direct * 100 / total).quantize(Decimal("0.1"))


def indicator_cards_returned(*, municipality, start: date, end: date) -> int:
    """Cards after funding returned by funded PES in the period."""
    tz = timezone.get_current_timezone()
    return Offer.objects.filter(
        competition__municipality=municipality,
        card_submitted_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        card_submitted_at__lte=datetime.combine(end, time.max, tzinfo=tz),
    ).count()


def cards_awaited(*, ended_before: date) -> QuerySet:
    """Funded offers whose task ended before ``ended_before`` and whose card after funding has
    not come back yet, with what their reminder needs."""
    from .models import Offer

    return (
        Offer.objects.filter(
            status=Offer.Status.FUNDED,
            card_submitted_at__isnull=True,
            competition__task_ends_on__lt=ended_before,
        )
        .select_related("competition")
        .order_by("pk")
    )
