"""A competition at the issue's scale, for ``bench_pages --only grants``:

    python manage.py grants_scale --offers 500 --members 5 --criteria 15

Toruń's official (from ``load_demo``) announces a culture competition with ``criteria`` criteria
(merit criteria and two strategy outcomes); ``offers`` verified organisations submit; the chair
and ``members - 1`` others each submit a sheet for every offer; the chair closes scoring and
funds the best offers within the budget. Rows are written in bulk; the scoring itself is the
``scoring`` app's data as its services would leave it.
"""

import time
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from directory.models import LegalForm, Organisation, PublicBenefitSphere
from pestor.demo import OFFICIAL_TORUN
from pestor.models import Department, Municipality, OfficialMembership, User
from scoring import services as scoring_services
from scoring.models import Declaration, Member, Score, Submission

from ... import selectors, services
from ...models import Competition, Contribution, Offer, OfferOutcome, StrategyOutcome


class Command(BaseCommand):
    help = "Creates an open competition at the issue's scale for bench_pages --only grants."

    def add_arguments(self, parser):
        parser.add_argument("--offers", type=int, default=500)
        parser.add_argument("--members", type=int, default=5)
        parser.add_argument("--criteria", type=int, default=15)

    @transaction.atomic
    def handle(self, *args, offers, members, criteria, **options):
        started = time.monotonic()
        official = User.objects.filter(email=OFFICIAL_TORUN.email).first()
        torun = Municipality.objects.filter(slug="torun").first()
        outcomes = list(
            StrategyOutcome.objects.filter(goal__area__strategy__municipality=torun)[:2]
        )
        sphere = PublicBenefitSphere.objects.filter(code="16").first()
        if official is None or len(outcomes) < 2 or sphere is None:
            raise CommandError("Load the demo first (manage.py load_demo).")
        merit = [(f"Kryterium merytoryczne {n + 1}", 10) for n in range(criteria - len(outcomes))]
        now = timezone.now()
        competition = services.competition_create(
            municipality=torun,
            actor=official,
            outcomes=outcomes,
            merit_criteria=merit,
            title=f"Konkurs w skali: {offers} ofert, {members} członków, {criteria} kryteriów",
            description="Dane do pomiaru wydajności.",
            sphere=sphere,
            budget=Decimal(offers) * 5000,
            offers_from=now - timedelta(days=60),
            offers_until=now + timedelta(days=1),
            task_starts_on=date(now.year + 1, 1, 1),
            task_ends_on=date(now.year + 1, 12, 31),
            alignment_points=Decimal(20),
        )
        services.competition_publish(competition=competition, actor=official)
        Competition.objects.filter(pk=competition.pk).update(offers_until=now - timedelta(days=1))
        competition.refresh_from_db()
        stamp = int(now.timestamp())
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Stowarzyszenie Konkursowe {stamp}-{n}",
                slug=f"konkurs-{stamp}-{n}",
                legal_form=LegalForm.values[n % len(LegalForm.values)],
                nip=f"{(stamp % 10**5):05d}{n:05d}",
                street="ul. Konkursowa 1",
                postal_code="87-100",
                city="Toruń",
                seat_municipality=torun,
                status=Organisation.Status.VERIFIED,
                search_text=f"stowarzyszenie konkursowe {n}",
            )
            for n in range(offers)
        )
        rows = Offer.objects.bulk_create(
            Offer(
                competition=competition,
                organisation=organisation,
                task_title=f"Zadanie kulturalne {n + 1}",
                task_description="Opis zadania.",
                schedule="cały rok",
                total_cost=Decimal(12000),
                grant_requested=Decimal(10000),
                own_funds=Decimal(1000),
                in_kind_value=Decimal(500),
                volunteer_hours=50,
                volunteer_value=Decimal(1500),
                formal_status=Offer.Formal.PASSED,
                submitted_by=official,
                submitted_at=now - timedelta(days=10),
            )
            for n, organisation in enumerate(organisations)
        )
        OfferOutcome.objects.bulk_create(
            OfferOutcome(
                offer=offer,
                outcome=outcome,
                contribution=Contribution.DIRECT if n % 2 else Contribution.INDIRECT,
                promised_quantity=Decimal(100) if n % 2 else None,
            )
            for n, offer in enumerate(rows)
            for outcome in outcomes
        )
        panel = selectors.competition_panel(competition=competition)
        # Grant committees seat the municipality's officials (directory.permissions).
        department = Department.objects.filter(municipality=torun).first()
        for n in range(members - 1):
            user = User.objects.create(email=f"komisja-{stamp}-{n}@pestor.example")
            OfficialMembership.objects.create(user=user, department=department)
            scoring_services.member_add(panel=panel, user=user, actor=official)
        seats = list(Member.objects.filter(panel=panel))
        item_type = ContentType.objects.get_for_model(Offer)
        Declaration.objects.bulk_create(
            Declaration(member=seat, item_type=item_type, item_id=offer.pk, conflict=False)
            for seat in seats
            for offer in rows
        )
        sheets = Submission.objects.bulk_create(
            Submission(
                member=seat,
                item_type=item_type,
                item_id=offer.pk,
                status=Submission.Status.SUBMITTED,
                submitted_at=now,
            )
            for seat in seats
            for offer in rows
        )
        panel_criteria = list(panel.criteria.all())
        Score.objects.bulk_create(
            (
                Score(
                    submission=sheet,
                    criterion=criterion,
                    points=(criterion.max_points * ((sheet.item_id + n) % 10 + 1) / 10).quantize(
                        Decimal("0.01")
                    ),
                )
                for sheet in sheets
                for n, criterion in enumerate(panel_criteria)
            ),
            batch_size=5000,
        )
        scoring_services.panel_close(panel=panel, actor=official)
        competition.__dict__.pop("_grants_panel", None)
        ranking = selectors.competition_ranking(competition=competition)
        amounts = {
            result.item.pk: Decimal(10000) for result in ranking.results.items[: offers // 4]
        }
        services.competition_decide(competition=competition, actor=official, amounts=amounts)
        self.stdout.write(
            f"Competition {competition.pk}: {offers} offers, {len(seats)} members, "
            f"{len(panel_criteria)} criteria, {len(sheets) * len(panel_criteria)} scores "
            f"({time.monotonic() - started:.1f} s)."
        )
