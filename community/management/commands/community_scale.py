"""Events, competence surveys, the award and the contests at the issue's scale, for
``bench_pages --only wydarzenia`` and ``--only surveys``:

    python manage.py community_scale --events 20000 --registrations 500000 --largest 2000 \
        --surveys 100 --survey-answers 50000 --survey-largest 5000 \
        --award-calls 5000 --contest-entries 2000 --votes 200000

Spreads ``events`` published events over every municipality and the two years around today
(Toruń's official publishes the largest, in Toruń, with ``largest`` participants); the other
registrations are shared among the rest. The surveys: ``community.surveys_scale``. Then
``award-calls`` calls with published results, ten nominations each (three laureates), over every
municipality and the years back from this one, and one contest of Toruń with a public vote open,
whose entries are the first ``contest-entries`` public offers of the exchange (run
``generate_national_data`` first for thousands) with ``votes`` votes spread over them (the
counters the services keep; the votes' own rows are not written: no page reads them but the
voter's own). Rows are written in bulk, with the counters the services would leave (places
taken, waiting, votes). ``--events 0`` (or ``--surveys 0``, ``--award-calls 0``) skips a part.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from pestor.demo import MONITORING, OFFICIAL_TORUN
from pestor.models import Municipality, User

from ...models import AwardCall, Event, Nomination, Registration

BATCH = 5000


class Command(BaseCommand):
    help = "Creates events and registrations at the issue's scale for bench_pages."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=20_000)
        parser.add_argument("--registrations", type=int, default=500_000)
        parser.add_argument("--largest", type=int, default=2_000)
        # Competence surveys: Toruń's largest with --survey-largest of the answers.
        parser.add_argument("--surveys", type=int, default=100)
        parser.add_argument("--survey-answers", type=int, default=50_000)
        parser.add_argument("--survey-largest", type=int, default=5_000)
        parser.add_argument("--award-calls", type=int, default=5_000)
        parser.add_argument("--contest-entries", type=int, default=2_000)
        parser.add_argument("--votes", type=int, default=200_000)

    @transaction.atomic
    def handle(self, *args, events, registrations, largest, **options):
        self._surveys(options)
        if events:
            self._events(events=events, registrations=registrations, largest=largest)
        if options["award_calls"]:
            self._awards(
                calls=options["award_calls"],
                entries=options["contest_entries"],
                votes=options["votes"],
            )

    def _events(self, *, events, registrations, largest):
        started = time.monotonic()
        rng = random.Random(14)
        official = User.objects.filter(email=OFFICIAL_TORUN.email).first()
        torun = Municipality.objects.filter(slug="torun").first()
        if official is None or torun is None:
            raise CommandError("Load the demo first (manage.py load_demo).")
        municipalities = list(Municipality.objects.values_list("pk", flat=True))
        users = list(User.objects.values_list("pk", flat=True)[:500])
        now = timezone.now()
        kinds, audiences = Event.Kind.values, Event.Audience.values
        rows = []
        for index in range(events):
            start = now + timedelta(days=rng.randrange(-365, 365), hours=rng.randrange(24))
            rows.append(
                Event(
                    municipality_id=torun.pk if index == 0 else rng.choice(municipalities),
                    kind=Event.Kind.FORUM if index == 0 else rng.choice(kinds),
                    title=f"Wydarzenie w skali {index + 1}",
                    programme="Program.",
                    programme_html="<p>Program.</p>",
                    starts_at=start,
                    ends_at=start + timedelta(hours=rng.randrange(1, 9)),
                    venue=f"Sala {index % 50 + 1}",
                    audience=rng.choice(audiences),
                    capacity=largest if index == 0 else 100,
                    registration_deadline=start - timedelta(days=1),
                    status=Event.Status.PUBLISHED,
                    created_by_id=official.pk,
                    published_at=start - timedelta(days=30),
                )
            )
        created = Event.objects.bulk_create(rows, batch_size=BATCH)
        # The largest first (Toruń's Forum), the rest shared among the other events.
        per_event = [largest] + [0] * (len(created) - 1)
        for _index in range(max(0, registrations - largest)):
            per_event[rng.randrange(1, len(created))] += 1
        batch = []
        written = 0
        for event, count in zip(created, per_event, strict=True):
            confirmed = min(count, event.capacity)
            for number in range(count):
                batch.append(
                    Registration(
                        event_id=event.pk,
                        registered_by_id=rng.choice(users),
                        name=f"Uczestnik {number + 1}",
                        email=f"u{event.pk}-{number}@skala.example",
                        affiliation=rng.choice(Registration.Affiliation.values),
                        status=(
                            Registration.Status.CONFIRMED
                            if number < confirmed
                            else Registration.Status.WAITING
                        ),
                        created_at=event.published_at + timedelta(minutes=number),
                    )
                )
            event.seats_taken, event.waiting = confirmed, count - confirmed
            if len(batch) >= BATCH:
                Registration.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        Registration.objects.bulk_create(batch)
        written += len(batch)
        Event.objects.bulk_update(created, ["seats_taken", "waiting"], batch_size=BATCH)
        self.stdout.write(
            f"{len(created)} events, {written} registrations (the largest: {largest}) "
            f"in {time.monotonic() - started:.0f} s."
        )

    def _surveys(self, options):
        from ... import surveys_scale

        if not options["surveys"]:
            return
        started = time.monotonic()
        torun = Municipality.objects.filter(slug="torun").first()
        author = User.objects.filter(email=MONITORING.email).first()
        if torun is None or author is None:
            raise CommandError("Load the demo first (manage.py load_demo).")
        rows = surveys_scale.create(
            surveys=options["surveys"],
            answers=options["survey_answers"],
            largest=options["survey_largest"],
            torun=torun,
            municipalities=list(Municipality.objects.values_list("pk", flat=True)),
            author=author,
        )
        self.stdout.write(
            f"{options['surveys']} surveys, {options['survey_answers']} responses "
            f"({rows} answer rows; the largest: {options['survey_largest']}) "
            f"in {time.monotonic() - started:.0f} s."
        )

    def _awards(self, *, calls, entries, votes):
        from directory.models import Organisation
        from exchange import selectors as exchange_selectors

        started = time.monotonic()
        rng = random.Random(1414)
        official = User.objects.get(email=OFFICIAL_TORUN.email)
        torun = Municipality.objects.get(slug="torun")
        municipalities = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
        organisations = list(
            Organisation.objects.filter(status=Organisation.Status.VERIFIED).values_list(
                "pk", flat=True
            )[:5000]
        )
        now = timezone.now()
        this_year = timezone.localdate().year
        used = set(AwardCall.objects.values_list("municipality_id", "kind", "year", "category"))
        rows = []
        index = 0
        while len(rows) < calls:
            municipality = municipalities[index % len(municipalities)]
            year = this_year - 1 - index // len(municipalities)
            index += 1
            key = (municipality, AwardCall.Kind.AWARD, year, "Skala")
            if key in used:
                continue
            closed = now - timedelta(days=365 * (this_year - year))
            rows.append(
                AwardCall(
                    municipality_id=municipality,
                    kind=AwardCall.Kind.AWARD,
                    year=year,
                    category="Skala",
                    nominations_until=closed,
                    laureate_places=3,
                    results_published_at=closed + timedelta(days=30),
                    created_by_id=official.pk,
                )
            )
        created = AwardCall.objects.bulk_create(rows, batch_size=BATCH)
        batch = []
        for call in created:
            for place, organisation in enumerate(rng.sample(organisations, 3), start=1):
                batch.append(
                    Nomination(
                        call_id=call.pk,
                        nominator_id=official.pk,
                        organisation_id=organisation,
                        justification="Uzasadnienie.",
                        jury_total=30 - place,
                        place=place,
                    )
                )
            batch.extend(
                Nomination(
                    call_id=call.pk,
                    nominator_id=official.pk,
                    person_name=f"Osoba {number}",
                    justification="Uzasadnienie.",
                    jury_total=20 - number,
                )
                for number in range(7)
            )
            if len(batch) >= BATCH:
                Nomination.objects.bulk_create(batch)
                batch = []
        Nomination.objects.bulk_create(batch)
        offers = list(
            exchange_selectors.offer_list()
            .qs.order_by("pk")
            .values_list("pk", "organisation_id")[:entries]
        )
        contest = AwardCall.objects.create(
            municipality=torun,
            kind=AwardCall.Kind.CONTEST,
            year=this_year,
            category=f"Skala {now:%Y%m%d%H%M%S}",
            nominations_until=now - timedelta(days=1),
            public_vote=True,
            votes_until=now + timedelta(days=30),
            created_by=official,
        )
        per_entry = [0] * len(offers)
        for _vote in range(votes if offers else 0):
            per_entry[min(int(rng.expovariate(5 / len(offers))), len(offers) - 1)] += 1
        Nomination.objects.bulk_create(
            (
                Nomination(
                    call=contest,
                    nominator_id=official.pk,
                    offer_id=offer,
                    organisation_id=organisation,
                    justification="Uzasadnienie.",
                    votes=count,
                )
                for (offer, organisation), count in zip(offers, per_entry, strict=True)
            ),
            batch_size=BATCH,
        )
        self.stdout.write(
            f"{len(created)} award calls with {len(created) * 10} nominations "
            f"({len(created) * 3} laureates); a contest with {len(offers)} entries and "
            f"{sum(per_entry)} votes, in {time.monotonic() - started:.0f} s."
        )
