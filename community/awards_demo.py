"""Demo data of the award and the contests: last year's President's award with its jury's
scores and laureates, this year's open call with nominations (one with a letter of support),
and this year's best product or service contest with offers of the exchange and a public vote.
Everything goes through the services, as the officials, jurors and residents would."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from directory.models import Organisation
from pestor.demo import DemoContext, plural

from . import awards_services as services
from .awards_models import AWARD_CATEGORY, AwardCall, Nomination, Vote


def _end_of(day):
    """A deadline at the end of ``day`` (23:59), as calls set them: one at midnight reads as
    "do 31.12 00:00", the day before in effect."""
    return day + timedelta(hours=23, minutes=59)


CRITERIA = [
    {"name": "Wpływ na rozwiązanie problemu społecznego", "max_points": 10},
    {"name": "Trwałość i skala działań", "max_points": 10},
    {"name": "Współpraca z miastem i innymi sektorami", "max_points": 5},
]
CONTEST_CATEGORY = "Najlepszy produkt lub usługa ekonomii społecznej"
AWARD_RULES = (
    "Nagroda Prezydenta Miasta Torunia w kategorii „Przedsiębiorczość i ekonomia społeczna” "
    "wyróżnia podmioty i osoby, które łączą działalność gospodarczą z rozwiązywaniem problemów "
    "społecznych miasta. Zgłoszenia mogą składać mieszkańcy, instytucje i organizacje."
)


def _pdf():
    from .demo import PDF

    return SimpleUploadedFile("list-poparcia.pdf", PDF, content_type="application/pdf")


def _jury(context, call, *, scores, close):
    """The official chairs the jury with a colleague and a PES representative; the colleague
    declares a conflict of interest with the first nomination; the others score everything."""
    from scoring.demo_panels import seat_and_score

    official = context.accounts["official_torun"]
    return seat_and_score(
        context,
        panel=services.jury_create(call=call, actor=official, criteria=CRITERIA),
        chair=official,
        items=list(call.nominations.order_by("pk")),
        scores=scores,
        conflict_note="Współpracuję z kandydatem przy projekcie miejskim.",
        close=close,
    )


def load(context: DemoContext) -> str:
    torun = context.municipalities["torun"]
    official = context.accounts["official_torun"]
    resident = context.accounts["resident"]
    pes_owner = context.accounts["pes_owner"]
    buyer = context.accounts["business_buyer"]
    monitoring = context.accounts["monitoring"]
    verified = [
        organisation
        for organisation in context.organisations.values()
        if organisation.status == Organisation.Status.VERIFIED
    ]
    year = context.now.year

    # Last year's award: nominated in the spring, scored, laureates announced at the Forum.
    last = services.call_create(
        actor=official,
        municipality=torun,
        kind=AwardCall.Kind.AWARD,
        year=year - 1,
        category=AWARD_CATEGORY,
        description=AWARD_RULES,
        nominations_until=_end_of(context.day(days_ago=400)),
        laureate_places=2,
    )
    nominated_at = context.day(days_ago=420)
    for nominator, organisation, text in (
        (resident, verified[0], "Catering dla szkół przygotowywany przez osoby wykluczone."),
        (pes_owner, verified[1], "Opieka wytchnieniowa dla rodzin osób z niepełnosprawnością."),
        (buyer, verified[2], "Zieleń miejska utrzymywana przez uczestników CIS."),
    ):
        services.nomination_create(
            call=last,
            actor=nominator,
            organisation=organisation,
            justification=text,
            now=nominated_at,
        )
    services.nomination_create(
        call=last,
        actor=resident,
        person_name="Halina Zawadzka, prezeska spółdzielni socjalnej",
        justification="Od 15 lat buduje miejsca pracy dla osób wychodzących z bezdomności.",
        now=nominated_at,
    )
    _jury(context, last, scores=[(9, 9, 5), (8, 7, 4), (6, 6, 3), (7, 8, 4)], close=True)
    services.results_publish(call=last, actor=official, now=context.day(days_ago=380))

    # This year's call: open, with nominations, one with a letter of support.
    current = services.call_create(
        actor=official,
        municipality=torun,
        kind=AwardCall.Kind.AWARD,
        year=year,
        category=AWARD_CATEGORY,
        description=AWARD_RULES,
        nominations_until=_end_of(context.day(days_ago=-30)),
        laureate_places=3,
    )
    services.nomination_create(
        call=current,
        actor=resident,
        organisation=verified[3 % len(verified)],
        justification="Sklep społeczny i warsztaty kulinarne dla seniorów z Rubinkowa.",
        on_behalf_of="Rada Osiedla Rubinkowo",
        letters=[_pdf()],
        now=context.moment(days_ago=3),
    )
    services.nomination_create(
        call=current,
        actor=pes_owner,
        organisation=verified[4 % len(verified)],
        justification="Pralnia społeczna zatrudniająca absolwentów CIS.",
        now=context.moment(days_ago=2),
    )
    services.nomination_create(
        call=current,
        actor=monitoring,
        person_name="Tomasz Brzeziński, koordynator Laboratorium Ekonomii Społecznej",
        justification="Prowadzi dialog urzędu z PES, z którego wyszły klauzule społeczne.",
        now=context.moment(days_ago=1),
    )

    # The best product or service contest: nominations closed, the public vote open.
    contest = services.call_create(
        actor=official,
        municipality=torun,
        kind=AwardCall.Kind.CONTEST,
        year=year,
        category=CONTEST_CATEGORY,
        description="Konkurs na najlepszy produkt lub usługę z Giełdy zamówień społecznych.",
        nominations_until=_end_of(context.day(days_ago=2)),
        laureate_places=1,
        public_vote=True,
        votes_until=_end_of(context.day(days_ago=-20)),
    )
    from exchange import selectors as exchange_selectors

    offers = list(
        exchange_selectors.offer_cards([offer.pk for offer in context.offers]).order_by("pk")[:4]
    )
    nominators = [resident, pes_owner, buyer, monitoring]
    contest_entries = [
        services.nomination_create(
            call=contest,
            actor=nominator,
            offer=offer,
            justification=f"„{offer.title}”: jakość, cena i zatrudnienie osób wykluczonych.",
            now=context.day(days_ago=10),
        )
        for nominator, offer in zip(nominators, offers, strict=False)
    ]
    voters = [resident, pes_owner, buyer, monitoring, context.accounts["official_lubicz"]]
    for number, voter in enumerate(voters):
        if contest_entries:
            entry = contest_entries[min(number % 3, len(contest_entries) - 1)]
            services.vote_cast(
                call=contest, nomination=entry, actor=voter, now=context.now - timedelta(hours=2)
            )
    _jury(context, contest, scores=[(8, 8, 4), (7, 9, 3), (9, 6, 5)], close=False)

    return ", ".join(
        [
            plural(AwardCall.objects.count(), "nabór nagrody", "nabory nagród", "naborów nagród"),
            plural(Nomination.objects.count(), "zgłoszenie", "zgłoszenia", "zgłoszeń"),
            plural(Vote.objects.count(), "głos", "głosy", "głosów"),
        ]
    )
