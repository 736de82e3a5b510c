"""Time the market-research note (rozeznanie rynku) of a notice with many answers.

    python scripts/bench_pdf.py [--answers 50] [--runs 3]

Runs against the configured database (migrated); the notice, organisations and answers it adds
are created in a transaction that is rolled back, so the database is left as it was.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pestor.settings")


class Rollback(Exception):
    pass


def build_notice(answers):
    from django.utils import timezone

    from demand.models import (
        Answer,
        ConsortiumPartner,
        DemandNotice,
        NoticeMatch,
        SocialClauseCheck,
    )
    from directory.models import LegalForm, Organisation
    from exchange.models import CpvCode
    from pestor.models import Department, Municipality

    municipality = Municipality.objects.create(
        name="Gmina Pomiarowa", slug="bench-pdf-gmina", teryt="0499999", voivodeship="04"
    )
    department = Department.objects.create(
        municipality=municipality, name="Wydział Zamówień Publicznych"
    )
    notice = DemandNotice.objects.create(
        title="Catering na Forum Ekonomii Społecznej „Łączy nas Toruń”",
        description="Obiad i dwie przerwy kawowe dla 300 uczestników.\n" * 5,
        quantity=Decimal("300"),
        unit="osób",
        estimated_value=Decimal("45000.00"),
        answers_deadline=timezone.now() - timedelta(days=1),
        delivery_place="Centrum Kulturalno-Kongresowe Jordanki, Toruń",
        contact_name="Małgorzata Żelazna",
        contact_email="zamowienia@example.org",
        municipality=municipality,
        department=department,
        status=DemandNotice.Status.AWARDED,
        published_at=timezone.now() - timedelta(days=15),
        award_date=timezone.localdate(),
        awarded_value=Decimal("41250.00"),
    )
    notice.cpv_codes.set(CpvCode.objects.filter(code__in=["55520000", "55320000", "55321000"]))
    SocialClauseCheck.objects.create(
        notice=notice,
        estimated_value=notice.estimated_value,
        procurement_law_applies=False,
        reserved_for_pes=True,
    )
    forms = list(LegalForm.values)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Spółdzielnia Socjalna Pomiarowa nr {number} „Źródło”",
            slug=f"bench-pdf-{number}",
            legal_form=forms[number % len(forms)],
            nip=f"99{number:08d}",
            regon=f"99{number:07d}",
            street="ul. Łazienna 1",
            postal_code="87-100",
            city="Toruń",
            seat_municipality=municipality,
            status=Organisation.Status.VERIFIED,
            is_social_enterprise=number % 2 == 0,
            social_enterprise_since=date(2024, 1, 15) if number % 2 == 0 else None,
        )
        for number in range(answers * 2)
    )
    leads, partners = organisations[:answers], organisations[answers:]
    NoticeMatch.objects.bulk_create(
        NoticeMatch(notice=notice, organisation=organisation) for organisation in leads
    )
    created = Answer.objects.bulk_create(
        Answer(
            notice=notice,
            organisation=organisation,
            kind=Answer.Kind.OFFER,
            price_net=Decimal("40000.00") + number * 125,
            is_awarded=number == 0,
        )
        for number, organisation in enumerate(leads)
    )
    ConsortiumPartner.objects.bulk_create(
        ConsortiumPartner(answer=answer, organisation=partner, confirmed_at=timezone.now())
        for answer, partner in zip(created[::5], partners, strict=False)
    )
    return notice


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from demand.pdf import market_research_note_pdf

    try:
        with transaction.atomic(), translation.override("pl"):
            notice = build_notice(options.answers)
            timings = []
            for _ in range(options.runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    data = market_research_note_pdf(notice)
                    timings.append(time.perf_counter() - started)
            print(
                f"market-research note, {options.answers} answers, database {connection.vendor}: "
                f"median {statistics.median(timings):.2f} s, max {max(timings):.2f} s over "
                f"{options.runs} runs; {len(data) // 1024} KiB, {len(queries)} queries"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
