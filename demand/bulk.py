"""National-scale notices (250 000 at full scale) with their answers (700 000), clause checks
and matches; ``pestor.bulk`` describes the module."""

from datetime import timedelta
from decimal import Decimal

from pestor.bulk import BulkContext, weighted

from .models import (
    Answer,
    DemandNotice,
    NoticeMatch,
    SocialClauseCheck,
    notice_search_text,
    procurement_law_applies,
)

NOTICES = 250_000
ANSWERS = 700_000

Status = DemandNotice.Status
# "open" is published with the deadline ahead; "withdrawn" is cancelled before publication.
_STATES = {
    "open": 20,
    Status.CLOSED: 30,
    Status.AWARDED: 30,
    Status.DRAFT: 8,
    Status.CANCELLED: 8,
    "withdrawn": 4,
}
_NEEDS = (
    ("Catering na konferencję", "osoba"),
    ("Sprzątanie budynku urzędu", "m²"),
    ("Koszenie terenów zielonych", "ar"),
    ("Wydruk materiałów informacyjnych", "sztuka"),
    ("Opieka wytchnieniowa", "godzina"),
    ("Torby z recyklingu na festyn", "sztuka"),
    ("Transport uczestników wycieczki", "usługa"),
    ("Warsztaty dla seniorów", "godzina"),
)
_PLACES = ("siedziba urzędu", "szkoła podstawowa nr 2", "hala sportowa", "park miejski", "")


def load(context: BulkContext) -> str:
    rng = context.rng
    organisations = context.organisations
    codes = context.cpv_codes
    if not organisations or not codes or not context.departments:
        return "0 ogłoszeń (brak organizacji, kodów CPV lub wydziałów)"
    state = weighted(rng, _STATES)
    notice_count = context.count(NOTICES)
    with_answers = sum(
        weight for key, weight in _STATES.items() if key not in (Status.DRAFT, "withdrawn")
    ) / sum(_STATES.values())
    per_notice = context.count(ANSWERS) / max(1, notice_count * with_answers)
    cpv_rows, clause_checks, answers = [], [], []
    counts = dict.fromkeys(_STATES, 0)

    def notices():
        for number in range(notice_count):
            key = state()
            title, unit = rng.choice(_NEEDS)
            place = rng.choice(_PLACES)
            estimated = Decimal(f"{rng.lognormvariate(10, 1.2):.2f}")
            if rng.random() < 0.85:
                municipality = context.pick_municipality()
                department, company = rng.choice(context.departments[municipality.pk]), None
                municipality_pk = municipality.pk
            else:
                company, municipality_pk = rng.choice(context.companies)
                department = None
            created_at = context.moment(days_ago_max=3 * 365, days_ago_min=60)
            published_at = deadline = closed_at = awarded_at = cancelled_at = None
            status = key
            if key == "open":
                status = Status.PUBLISHED
                published_at = context.moment(days_ago_max=20)
                created_at = published_at - timedelta(days=rng.randrange(1, 5))
                deadline = context.now + timedelta(days=rng.randrange(1, 30), hours=3)
            elif key == "withdrawn":
                status = Status.CANCELLED
                cancelled_at = created_at + timedelta(days=rng.randrange(1, 10))
                deadline = created_at + timedelta(days=30)
            elif key == Status.DRAFT:
                created_at = context.moment(days_ago_max=60)
                deadline = context.now + timedelta(days=rng.randrange(7, 40))
            else:
                published_at = created_at + timedelta(days=rng.randrange(1, 5))
                deadline = published_at + timedelta(days=rng.randrange(7, 30))
                closed_at = deadline
                if key == Status.AWARDED:
                    awarded_at = deadline + timedelta(days=rng.randrange(3, 20))
                elif key == Status.CANCELLED:
                    cancelled_at = published_at + timedelta(days=rng.randrange(1, 6))
                    closed_at = None
            notice = DemandNotice(
                title=f"{title} — {number}",
                description=f"Zamówienie: {title.lower()}. Szczegóły w opisie potrzeb.",
                quantity=Decimal(rng.randrange(1, 500)),
                unit=unit,
                estimated_value=estimated,
                estimated_value_public=rng.random() < 0.5,
                answers_deadline=deadline,
                delivery_place=place,
                contact_name=context.person(),
                contact_email=f"zamowienia{number % 977}@urzad.example",
                municipality_id=municipality_pk,
                department_id=department,
                company_id=company,
                status=status,
                created_at=created_at,
                updated_at=awarded_at or cancelled_at or published_at or created_at,
                published_at=published_at,
                closed_at=closed_at,
                cancelled_at=cancelled_at,
                cancel_reason="Zmiana potrzeb zamawiającego." if cancelled_at else "",
            )
            answered = _answers(context, notice, per_notice) if published_at else []
            if key == Status.AWARDED:
                winner = answered[0]
                winner["is_awarded"] = True
                notice.awarded_at = awarded_at
                notice.award_date = awarded_at.date()
                notice.awarded_value = winner["price_net"] or estimated
            notice.search_text = notice_search_text(notice)
            context.check(notice, exclude=["municipality", "department", "company"])
            yield notice
            counts[key] += 1
            for code in rng.sample(codes, rng.choice((1, 1, 2))):
                cpv_rows.append((notice.pk, code))
            if department is not None and status != Status.DRAFT:
                clause_checks.append((notice.pk, estimated, published_at or created_at))
            answers.extend((notice.pk, published_at, answer) for answer in answered)

    written = context.writer.insert(DemandNotice, notices())
    context.writer.insert_links(DemandNotice.cpv_codes, cpv_rows)
    context.writer.insert(SocialClauseCheck, _clause_checks(context, clause_checks))
    # The list filter's copy of the reservation (DemandNotice.reserved_for_pes), which rows
    # written in bulk do not get from SocialClauseCheck.save().
    DemandNotice.objects.filter(clause_check__reserved_for_pes=True, reserved_for_pes=False).update(
        reserved_for_pes=True
    )
    context.writer.insert(Answer, _answer_rows(context, answers))
    context.writer.insert(
        NoticeMatch,
        (
            NoticeMatch(
                notice_id=notice,
                organisation_id=answer["organisation_id"],
                matched_at=published_at,
                notified_at=published_at + timedelta(minutes=2),
            )
            for notice, published_at, answer in answers
        ),
    )
    return (
        f"{written} ogłoszeń (otwarte: {counts['open']}, rozstrzygnięte: "
        f"{counts[Status.AWARDED]}), {len(answers)} odpowiedzi, {len(clause_checks)} klauzul"
    )


def _answers(context: BulkContext, notice: DemandNotice, per_notice: float) -> list[dict]:
    """The answers a published notice received; an awarded notice at least one priced."""
    rng = context.rng
    count = int(rng.uniform(0, 2 * per_notice) + 0.5)
    if notice.status == Status.AWARDED:
        count = max(count, 1)
    organisations = context.organisations
    chosen = {rng.randrange(len(organisations)) for _ in range(count)}
    answers = []
    for position, index in enumerate(chosen):
        priced = (notice.status == Status.AWARDED and position == 0) or rng.random() < 0.6
        answers.append(
            {
                "organisation_id": organisations[index][0],
                "kind": Answer.Kind.OFFER if priced else Answer.Kind.INTEREST,
                "price_net": (
                    (notice.estimated_value * Decimal(rng.uniform(0.7, 1.2))).quantize(
                        Decimal("0.01")
                    )
                    if priced
                    else None
                ),
                "is_awarded": False,
            }
        )
    return answers


def _answer_rows(context: BulkContext, answers):
    rng = context.rng
    for _notice, published_at, answer in answers:
        submitted_at = published_at + timedelta(hours=rng.randrange(1, 120))
        row = Answer(
            notice_id=_notice,
            terms="Termin realizacji zgodny z ogłoszeniem.",
            message="Chętnie zrealizujemy zamówienie.",
            created_at=submitted_at,
            updated_at=submitted_at,
            **answer,
        )
        context.check(row, exclude=["notice", "organisation"])
        yield row


def _clause_checks(context: BulkContext, clause_checks):
    rng = context.rng
    for notice, estimated, decided_at in clause_checks:
        reserved = rng.random() < 0.3
        employment = rng.random() < 0.2
        check = SocialClauseCheck(
            notice_id=notice,
            estimated_value=estimated,
            procurement_law_applies=procurement_law_applies(estimated),
            reserved_for_pes=reserved,
            employment_requirement=employment,
            no_clause_reason=""
            if reserved or employment
            else "Rynek usług nie obejmuje podmiotów ekonomii społecznej.",
            decided_at=decided_at,
        )
        context.check(check, exclude=["notice"])
        yield check
