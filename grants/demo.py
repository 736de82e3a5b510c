"""Demo data of the grants: the culture part of Toruń's development strategy, this year's open
culture competition with twelve offers scored by a committee of three (one of whom declares a
conflict of interest), its published results with five funded offers, and a competition taking
offers now. Everything goes through the services, as an official and the PES would."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.models import Organisation, PublicBenefitSphere
from pestor.demo import DemoContext, plural
from scoring import services as scoring_services
from scoring.models import Member
from scoring.services import ScoreInput

from . import selectors, services
from .models import Competition, Contribution, Offer, Strategy

STRATEGY = "Strategia rozwoju Torunia do roku 2020"
CULTURE_GOALS = [
    (
        "Toruń miastem aktywnego uczestnictwa w kulturze",
        [
            (
                "Więcej mieszkańców uczestniczy w kulturze",
                "mieszkańcy biorący udział w wydarzeniach kulturalnych",
                "osoby/rok",
            ),
            (
                "Oferta kulturalna w dzielnicach poza Starym Miastem",
                "wydarzenia kulturalne w dzielnicach",
                "wydarzenia/rok",
            ),
        ],
    ),
    (
        "Edukacja kulturalna i dziedzictwo",
        [
            (
                "Dzieci i młodzież w edukacji kulturalnej",
                "uczestnicy warsztatów i zajęć artystycznych",
                "osoby/rok",
            ),
            (
                "Dziedzictwo Torunia udostępnione mieszkańcom",
                "wystawy, spacery i publikacje o dziedzictwie",
                "wydarzenia/rok",
            ),
        ],
    ),
]

TASKS = [
    ("Festiwal podwórek Bydgoskiego Przedmieścia", 24000, "direct", "indirect", "none", "none"),
    ("Teatr w bramie: spektakle na Podgórzu", 30000, "direct", "direct", "indirect", "none"),
    ("Warsztaty ceramiki dla dzieci z Rubinkowa", 12000, "indirect", "direct", "direct", "none"),
    ("Spacery śladami toruńskich pierników", 8000, "indirect", "none", "none", "direct"),
    ("Kino plenerowe na Skarpie", 18000, "direct", "direct", "none", "none"),
    ("Orkiestra młodzieżowa Na Jordankach", 35000, "direct", "none", "direct", "none"),
    ("Zin o historii Mokrego", 6000, "none", "none", "indirect", "direct"),
    ("Koncerty w domach seniora", 15000, "direct", "indirect", "none", "none"),
    ("Wystawa: Toruń na starej fotografii", 20000, "indirect", "none", "none", "direct"),
    ("Letnia szkoła komiksu", 10000, "none", "indirect", "direct", "none"),
    ("Jarmark rękodzieła w Barbarce", 9000, "indirect", "indirect", "none", "none"),
    ("Potańcówki miejskie na Chełmińskim", 14000, "direct", "direct", "none", "none"),
]
QUANTITIES = {0: 800, 1: 12, 2: 150, 3: 6}


def existing_data() -> str:
    count = Competition.objects.count()
    return f"konkursy grantowe: {count}" if count else ""


def load(context: DemoContext) -> str:
    torun = context.municipalities["torun"]
    official = context.accounts["official_torun"]
    strategy = _strategy(torun, official)
    outcomes = list(
        services.StrategyOutcome.objects.filter(goal__area__strategy=strategy).order_by(
            "goal__order", "order"
        )
    )
    culture = PublicBenefitSphere.objects.filter(code="16").first()
    if culture is None:
        return plural(1, "strategia", "strategie", "strategii")
    competition = _decided_competition(context, torun, official, culture, outcomes)
    _open_competition(context, torun, official, culture, outcomes)
    _scoring_competition(context, torun, official, culture, outcomes)
    # A draft the office is still preparing (its officials only see it).
    services.competition_create(
        municipality=torun,
        actor=official,
        outcomes=outcomes[:1],
        title=f"Otwarty konkurs ofert: festiwale osiedlowe {context.now.year + 1} (projekt)",
        description="Projekt ogłoszenia: festiwale i pikniki osiedlowe.",
        sphere=culture,
        budget=Decimal("50000.00"),
        offers_from=context.day(days_ago=-10),
        offers_until=context.day(days_ago=-40),
        task_starts_on=date(context.now.year + 1, 6, 1),
        task_ends_on=date(context.now.year + 1, 9, 30),
        alignment_points=Decimal(20),
    )
    offers = competition.offers.count()
    funded = competition.offers.filter(status=Offer.Status.FUNDED).count()
    return ", ".join(
        [
            plural(1, "strategia", "strategie", "strategii"),
            plural(4, "konkurs", "konkursy", "konkursów"),
            plural(offers, "oferta", "oferty", "ofert"),
            plural(funded, "dotacja", "dotacje", "dotacji"),
        ]
    )


def _strategy(torun, official) -> Strategy:
    strategy = services.strategy_create(
        municipality=torun,
        actor=official,
        name=STRATEGY,
        first_year=2013,
        last_year=2020,
        resolution="Uchwała nr 502/13 Rady Miasta Torunia z dnia 12 grudnia 2013 r.",
    )
    services.strategy_area_build(
        strategy=strategy, actor=official, name="Kultura", goals=CULTURE_GOALS
    )
    return strategy


def _decided_competition(context, torun, official, culture, outcomes) -> Competition:
    year = context.now.year
    competition = services.competition_create(
        municipality=torun,
        actor=official,
        outcomes=outcomes,
        title=f"Otwarty konkurs ofert: kultura i sztuka w dzielnicach Torunia {year}",
        description=(
            "Wsparcie realizacji zadań publicznych z zakresu kultury, sztuki, ochrony dóbr "
            "kultury i dziedzictwa narodowego: wydarzenia w dzielnicach, edukacja kulturalna "
            "dzieci i młodzieży, udostępnianie dziedzictwa Torunia."
        ),
        sphere=culture,
        budget=Decimal("100000.00"),
        offers_from=context.day(days_ago=90),
        offers_until=context.now + timedelta(days=1),
        task_starts_on=date(year, 4, 1),
        task_ends_on=date(year, 11, 30),
        alignment_points=Decimal(20),
    )
    services.competition_publish(
        competition=competition, actor=official, now=context.day(days_ago=90)
    )
    # The PES representative on the committee helps two organisations; one of them applies,
    # so the demo has one declared conflict of interest.
    pes_editor = context.accounts["pes_editor"]
    editor_organisations = list(
        pes_editor.organisation_memberships.order_by("pk").values_list("organisation_id", flat=True)
    )
    organisations = [
        organisation
        for organisation in context.organisations.values()
        if organisation.status == Organisation.Status.VERIFIED
        and organisation.pk in context.owners
        and organisation.pk not in editor_organisations[1:]
    ][: len(TASKS)]
    offers = []
    for index, (organisation, task) in enumerate(zip(organisations, TASKS, strict=False)):
        offers.append(
            services.offer_submit(
                competition=competition,
                organisation=organisation,
                actor=context.owners[organisation.pk],
                now=context.moment(days_ago=80 - index * 3),
                **_offer_fields(task, outcomes, index=index),
                documents=[],
            )
        )
    # The deadline passed 45 days ago (a loader of history may move the clock).
    Competition.objects.filter(pk=competition.pk).update(offers_until=context.day(days_ago=45))
    competition.refresh_from_db()
    formal = list(competition.formal_criteria.all())
    for index, offer in enumerate(offers):
        services.offer_check(
            offer=offer,
            actor=official,
            failed_criteria=formal[2:] if index == len(offers) - 1 else [],
            note="Brak sprawozdania finansowego" if index == len(offers) - 1 else "",
        )
    panel = selectors.competition_panel(competition=competition)
    members = [Member.objects.get(panel=panel)]
    members.append(
        scoring_services.member_add(
            panel=panel, user=context.accounts["official_torun_partnership"], actor=official
        )
    )
    members.append(
        scoring_services.member_add(
            panel=panel, user=pes_editor, actor=official, represents_pes=True
        )
    )
    criteria = list(panel.criteria.all())
    scored = offers[:-1]
    for member in members:
        for offer in scored:
            conflict = member.user == pes_editor and offer.organisation_id in editor_organisations
            scoring_services.declaration_make(
                member=member,
                item=offer,
                conflict=conflict,
                note="Jestem członkiem zarządu tej organizacji." if conflict else "",
                actor=member.user,
            )
            if conflict:
                continue
            values = {}
            for criterion in criteria:
                share = Decimal(context.rng.randrange(45, 101)) / 100
                points = (criterion.max_points * share).quantize(Decimal("0.5"))
                values[criterion.pk] = ScoreInput(
                    points=min(points, criterion.max_points),
                    comment="" if points * 2 >= criterion.max_points else "Słabo uzasadnione.",
                )
            scoring_services.scores_save(
                member=member, item=offer, values=values, submit=True, actor=member.user
            )
    scoring_services.panel_close(panel=panel, actor=official)
    competition.__dict__.pop("_grants_panel", None)
    ranking = selectors.competition_ranking(competition=competition)
    amounts = {}
    left = competition.budget
    for result in ranking.results.items:
        if len(amounts) == 5:
            break
        amount = min(result.item.grant_requested, left)
        if amount > 0:
            amounts[result.item.pk] = amount
            left -= amount
    services.competition_decide(competition=competition, actor=official, amounts=amounts)
    # The task ended on 30 November: three of the five funded PES have returned the card after
    # funding (one verified by the office), two are overdue.
    funded = list(competition.offers.filter(status=Offer.Status.FUNDED).order_by("pk"))
    for index, offer in enumerate(funded[:3]):
        achievements = {}
        for row in offer.outcomes.all():
            promised = row.promised_quantity or Decimal(0)
            achieved = (promised * Decimal(context.rng.randrange(60, 121)) / 100).quantize(
                Decimal("1")
            )
            achievements[row.outcome_id] = (achieved, "Listy obecności i sprawozdanie merytoryczne")
        services.card_submit(
            offer=offer,
            actor=context.owners[offer.organisation_id],
            achievements=achievements,
            now=context.moment(days_ago=1),
        )
        if index == 0:
            services.card_verify(offer=offer, actor=official)
    return competition


def _open_competition(context, torun, official, culture, outcomes) -> None:
    year = context.now.year
    competition = services.competition_create(
        municipality=torun,
        actor=official,
        outcomes=outcomes[2:],
        title=f"Otwarty konkurs ofert: edukacja kulturalna dzieci i młodzieży {year + 1}",
        description="Warsztaty artystyczne, zajęcia w bibliotekach i domach kultury, "
        "projekty o dziedzictwie Torunia dla szkół.",
        sphere=culture,
        budget=Decimal("60000.00"),
        offers_from=context.day(days_ago=5),
        offers_until=context.day(days_ago=-25),
        task_starts_on=date(year + 1, 2, 1),
        task_ends_on=date(year + 1, 12, 15),
        alignment_points=Decimal(20),
    )
    services.competition_publish(competition=competition, actor=official)
    # The demo PES owner's offer, still open to changes, with its statute attached.
    owner = context.accounts["pes_owner"]
    organisation = owner.organisation_memberships.order_by("pk").first().organisation
    services.offer_submit(
        competition=competition,
        organisation=organisation,
        actor=owner,
        **_offer_fields(TASKS[2], outcomes[2:], index=3),
        documents=[("Statut", SimpleUploadedFile("statut.pdf", PDF))],
    )


def _scoring_competition(context, torun, official, culture, outcomes) -> None:
    """A competition whose offers closed three days ago: the formal check and the scoring
    are under way."""
    year = context.now.year
    competition = services.competition_create(
        municipality=torun,
        actor=official,
        outcomes=outcomes[:2],
        title=f"Otwarty konkurs ofert: Noc Muzeów i Kultury {year + 1}",
        description="Wydarzenia towarzyszące Nocy Muzeów w dzielnicach Torunia.",
        sphere=culture,
        budget=Decimal("40000.00"),
        offers_from=context.day(days_ago=30),
        offers_until=context.now + timedelta(days=1),
        task_starts_on=date(year + 1, 5, 1),
        task_ends_on=date(year + 1, 5, 31),
        alignment_points=Decimal(20),
    )
    services.competition_publish(
        competition=competition, actor=official, now=context.day(days_ago=30)
    )
    organisations = [
        organisation
        for organisation in context.organisations.values()
        if organisation.status == Organisation.Status.VERIFIED and organisation.pk in context.owners
    ][-3:]
    for index, organisation in enumerate(organisations):
        services.offer_submit(
            competition=competition,
            organisation=organisation,
            actor=context.owners[organisation.pk],
            now=context.moment(days_ago=20 - index),
            **_offer_fields(TASKS[index + 4], outcomes[:2], index=index),
            documents=[],
        )
    Competition.objects.filter(pk=competition.pk).update(offers_until=context.day(days_ago=3))
    competition.refresh_from_db()
    # The formal check found a gap in the last offer: its PES is called to supplement it.
    services.offer_call_supplement(
        offer=competition.offers.order_by("-pk").first(),
        actor=official,
        note="Brak podpisu drugiej osoby uprawnionej do reprezentacji; dołączcie aktualny statut.",
        until=timezone.localdate(context.now) + timedelta(days=7),
        today=timezone.localdate(context.now),
    )


# The smallest PDF a viewer opens: one empty page.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _offer_fields(task, outcomes, *, index) -> dict:
    title, requested, *contributions = task
    requested = Decimal(requested)
    return {
        "task_title": title,
        "task_description": f"{title}: zadanie publiczne w Toruniu, otwarte dla mieszkańców.",
        "schedule": "od kwietnia do listopada: przygotowanie, wydarzenia, podsumowanie",
        "total_cost": (requested * Decimal("1.3")).quantize(Decimal("1")),
        "grant_requested": requested,
        "own_funds": (requested * Decimal("0.15")).quantize(Decimal("1")),
        "in_kind_value": (requested * Decimal("0.1")).quantize(Decimal("1")),
        "volunteer_hours": 40 + 10 * index,
        "volunteer_value": Decimal(30 * (40 + 10 * index)),
        "contributions": {
            outcome.pk: (
                contribution,
                Decimal(QUANTITIES[position]) if contribution == Contribution.DIRECT else None,
            )
            for position, (outcome, contribution) in enumerate(
                zip(outcomes, contributions, strict=False)
            )
        },
    }
