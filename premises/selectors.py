"""Reads of the premises policy: the public registry, map and results, the officials' lists,
the support totals, and what other apps read (the organisation page, monitoring, personal
data)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from directory.models import Organisation, OrganisationMembership, PublicBenefitSphere
from pestor import roles
from pestor.maps import BoundingBox, features_in_box, grid_name
from pestor.related_rows import JSONRows, instances

from .filters import PremisesFilterSet
from .models import (
    AdministeringUnit,
    AnnualReport,
    Application,
    CallDecision,
    DiscountPolicy,
    Lease,
    LeaseSupportYear,
    Premises,
    PremisesCall,
    VacancyAlert,
)
from .permissions import is_city_official, member_organisations


def member_emails(organisation_ids) -> list[str]:
    return list(
        OrganisationMembership.objects.filter(
            organisation_id__in=list(organisation_ids), user__is_active=True
        ).values_list("user__email", flat=True)
    )


# --- the public registry and map ---------------------------------------------------------------


def premises_list(*, filters=None) -> PremisesFilterSet:
    queryset = Premises.objects.public().order_by("district", "address", "pk")
    return PremisesFilterSet(data=filters or None, queryset=queryset)


def premises_rows(keys) -> QuerySet:
    """A page of the table: the columns it shows."""
    return Premises.objects.filter(pk__in=keys).only(
        "pk",
        "address",
        "district",
        "floor",
        "area_m2",
        "status",
        "step_free_entrance",
        "accessible_toilet",
        "market_rent_m2",
    )


MAP_FEATURES_LIMIT = 1000


def premises_map_features(
    queryset: QuerySet, *, bbox: BoundingBox, limit: int | None = None, filters=None
) -> dict:
    """The premises of ``queryset`` within ``bbox`` as GeoJSON: at most ``limit`` points, or for a
    crowded box their counts per grid cell (``pestor.maps.features_in_box``). The grid of a
    crowded box (the whole country's: a GROUP BY over 20 000 premises, 30 ms) is kept in the
    cache, named by the ``filters`` the queryset was made with (the request's query), until a
    premises changes (``apps``)."""
    labels = dict(Premises.Status.choices)
    detail = reverse("premises:premises-detail", kwargs={"pk": 0})[:-2]
    return features_in_box(
        queryset,
        bbox=bbox,
        limit=limit or MAP_FEATURES_LIMIT,
        fields=("pk", "address", "status", "area_m2"),
        properties=lambda row: {
            "name": f"{row[1]} ({row[3]} m², {labels[row[2]]})",
            "url": f"{detail}{row[0]}/",
            "status": row[2],
        },
        keep_grid=grid_name(filters),
    )


def premises_get_public(*, user, pk: int) -> Premises:
    """One premises: public unless not for lease, which its officials still see."""
    premises = get_object_or_404(
        Premises.objects.select_related("unit", "unit__department", "municipality"), pk=pk
    )
    if premises.status == Premises.Status.NOT_FOR_LEASE and not is_city_official(
        user, premises.municipality_id
    ):
        from django.http import Http404

        raise Http404
    return premises


def premises_get_for_manager(*, user, pk: int) -> Premises:
    """Premises the user manages; others are the same 404 as missing ones."""
    premises = get_object_or_404(Premises.objects.select_related("unit", "municipality"), pk=pk)
    if not is_city_official(user, premises.municipality_id):
        from django.http import Http404

        raise Http404
    return premises


def current_lease(*, premises: Premises, on: date | None = None) -> Lease | None:
    on = on or timezone.localdate()
    return (
        Lease.objects.filter(premises=premises, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("organisation", "sphere")
        .first()
    )


def premises_support(*, premises: Premises) -> list[dict]:
    """Per year, the support the premises' leases were worth."""
    return list(
        LeaseSupportYear.objects.filter(lease__premises=premises)
        .values("year")
        .annotate(support=Sum("support"), charged=Sum("charged"))
        .order_by("-year")
    )


def units_for(*, user) -> QuerySet:
    """The administering units the user may put premises under."""
    queryset = AdministeringUnit.objects.select_related("department", "municipality")
    if roles.is_administrator(user):
        return queryset
    return queryset.filter(municipality_id__in=roles.official_municipality_ids(user))


def districts(*, municipality_id=None) -> list[str]:
    queryset = Premises.objects.public()
    if municipality_id:
        queryset = queryset.filter(municipality_id=municipality_id)
    return list(queryset.order_by("district").values_list("district", flat=True).distinct()[:200])


# --- the policy ---------------------------------------------------------------------------------


def policy_get(*, municipality) -> DiscountPolicy | None:
    return (
        DiscountPolicy.objects.filter(municipality=municipality)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "sphere_discounts__sphere",
                queryset=PublicBenefitSphere.objects.order_by("position"),
            ),
            "floor_discounts",
        )
        .first()
    )


def spheres() -> QuerySet:
    return PublicBenefitSphere.objects.order_by("position")


def policies() -> QuerySet:
    return DiscountPolicy.objects.select_related("municipality").order_by("municipality__name")


def policy_text(policy: DiscountPolicy) -> dict:
    """The policy grouped for its page: the spheres by maximum discount, the floors' points."""
    groups: dict[Decimal, list] = {}
    for row in policy.sphere_discounts.all():
        groups.setdefault(row.max_percent, []).append(row.sphere)
    for spheres in groups.values():
        spheres.sort(key=lambda sphere: sphere.position)
    return {
        "groups": sorted(groups.items(), key=lambda item: -item[0]),
        "floors": sorted(policy.floor_discounts.all(), key=lambda row: -row.extra_points),
    }


# --- calls -------------------------------------------------------------------------------------


def call_list_public() -> QuerySet:
    return (
        PremisesCall.objects.exclude(status=PremisesCall.Status.DRAFT)
        .select_related("municipality")
        .annotate(premises_count=Count("premises", distinct=True))
        .order_by("-opens_at", "-pk")
    )


def call_drafts(*, user) -> QuerySet:
    queryset = PremisesCall.objects.filter(status=PremisesCall.Status.DRAFT).select_related(
        "municipality"
    )
    if roles.is_administrator(user):
        return queryset
    return queryset.filter(municipality_id__in=roles.official_municipality_ids(user))


def call_get_for_user(*, user, pk: int) -> PremisesCall:
    """A published call, or a draft its officials see; otherwise the same 404."""
    call = get_object_or_404(PremisesCall.objects.select_related("municipality"), pk=pk)
    if call.status == PremisesCall.Status.DRAFT and not is_city_official(
        user, call.municipality_id
    ):
        from django.http import Http404

        raise Http404
    return call


def call_premises(*, call: PremisesCall) -> list[Premises]:
    return list(call.premises.order_by("district", "address"))


def call_applications(*, call: PremisesCall) -> QuerySet:
    """Every application of the call (its officials)."""
    return (
        call.applications.select_related("organisation", "premises")
        .prefetch_related("documents")
        .order_by("premises__address", "submitted_at")
    )


def call_results(*, call: PremisesCall) -> list[CallDecision]:
    return list(
        call.decisions.select_related(
            "premises", "application__organisation", "decided_by"
        ).order_by("premises__address")
    )


def call_result_applicants(*, call: PremisesCall) -> QuerySet:
    """Published with the results: who applied for what (never the documents)."""
    return (
        call.applications.exclude(status=Application.Status.WITHDRAWN)
        .select_related("organisation", "premises")
        .order_by("premises__address", "organisation__name")
    )


def applications_of_user(*, user) -> QuerySet:
    return (
        Application.objects.filter(organisation_id__in=list(member_organisations(user)))
        .select_related("call", "premises", "organisation")
        .order_by("-submitted_at")
    )


def application_get_for_user(*, user, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("call", "premises", "organisation"), pk=pk
    )
    from .permissions import can_view_application

    if not can_view_application(user, application):
        from django.http import Http404

        raise Http404
    return application


def applying_organisations(*, user) -> QuerySet:
    return Organisation.objects.filter(
        pk__in=[
            pk
            for pk, status in member_organisations(user).items()
            if status == Organisation.Status.VERIFIED
        ]
    ).order_by("name")


def alerts_of_user(*, user) -> QuerySet:
    return (
        VacancyAlert.objects.filter(organisation_id__in=list(member_organisations(user)))
        .select_related("organisation", "municipality")
        .order_by("-created_at")
    )


def alert_get_for_user(*, user, pk: int) -> VacancyAlert:
    return get_object_or_404(alerts_of_user(user=user), pk=pk)


# --- leases and support ------------------------------------------------------------------------


def lease_list(*, user) -> QuerySet:
    """The leases the user sees: their municipality's (officials), their organisations'."""
    queryset = Lease.objects.select_related("premises", "organisation", "sphere")
    if roles.is_administrator(user):
        return queryset
    return queryset.filter(
        Q(municipality_id__in=roles.official_municipality_ids(user))
        | Q(organisation_id__in=list(member_organisations(user)))
    )


def lease_get_for_user(*, user, pk: int) -> Lease:
    return get_object_or_404(lease_list(user=user).select_related("application"), pk=pk)


def lease_months_table(*, lease: Lease, until: date | None = None):
    from .rules import lease_months

    today = timezone.localdate()
    until = until or date(today.year + 1, 1, 1)
    return lease_months(
        lease=lease,
        rates=list(lease.rates.order_by("valid_from")),
        area=lease.premises.area_m2,
        until=until,
    )


SUPPORT_GROUPS = {
    "year": ("year",),
    "tenant": ("organisation__name", "organisation__slug"),
    "district": ("district",),
    "sphere": ("sphere__code", "sphere__name"),
}


def support_totals(*, municipality=None, by: str = "year", year: int | None = None) -> list[dict]:
    """Support value (and rent charged, months, leases) grouped by year, tenant, district or
    sphere: one GROUP BY over the yearly rows."""
    queryset = LeaseSupportYear.objects.all()
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    if year is not None:
        queryset = queryset.filter(year=year)
    fields = SUPPORT_GROUPS[by]
    return list(
        queryset.values(*fields)
        .annotate(
            support=Sum("support"),
            charged=Sum("charged"),
            leases=Count("lease", distinct=True),
        )
        .order_by(*(["-year"] if by == "year" else ["-support", *fields]))[:500]
    )


def results_years() -> list[int]:
    """The years with support, newest first: from the first and the last year (two ends of
    the year index) rather than a DISTINCT over every row of the country."""
    bounds = LeaseSupportYear.objects.aggregate(first=Min("year"), last=Max("year"))
    if bounds["last"] is None:
        return []
    return list(range(bounds["last"], max(bounds["first"], bounds["last"] - 29) - 1, -1))


def results(*, year: int, municipality=None) -> dict:
    """The public results of a year: per district and per sphere, the premises leased to PES,
    their area, the support value, and what the accepted reports say (beneficiaries,
    events, hours); the totals. Two GROUP BYs over the support rows, two over the reports."""
    support = LeaseSupportYear.objects.filter(year=year)
    reports = AnnualReport.objects.filter(year=year, status=AnnualReport.Status.ACCEPTED)
    if municipality is not None:
        support = support.filter(municipality=municipality)
        reports = reports.filter(lease__municipality=municipality)

    def grouped(key_support, key_report, label):
        rows = {
            row[key_support]: {
                "label": label(row),
                "premises": row["premises"],
                "area": row["area"] or Decimal(0),
                "support": row["support"] or Decimal(0),
                "beneficiaries": 0,
                "events": 0,
                "reports": 0,
            }
            for row in support.values(*_keys(key_support))
            .annotate(
                premises=Count("lease__premises", distinct=True),
                area=Sum("area_m2"),
                support=Sum("support"),
            )
            .order_by()
        }
        for row in (
            reports.values(key_report)
            .annotate(beneficiaries=Sum("beneficiaries"), events=Sum("events"), count=Count("pk"))
            .order_by()
        ):
            target = rows.get(row[key_report])
            if target is not None:
                target.update(
                    beneficiaries=row["beneficiaries"] or 0,
                    events=row["events"] or 0,
                    reports=row["count"],
                )
        return sorted(rows.values(), key=lambda row: (-row["support"], row["label"]))

    by_district = grouped("district", "lease__district", lambda row: row["district"])
    by_sphere = grouped("sphere__name", "lease__sphere__name", lambda row: row["sphere__name"])
    totals = {
        "premises": sum(row["premises"] for row in by_district),
        "area": sum((row["area"] for row in by_district), Decimal(0)),
        "support": sum((row["support"] for row in by_district), Decimal(0)),
        "beneficiaries": sum(row["beneficiaries"] for row in by_district),
        "events": sum(row["events"] for row in by_district),
        "reports": sum(row["reports"] for row in by_district),
    }
    return {"by_district": by_district, "by_sphere": by_sphere, "totals": totals}


def _keys(key):
    return (key,)


def results_premises_rows(*, year: int, municipality=None):
    """One row per lease of the year with its premises, tenant, support and report: the CSV,
    XLSX and GeoJSON downloads."""
    queryset = (
        LeaseSupportYear.objects.filter(year=year)
        .select_related("lease__premises", "organisation", "sphere")
        .annotate(
            beneficiaries=Sum(
                "lease__reports__beneficiaries",
                filter=Q(
                    lease__reports__year=year,
                    lease__reports__status=AnnualReport.Status.ACCEPTED,
                ),
            )
        )
        .order_by("district", "lease__premises__address", "pk")
    )
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    return queryset


# --- the tenants' reports ----------------------------------------------------------------------


def due_reports(*, today: date, within_days: int = 0, municipality_ids=None) -> list[dict]:
    """Reports on last year not filed (or returned and not filed again) whose due date is at
    most ``within_days`` away or past, for leases that ran last year."""
    year = today.year - 1
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    filed = AnnualReport.objects.filter(
        lease=OuterRef("pk"),
        year=year,
        status__in=[AnnualReport.Status.SUBMITTED, AnnualReport.Status.ACCEPTED],
    )
    leases = (
        Lease.objects.filter(starts_on__lt=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .exclude(Exists(filed))
        .select_related("premises", "organisation", "municipality__premises_policy")
        .order_by("municipality_id", "pk")
    )
    if municipality_ids is not None:
        leases = leases.filter(municipality_id__in=list(municipality_ids))
    found = []
    for lease in leases.iterator(chunk_size=500):
        policy = getattr(lease.municipality, "premises_policy", None)
        due = policy.report_due(year) if policy else date(year + 1, 3, 31)
        if due - timedelta(days=within_days) <= today:
            found.append({"lease": lease, "year": year, "due": due})
    return found


def overdue_reports(*, user, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    ids = None if roles.is_administrator(user) else roles.official_municipality_ids(user)
    return [item for item in due_reports(today=today, municipality_ids=ids) if item["due"] < today][
        :500
    ]


def reports_to_decide(*, user) -> QuerySet:
    queryset = AnnualReport.objects.filter(status=AnnualReport.Status.SUBMITTED).select_related(
        "lease__premises", "lease__organisation"
    )
    if roles.is_administrator(user):
        return queryset
    return queryset.filter(lease__municipality_id__in=roles.official_municipality_ids(user))


def report_get_for_user(*, user, pk: int) -> AnnualReport:
    report = get_object_or_404(
        AnnualReport.objects.select_related("lease__premises", "lease__organisation"), pk=pk
    )
    from .permissions import can_view_report

    if not can_view_report(user, report):
        from django.http import Http404

        raise Http404
    return report


# --- what other apps read ----------------------------------------------------------------------


def organisation_premises_rows() -> dict:
    """For the page of the organisation ``OuterRef("pk")``: its latest 20 leases and the
    support per year (the latest 10), as JSON rows to annotate it with (its page's section,
    ``pestor.sections``)."""
    leases = (
        Lease.objects.filter(organisation=OuterRef("pk"))
        .annotate(premises_address=F("premises__address"))
        .order_by("-starts_on", "-pk")[:20]
    )
    years = (
        LeaseSupportYear.objects.filter(organisation=OuterRef("pk"))
        .values("year")
        .annotate(support=Sum("support"))
        .order_by("-year")[:10]
    )
    return {
        "premises_lease_rows": JSONRows(
            leases,
            ("id", "premises_id", "premises_address", "starts_on", "ends_on", "discount_percent"),
        ),
        "premises_year_rows": JSONRows(years, ("year", "support")),
    }


CENT = Decimal("0.01")


def organisation_premises_of_rows(*, leases: list, years: list) -> dict:
    """The section's leases, years and total from ``organisation_premises_rows``' JSON rows.
    A lease's discount is recorded for every year of its term: the years to come are shown
    apart (``planned``) and left out of the support received, as the open-data ledger does."""
    this_year = timezone.localdate().year
    years = [
        {"year": row["year"], "support": Decimal(row["support"] or 0).quantize(CENT)}
        for row in years
    ]
    given = [row for row in years if row["year"] <= this_year]
    return {
        "leases": instances(Lease, leases),
        "years": given,
        "planned": [row for row in years if row["year"] > this_year],
        "total": sum((row["support"] for row in given), Decimal(0)),
    }


def _municipality_id(municipality):
    return municipality if isinstance(municipality, int) else municipality.pk


def indicator_premises_leased(*, municipality, start: date, end: date) -> int:
    """Premises leased to PES at any time in the period."""
    return (
        Lease.objects.filter(municipality_id=_municipality_id(municipality), starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .values("premises")
        .distinct()
        .count()
    )


def indicator_support_value(*, municipality, start: date, end: date) -> Decimal:
    """Support value of the leases in the years the period spans (kept per year)."""
    total = LeaseSupportYear.objects.filter(
        municipality_id=_municipality_id(municipality), year__gte=start.year, year__lte=end.year
    ).aggregate(total=Sum("support"))["total"]
    return (total or Decimal(0)).quantize(Decimal("0.01"))


def indicator_beneficiaries(*, municipality, start: date, end: date) -> int:
    """Beneficiaries of the premises' tenants in the accepted reports of the period's years."""
    return (
        AnnualReport.objects.filter(
            lease__municipality_id=_municipality_id(municipality),
            status=AnnualReport.Status.ACCEPTED,
            year__gte=start.year,
            year__lte=end.year,
        ).aggregate(total=Sum("beneficiaries"))["total"]
        or 0
    )


def personal_data(*, user) -> dict:
    """What the person filed: applications, alerts and reports (RODO art. 15, 20)."""
    return {
        "applications": [
            {
                "call": application.call.title,
                "premises": str(application.premises),
                "organisation": application.organisation.name,
                "submitted": application.submitted_at.isoformat(),
                "intended_use": application.intended_use,
                "status": application.status,
            }
            for application in Application.objects.filter(submitted_by=user).select_related(
                "call", "premises", "organisation"
            )
        ],
        "alerts": [
            {
                "organisation": alert.organisation.name,
                "district": alert.district,
                "purpose": alert.purpose,
                "created": alert.created_at.isoformat(),
            }
            for alert in VacancyAlert.objects.filter(created_by=user).select_related("organisation")
        ],
        "annual_reports": [
            {
                "lease": str(report.lease),
                "year": report.year,
                "submitted": report.submitted_at.isoformat(),
            }
            for report in AnnualReport.objects.filter(submitted_by=user).select_related(
                "lease__premises", "lease__organisation"
            )
        ],
    }


# --- the committee (scoring) ---------------------------------------------------------------------


def committee_items(call: PremisesCall) -> QuerySet:
    """What the call's committee scores (its registration with ``scoring``): the applications
    not withdrawn, once the call has closed (nothing before: the committee meets after the
    close, when no application can change any more), by premises and order of submission."""
    queryset = (
        call.applications.exclude(status=Application.Status.WITHDRAWN)
        .select_related("organisation", "premises")
        .order_by("premises__address", "submitted_at", "pk")
    )
    if call.status == PremisesCall.Status.DRAFT or timezone.now() < call.closes_at:
        return queryset.none()
    return queryset


def committee_label(application: Application) -> str:
    return f"{application.organisation.display_name} — {application.premises.address}"


def committee_panel(*, call: PremisesCall):
    """The call's scoring panel, or None until an official sets the criteria."""
    from scoring import selectors as scoring_selectors

    return scoring_selectors.panel_for_owner(owner=call)


@dataclass
class RankedApplication:
    """One application's result in the committee, ranked among those for the same premises."""

    result: object  # scoring.selectors.ItemResult
    rank: int | None

    @property
    def application(self) -> Application:
        return self.result.item


@dataclass
class PremisesRanking:
    premises: Premises
    rows: list[RankedApplication] = field(default_factory=list)


def committee_ranking(*, panel) -> tuple[list, list[PremisesRanking]]:
    """(criteria, rankings per premises): the committee's means per criterion and totals, each
    premises' applications ranked by total (equal totals share a rank, unscored ones last and
    unranked), in a fixed number of queries (``scoring.selectors.panel_results``)."""
    from scoring import selectors as scoring_selectors

    results = scoring_selectors.panel_results(panel=panel)
    rankings: dict[int, PremisesRanking] = {}
    for result in results.items:  # ranked: highest total first, unscored last
        premises = result.item.premises
        ranking = rankings.setdefault(premises.pk, PremisesRanking(premises=premises))
        rank = None
        if result.scorers:
            previous = ranking.rows[-1] if ranking.rows else None
            if previous is not None and previous.result.total == result.total:
                rank = previous.rank
            else:
                rank = len(ranking.rows) + 1
        ranking.rows.append(RankedApplication(result=result, rank=rank))
    ordered = sorted(rankings.values(), key=lambda r: (r.premises.address, r.premises.pk))
    return results.criteria, ordered


def committee_criteria(*, panel) -> list:
    from scoring import selectors as scoring_selectors

    return scoring_selectors.criteria_of(panel=panel)


def committee_members(*, panel) -> list:
    from scoring import selectors as scoring_selectors

    return list(scoring_selectors.member_list(panel=panel))


# --- the rules' history ---------------------------------------------------------------------------

POLICY_HISTORY_LIMIT = 20


def policy_history(*, policy: DiscountPolicy) -> list[dict]:
    """The latest versions of the rules, newest first, each read as the policy page states
    rules (spheres grouped by maximum discount, the floors' points), in two queries."""
    from .models import Floor, PolicyRevision

    revisions = list(
        PolicyRevision.objects.filter(policy=policy).order_by("-revised_at", "-pk")[
            :POLICY_HISTORY_LIMIT
        ]
    )
    if not revisions:
        return []
    names = dict(PublicBenefitSphere.objects.values_list("code", "name"))
    floors = dict(Floor.choices)
    history = []
    for revision in revisions:
        rules = revision.rules or {}
        groups: dict[Decimal, list[str]] = {}
        for code, percent in (rules.get("spheres") or {}).items():
            groups.setdefault(Decimal(percent), []).append(names.get(code, code))
        history.append(
            {
                "revision": revision,
                "groups": sorted(groups.items(), key=lambda item: -item[0]),
                "floors": sorted(
                    (
                        (floors.get(floor, floor), Decimal(points))
                        for floor, points in (rules.get("floors") or {}).items()
                    ),
                    key=lambda item: -item[1],
                ),
                "discount_months": rules.get("discount_months"),
                "lease_term_months": rules.get("lease_term_months"),
            }
        )
    return history


def ledger_support(*, organisation=None, municipality=None) -> QuerySet:
    """The value of the discounts on municipal premises, per year: ``year``, ``count`` (leases)
    and ``value`` (market rent minus rent charged), of one organisation or of all PES in the
    municipality's premises. One GROUP BY over the yearly rows."""
    rows = LeaseSupportYear.objects.all()
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    return (
        rows.values("year")
        .annotate(count=Count("lease", distinct=True), value=Sum("support"))
        .order_by("-year")
    )


def open_data_support():
    """Every year of support on municipal premises for open data, streamed in chunks: the
    year, months, area, rent charged and support value, the premises (its address, district
    and coordinates, for a public premises only), the tenant PES (name, KRS, NIP), the sphere
    and the municipality (name, TERYT). No person: no contact, no signatory, no document."""
    public = Premises.objects.public().filter(pk=OuterRef("lease__premises_id"))
    return (
        LeaseSupportYear.objects.annotate(premises_public=Exists(public))
        .values(
            "pk",
            "year",
            "months",
            "area_m2",
            "charged",
            "support",
            "district",
            "lease_id",
            "lease__premises_id",
            "lease__premises__address",
            "lease__premises__latitude",
            "lease__premises__longitude",
            "lease__premises__floor",
            "premises_public",
            "organisation__name",
            "organisation__krs",
            "organisation__nip",
            "sphere__name",
            "municipality__name",
            "municipality__teryt",
        )
        .order_by("year", "municipality__teryt", "pk")
        .iterator(chunk_size=2000)
    )


def calls_of_organisation(*, organisation) -> list[PremisesCall]:
    """The public calls the organisation applied to (an application not withdrawn), latest
    first: what another app may refer to (e.g. the purpose of a loan)."""
    return list(
        PremisesCall.objects.filter(
            applications__organisation=organisation,
            applications__status__in=[
                status
                for status in Application.Status.values
                if status != Application.Status.WITHDRAWN
            ],
        )
        .exclude(status=PremisesCall.Status.DRAFT)
        .distinct()
        .order_by("-opens_at", "-pk")[:50]
    )
