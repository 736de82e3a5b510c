"""National-scale premises policy (20 000 premises, 60 000 leases, five years of support and
annual reports at full scale); ``pestor.bulk`` describes the module. ``manage.py
premises_bulk`` adds the same rows to a database that already holds the other apps' data.

Premises lie around the municipalities' centres, administered by one department each; every
premises has up to four leases one after another (never overlapping, so the exclusion
constraint accepts each row COPY writes), with their rate, the yearly support rows the lease
services would compute, and an accepted report for each finished year.
"""

from datetime import date, timedelta
from decimal import Decimal

from directory.models import Organisation, PublicBenefitSphere
from pestor.bulk import BulkContext, spread
from pestor.models import Department, Municipality

from .models import (
    AdministeringUnit,
    AnnualReport,
    Floor,
    Lease,
    LeaseRate,
    LeaseSupportYear,
    Premises,
)
from .rules import lease_months

PREMISES = 20_000
LEASES = 60_000
YEARS = 5
DISTRICTS = ("Centrum", "Stare Miasto", "Osiedle Północ", "Osiedle Południe", "Przedmieście")
FLOORS = [Floor.GROUND] * 5 + [
    Floor.BASEMENT,
    Floor.UPPER,
    Floor.ATTIC,
    Floor.OUTBUILDING,
    Floor.GATEWAY,
]


def load(context: BulkContext) -> str:
    rng = context.rng
    municipalities = list(
        Municipality.objects.filter(latitude__isnull=False).values_list(
            "pk", "latitude", "longitude"
        )
    )
    departments = dict(
        Department.objects.order_by("municipality_id", "-pk").values_list("municipality_id", "pk")
    )
    organisations = list(
        Organisation.objects.filter(status=Organisation.Status.VERIFIED).values_list(
            "pk", flat=True
        )[:20_000]
    )
    spheres = list(PublicBenefitSphere.objects.values_list("pk", flat=True))
    if not municipalities or not organisations or not spheres:
        return "0 lokali (brak gmin lub organizacji)"
    chosen = rng.sample(municipalities, min(len(municipalities), 400))
    units = []
    for pk, _lat, _lon in chosen:
        if pk in departments:
            units.append(
                AdministeringUnit(
                    department_id=departments[pk],
                    municipality_id=pk,
                    name="Zakład Gospodarki Lokalowej",
                    contact_email="lokale@gmina.example",
                )
            )
    context.writer.insert(AdministeringUnit, units)
    by_municipality = {unit.municipality_id: unit.pk for unit in units}
    places = [m for m in chosen if m[0] in by_municipality]
    premises_rows = []

    class Point:
        def __init__(self, lat, lon):
            self.latitude, self.longitude = float(lat), float(lon)

    def rows():
        for _n in range(context.count(PREMISES)):
            municipality, lat, lon = rng.choice(places)
            latitude, longitude = spread(rng, Point(lat, lon), radius=0.04)
            item = Premises(
                unit_id=by_municipality[municipality],
                municipality_id=municipality,
                address=f"{context.street()}, lokal {rng.randrange(1, 20)}",
                district=rng.choice(DISTRICTS),
                latitude=latitude,
                longitude=longitude,
                floor=rng.choice(FLOORS),
                area_m2=Decimal(rng.randrange(20, 250)),
                rooms=rng.randrange(1, 8),
                step_free_entrance=rng.random() < 0.5,
                accessible_toilet=rng.random() < 0.3,
                market_rent_m2=Decimal(rng.randrange(15, 60)),
                status=Premises.Status.VACANT,
                status_changed_at=context.now,
            )
            premises_rows.append(item)
            yield item

    context.writer.insert(Premises, rows())
    today = context.now.date()
    first = date(today.year - YEARS, 1, 1)
    leases = []

    def lease_rows():
        per_premises = max(1, round(context.count(LEASES) / max(1, len(premises_rows))))
        for item in premises_rows:
            start = first + timedelta(days=rng.randrange(0, 120))
            for _n in range(per_premises):
                length = rng.randrange(300, 700)
                end = start + timedelta(days=length)
                discount = Decimal(rng.choice((30, 50, 60, 70, 80, 90)))
                lease = Lease(
                    premises_id=item.pk,
                    organisation_id=rng.choice(organisations),
                    municipality_id=item.municipality_id,
                    district=item.district,
                    sphere_id=rng.choice(spheres),
                    activity="Działalność pożytku publicznego",
                    starts_on=start,
                    ends_on=end if end < today or rng.random() < 0.5 else None,
                    deposit=Decimal(0),
                    proposed_discount=discount,
                    discount_percent=discount,
                    discount_rule="",
                    discount_until=start + timedelta(days=365),
                )
                lease.area = item.area_m2
                lease.market = item.market_rent_m2
                leases.append(lease)
                yield lease
                if lease.ends_on is None:
                    break
                start = end + timedelta(days=rng.randrange(1, 60))
                if start >= today:
                    break

    from pestor.models import User

    creator = User.objects.order_by("pk").values_list("pk", flat=True).first()
    context.writer.insert(Lease, (_with_creator(lease, creator) for lease in lease_rows()))
    rates = []
    support = []
    reports = []
    until = date(today.year + 1, 1, 1)
    for lease in leases:
        rate = LeaseRate(
            lease_id=lease.pk,
            valid_from=lease.starts_on,
            basic_rent_m2=(lease.market * Decimal("0.8")).quantize(Decimal(1)),
            market_rent_m2=lease.market,
        )
        rates.append(rate)
        totals = {}
        for month in lease_months(lease=lease, rates=[rate], area=lease.area, until=until):
            row = totals.setdefault(month.month.year, [0, Decimal(0), Decimal(0)])
            row[0] += 1
            row[1] += month.charged
            row[2] += month.support
        for year, (count, charged, value) in totals.items():
            support.append(
                LeaseSupportYear(
                    lease_id=lease.pk,
                    year=year,
                    months=count,
                    charged=charged,
                    support=value,
                    municipality_id=lease.municipality_id,
                    organisation_id=lease.organisation_id,
                    sphere_id=lease.sphere_id,
                    district=lease.district,
                    area_m2=lease.area,
                )
            )
            if year < today.year:
                reports.append(
                    AnnualReport(
                        lease_id=lease.pk,
                        year=year,
                        activities="Zajęcia i spotkania",
                        beneficiaries=rng.randrange(20, 800),
                        hours_per_week=rng.randrange(5, 50),
                        events=rng.randrange(0, 40),
                        volunteers=rng.randrange(0, 20),
                        in_kind_contribution=Decimal(0),
                        narrative="Sprawozdanie roczne.",
                        status=AnnualReport.Status.ACCEPTED,
                        submitted_by_id=creator,
                        submitted_at=context.now,
                    )
                )
    context.writer.insert(LeaseRate, rates)
    context.writer.insert(LeaseSupportYear, support)
    context.writer.insert(AnnualReport, reports)
    running = {
        lease.premises_id for lease in leases if lease.ends_on is None or lease.ends_on > today
    }
    Premises.objects.filter(pk__in=running).update(status=Premises.Status.LEASED_PES)
    return (
        f"{len(premises_rows)} lokali, {len(leases)} umów najmu, {len(support)} lat wsparcia, "
        f"{len(reports)} sprawozdań"
    )


def _with_creator(lease, creator):
    lease.created_by_id = creator
    return lease
