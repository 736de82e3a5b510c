"""Partnerships and finance at the issue's scale, measured:

    python manage.py bench_partnerships --partnerships 5000 --memberships 100000 --loans 50000

Loads the rows in bulk (after ``load_demo``; skipped with ``--no-generate`` when already there),
then requests the pages the issue names as an anonymous visitor ``--requests`` times each — the
page of the largest partnership with its members' combined offer (all themes, and one theme) and
the public totals of the loans — and prints the median and 95th percentile in milliseconds and
the number of queries of each page. Timed in-process with Django's test client (no network).
"""

import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import LegalForm, Organisation
from exchange.models import Offer
from pestor.models import Municipality

from ... import selectors
from ...models import Loan, LoanRequest, Partnership, PartnershipMember, Product, Theme

COMPUTED_TOTALS = "public totals (computed: the cache emptied)"


class Command(BaseCommand):
    help = "Generates partnerships, memberships and loans at scale and measures their pages."

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=5000)
        parser.add_argument("--memberships", type=int, default=100_000)
        parser.add_argument("--loans", type=int, default=50_000)
        parser.add_argument("--organisations", type=int, default=2000)
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--no-generate", action="store_true")

    def handle(self, *args, **options):
        if not options["no_generate"]:
            started = time.monotonic()
            self._generate(options)
            self.stdout.write(f"generated in {time.monotonic() - started:.1f} s")
        self.stdout.write(
            f"rows: {Partnership.objects.count()} partnerships, "
            f"{PartnershipMember.objects.count()} memberships, {Loan.objects.count()} loans, "
            f"{Offer.objects.count()} offers"
        )
        largest = (
            Partnership.objects.filter(name__startswith="Klaster w skali").order_by("pk").first()
            or Partnership.objects.order_by("pk").first()
        )
        if largest is None:
            raise CommandError("No partnership: load the demo or generate the data first.")
        theme = largest.themes.order_by("position").first()
        pages = [
            ("partnership page, combined offer", largest.get_absolute_url()),
            ("partnership page, page 3 of the offer", largest.get_absolute_url() + "?page=3"),
            ("public totals (kept in the cache)", reverse("finance:totals")),
            (COMPUTED_TOTALS, reverse("finance:totals")),
            ("partnerships list", reverse("partnerships:partnership-list")),
        ]
        if theme is not None:
            pages.insert(
                1,
                ("partnership page, one theme", f"{largest.get_absolute_url()}?theme={theme.slug}"),
            )
        client = Client(HTTP_HOST="127.0.0.1")
        self.stdout.write(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label, url in pages:
            client.get(url)  # warm
            times, queries = [], 0
            for _number in range(options["requests"]):
                if label == COMPUTED_TOTALS:
                    selectors.finance_totals_forget()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
                queries = len(captured)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            self.stdout.write(
                f"{label:45} {statistics.median(times):10.1f} {p95:8.1f} {queries:8d}"
            )

    @transaction.atomic
    def _generate(self, options):
        municipality = Municipality.objects.order_by("pk").first()
        product = Product.objects.order_by("pk").first()
        themes = list(Theme.objects.order_by("position"))
        if municipality is None or product is None:
            raise CommandError("Load the demo first (manage.py load_demo).")
        stamp = int(timezone.now().timestamp()) % 10**6
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Spółdzielnia w skali {stamp}-{n}",
                slug=f"skala-{stamp}-{n}",
                legal_form=LegalForm.SOCIAL_COOPERATIVE,
                nip=f"{stamp:06d}{n:04d}"[-10:],
                regon=f"{n:09d}",
                street="ul. Skalowa 1",
                postal_code="00-001",
                city=municipality.name,
                seat_municipality=municipality,
                status=Organisation.Status.VERIFIED,
            )
            for n in range(options["organisations"])
        )
        organisation_ids = [organisation.pk for organisation in organisations]
        partnerships = Partnership.objects.bulk_create(
            Partnership(
                name=("Klaster w skali" if n == 0 else "Partnerstwo w skali") + f" {stamp}-{n}",
                slug=f"skala-{stamp}-{n}",
                kind=Partnership.Kind.values[n % 3],
                coordinator_municipality=municipality,
            )
            for n in range(options["partnerships"])
        )
        Partnership.themes.through.objects.bulk_create(
            Partnership.themes.through(partnership_id=p.pk, theme_id=t.pk)
            for p in partnerships
            for t in themes
        )
        Partnership.territory.through.objects.bulk_create(
            Partnership.territory.through(partnership_id=p.pk, municipality_id=municipality.pk)
            for p in partnerships
        )
        today = timezone.localdate()
        per = max(1, options["memberships"] // len(partnerships))
        members = []
        for index, partnership in enumerate(partnerships):
            for k in range(per):
                members.append(
                    PartnershipMember(
                        partnership=partnership,
                        kind=PartnershipMember.Kind.ORGANISATION,
                        organisation_id=organisation_ids[(index * per + k) % len(organisation_ids)],
                        status=PartnershipMember.Status.ACTIVE,
                        joined_on=today,
                    )
                )
        # The measured cluster: every organisation that offers something in the exchange.
        with_offers = set(Offer.objects.public().values_list("organisation_id", flat=True))
        taken = {m.organisation_id for m in members if m.partnership_id == partnerships[0].pk}
        members += [
            PartnershipMember(
                partnership=partnerships[0],
                kind=PartnershipMember.Kind.ORGANISATION,
                organisation_id=organisation_id,
                status=PartnershipMember.Status.ACTIVE,
                joined_on=today,
            )
            for organisation_id in with_offers - taken
        ]
        created = PartnershipMember.objects.bulk_create(members, batch_size=5000)
        PartnershipMember.themes.through.objects.bulk_create(
            (
                PartnershipMember.themes.through(
                    partnershipmember_id=member.pk, theme_id=themes[n % len(themes)].pk
                )
                for n, member in enumerate(created)
            ),
            batch_size=5000,
        )
        requests = LoanRequest.objects.bulk_create(
            (
                LoanRequest(
                    product=product,
                    organisation_id=organisation_ids[n % len(organisation_ids)],
                    amount=Decimal(10000 + n % 50 * 1000),
                    need="Skala",
                    purpose_kind=LoanRequest.Purpose.GRANT,
                    purpose="Skala",
                    status=LoanRequest.Status.GRANTED,
                )
                for n in range(options["loans"])
            ),
            batch_size=5000,
        )
        Loan.objects.bulk_create(
            (
                Loan(
                    request=request,
                    amount=request.amount,
                    granted_on=today - timedelta(days=n % 700),
                    due_on=today + timedelta(days=365),
                    organisation_id=request.organisation_id,
                    product_kind=Product.Kind.values[n % 4],
                    municipality=municipality,
                    repaid=(request.amount / 4).quantize(Decimal("0.01")),
                    jobs_created=n % 3,
                    jobs_kept=n % 2,
                )
                for n, request in enumerate(requests)
            ),
            batch_size=5000,
        )
        transaction.on_commit(selectors.finance_totals_forget)
