"""Reads of strategies, competitions, offers and results; each list is one queryset with its
joins, each page a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from directory.models import Organisation
from pestor import roles
from pestor.related_rows import JSONRows, instances
from scoring import selectors as scoring_selectors
from scoring.models import Panel

from .filters import CompetitionFilterSet
from .models import (
    Competition,
    Contribution,
    FormalCriterion,
    MeritCriterion,
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


# What the competition's page shows of its card (the outcomes it serves, its merit and formal
# criteria), read with the competition's row (pestor.related_rows) instead of a query each.
OUTCOME_FIELDS = ("id", "goal_id", "name", "measure", "unit", "order")
MERIT_FIELDS = ("id", "competition_id", "name", "max_points", "order")
FORMAL_FIELDS = ("id", "competition_id", "name", "order")
OUTCOME_ORDER = ("goal__area__order", "goal__order", "order", "pk")


def competition_get_for_user(*, user, pk, with_card: bool = False) -> Competition:
    """An announced competition, or a draft its officials see; otherwise the same 404.
    ``with_card``: with the outcomes it serves and its criteria in the same query
    (``competition_outcomes``, ``competition_merit_criteria``, ``competition_formal_criteria``)."""
    queryset = Competition.objects.select_related("municipality", "sphere")
    if with_card:
        queryset = queryset.annotate(
            outcome_rows=JSONRows(
                StrategyOutcome.objects.filter(competitions=OuterRef("pk")).order_by(
                    *OUTCOME_ORDER
                ),
                OUTCOME_FIELDS,
            ),
            merit_rows=JSONRows(
                MeritCriterion.objects.filter(competition=OuterRef("pk")).order_by("order", "pk"),
                MERIT_FIELDS,
            ),
            formal_rows=JSONRows(
                FormalCriterion.objects.filter(competition=OuterRef("pk")).order_by("order", "pk"),
                FORMAL_FIELDS,
            ),
        )
    competition = queryset.filter(pk=_pk(pk)).first()
    if competition is None or (
        competition.status == Competition.Status.DRAFT
        and not is_city_official(user, competition.municipality_id)
    ):
        raise Http404
    return competition


def competition_outcomes(*, competition) -> list[StrategyOutcome]:
    """The outcomes the competition serves, in the strategy's order (each with its goal and
    area, unless they came with the competition's row: then their own fields only)."""
    if "_grants_outcomes" not in competition.__dict__:
        if hasattr(competition, "outcome_rows"):
            outcomes = instances(
                StrategyOutcome, competition.outcome_rows, using=competition._state.db
            )
        else:
            outcomes = list(
                competition.outcomes.select_related("goal__area").order_by(*OUTCOME_ORDER)
            )
        competition.__dict__["_grants_outcomes"] = outcomes
    return competition.__dict__["_grants_outcomes"]


def competition_merit_criteria(*, competition) -> list[MeritCriterion]:
    if hasattr(competition, "merit_rows"):
        return instances(MeritCriterion, competition.merit_rows, using=competition._state.db)
    return list(competition.merit_criteria.all())


def competition_formal_criteria(*, competition) -> list[FormalCriterion]:
    if hasattr(competition, "formal_rows"):
        return instances(FormalCriterion, competition.formal_rows, using=competition._state.db)
    return list(competition.formal_criteria.all())


def competition_panel(*, competition, reader=None, with_results: bool = False) -> Panel | None:
    """The committee's panel of the competition (opened when it is announced), read once: the
    first call decides what is read with it (``scoring.selectors.panel_for_owner``: ``reader``'s
    seat, and ``with_results`` what the results count besides the sheets)."""
    if "_grants_panel" not in competition.__dict__:
        competition.__dict__["_grants_panel"] = scoring_selectors.panel_for_owner(
            owner=competition, reader=reader, with_results=with_results
        )
    return competition.__dict__["_grants_panel"]


OFFER_COLUMNS = [field.name for field in Offer._meta.concrete_fields]
ORGANISATION_NAME = ["organisation__name", "organisation__short_name", "organisation__slug"]


def scored_offers(competition) -> QuerySet:
    """What the committee scores: the offers not withdrawn, once the deadline has passed
    (nobody scores an offer its PES may still change). Those that failed the formal check are
    among them and kept out by ``formally_failed`` (scoring lists them apart)."""
    if competition.status == Competition.Status.DRAFT or timezone.now() < competition.offers_until:
        return Offer.objects.none()
    return (
        competition.offers.exclude(status=Offer.Status.WITHDRAWN)
        .select_related("organisation")
        # Of the organisation, only what the sheets and the ranking name it by: its whole row
        # (dozens of columns, many dates to convert) for 500 offers cost the ranking ~20 ms.
        .only(*OFFER_COLUMNS, *ORGANISATION_NAME)
        .order_by("submitted_at", "pk")
    )


def formally_failed(competition) -> list[tuple[Offer, str]]:
    """The offers that failed the formal check, with the reason: scoring keeps them out of the
    sheets and the ranking and lists them apart (taken from the competition's offers when its
    page has read them already: ``competition_offer_list``)."""
    offers = competition.__dict__.get("_grants_offers")
    if offers is not None:
        return [
            (offer, offer.formal_reason)
            for offer in offers
            if offer.formal_status == Offer.Formal.FAILED and offer.status != Offer.Status.WITHDRAWN
        ]
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


def competition_offer_list(*, competition) -> list[Offer]:
    """``competition_offers`` read once per competition object (its page lists them for the
    officials, and takes the ranking's failed offers from them)."""
    if "_grants_offers" not in competition.__dict__:
        competition.__dict__["_grants_offers"] = list(competition_offers(competition=competition))
    return competition.__dict__["_grants_offers"]


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


def organisation_grants_rows() -> JSONRows:
    """``organisation_grants`` of the organisation ``OuterRef("pk")`` (what its page shows of
    them), as JSON rows to annotate it with (its page's section, ``pestor.sections``)."""
    return JSONRows(
        Offer.objects.filter(organisation=OuterRef("pk"), status=Offer.Status.FUNDED)
        .annotate(competition_title=F("competition__title"))
        .order_by("-competition__decided_at", "-pk")[:20],
        ("id", "task_title", "awarded_amount", "competition_id", "competition_title"),
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


# --- the analysis per strategy area -------------------------------------------------------------


def area_get(*, pk) -> StrategyArea:
    area = StrategyArea.objects.select_related("strategy__municipality").filter(pk=_pk(pk)).first()
    if area is None:
        raise Http404
    return area


def area_outcomes(*, area) -> list[StrategyOutcome]:
    return list(
        StrategyOutcome.objects.filter(goal__area=area)
        .select_related("goal")
        .order_by("goal__order", "goal_id", "order", "pk")
    )


def area_competitions(*, area) -> list[Competition]:
    """The competitions with published results that serve an outcome of the area."""
    return list(
        Competition.objects.filter(
            status=Competition.Status.DECIDED,
            pk__in=Competition.objects.filter(outcomes__goal__area=area).values("pk"),
        )
        .only("pk", "title", "budget", "decided_at")
        .order_by("-decided_at", "-pk")
    )


def analysis_pdf(*, competition=None, area=None):
    """The PDF of the competition's or the area's analysis (its job and file), or None."""
    from .models import AnalysisPdf

    if competition is not None:
        return AnalysisPdf.objects.filter(competition=competition).first()
    return AnalysisPdf.objects.filter(area=area).first()


def awarded_grants() -> QuerySet:
    """Every grant awarded in a competition with published results, oldest decision first, with
    what its open data names (``grants.opendata``); read it with ``.iterator()``."""
    return (
        Offer.objects.filter(
            status=Offer.Status.FUNDED, competition__status=Competition.Status.DECIDED
        )
        .select_related("organisation", "competition__municipality")
        .only(
            "pk",
            "task_title",
            "task_description",
            "grant_requested",
            "awarded_amount",
            "organisation__name",
            "organisation__krs",
            "organisation__nip",
            "competition__title",
            "competition__decided_at",
            "competition__task_starts_on",
            "competition__task_ends_on",
            "competition__municipality__name",
            "competition__municipality__teryt",
        )
        .order_by("competition__decided_at", "competition_id", "pk")
    )


def ledger_grants(*, organisation=None, municipality=None) -> QuerySet:
    """Grants awarded, per year of the decision: ``year``, ``count`` and ``value`` (the amount
    awarded), of one organisation or of a municipality's competitions (opendata's ledger)."""
    grants = Offer.objects.filter(
        status=Offer.Status.FUNDED, competition__status=Competition.Status.DECIDED
    )
    if organisation is not None:
        grants = grants.filter(organisation=organisation)
    if municipality is not None:
        grants = grants.filter(competition__municipality=municipality)
    return (
        grants.annotate(year=ExtractYear("competition__decided_at"))
        .values("year")
        .annotate(count=Count("pk"), value=Sum("awarded_amount"))
        .order_by("-year")
    )
