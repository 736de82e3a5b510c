"""National-scale organisations (120 000 at full scale); ``pestor.bulk`` describes the module."""

from datetime import timedelta

from django.utils.text import slugify

from pestor.bulk import BulkContext, spread, weighted

from .models import LegalForm, Organisation, PublicBenefitSphere, organisation_search_text

ORGANISATIONS = 120_000

_FORMS = {
    LegalForm.ASSOCIATION: (40, "Stowarzyszenie"),
    LegalForm.FOUNDATION: (25, "Fundacja"),
    LegalForm.SOCIAL_COOPERATIVE: (8, "Spółdzielnia Socjalna"),
    LegalForm.LABOUR_COOPERATIVE: (3, "Spółdzielnia Pracy"),
    LegalForm.CIS: (3, "Centrum Integracji Społecznej"),
    LegalForm.KIS: (3, "Klub Integracji Społecznej"),
    LegalForm.ZAZ: (1, "Zakład Aktywności Zawodowej"),
    LegalForm.WTZ: (3, "Warsztat Terapii Zajęciowej"),
    LegalForm.NON_PROFIT_COMPANY: (6, "Spółka non-profit"),
    LegalForm.OTHER: (8, "Koło"),
}
# Forms entered in the KRS (the others are units of a municipality or a registered entity).
_IN_KRS = {
    LegalForm.ASSOCIATION,
    LegalForm.FOUNDATION,
    LegalForm.SOCIAL_COOPERATIVE,
    LegalForm.LABOUR_COOPERATIVE,
    LegalForm.NON_PROFIT_COMPANY,
}
_THEMES = (
    "Pomocy Dzieciom i Rodzinie",
    "Rozwoju Lokalnego",
    "Przyjaciół Ziemi",
    "Kultury i Sportu",
    "Aktywnych Seniorów",
    "Osób z Niepełnosprawnościami",
    "Ekologiczna",
    "Gastronomiczna",
    "Usług Porządkowych",
    "Opieki Wytchnieniowej",
    "Edukacji Cyfrowej",
    "Zieleni Miejskiej",
)
_MOTTOS = ("Nadzieja", "Razem", "Przystań", "Żuraw", "Łączka", "Promyk", "Źródło", "Szansa")
_DESCRIPTIONS = (
    "Prowadzimy catering dla szkół i urzędów, zatrudniając osoby wychodzące z bezdomności.",
    "Sprzątamy biura i tereny zielone; połowa naszych pracowników to osoby z niepełnosprawnością.",
    "Organizujemy zajęcia dla seniorów, wycieczki i warsztaty rękodzieła.",
    "Naprawiamy rowery, prowadzimy punkt napraw i wypożyczalnię sprzętu.",
    "Drukujemy materiały promocyjne i szyjemy torby z materiałów z odzysku.",
    "Wspieramy rodziny zastępcze i prowadzimy świetlicę środowiskową.",
)
_STATUSES = {
    Organisation.Status.VERIFIED: 88,
    Organisation.Status.PENDING: 8,
    Organisation.Status.REJECTED: 4,
}


def load(context: BulkContext) -> str:
    rng = context.rng
    spheres = list(PublicBenefitSphere.objects.values_list("pk", flat=True))
    legal_form = weighted(rng, {form: weight for form, (weight, _word) in _FORMS.items()})
    status = weighted(rng, _STATUSES)
    today = context.now.date()
    sphere_rows, area_rows = [], []
    counts = dict.fromkeys(_STATUSES, 0)

    def rows():
        for number in range(context.count(ORGANISATIONS)):
            form = legal_form()
            seat = context.pick_municipality()
            latitude, longitude = spread(rng, seat)
            employees = rng.choice((0, 0, 2, 5, 8, 12, 20, 35, 60))
            social_enterprise = form != LegalForm.OTHER and rng.random() < 0.1
            in_krs = form in _IN_KRS
            name = f"{_FORMS[form][1]} {rng.choice(_THEMES)} „{rng.choice(_MOTTOS)}” w {seat.name}"
            state = status()
            phone = f"+48 {rng.randrange(500, 800)} {rng.randrange(100, 1000)} {number % 1000:03d}"
            created_at = context.moment(days_ago_max=6 * 365, days_ago_min=1)
            organisation = Organisation(
                pk=context.writer.new_pk(Organisation),
                name=name,
                short_name=f"{rng.choice(_MOTTOS)} {number}",
                legal_form=form,
                krs=context.numbers.krs() if in_krs else "",
                nip=context.numbers.nip(),
                regon=context.numbers.regon(),
                is_public_benefit=in_krs and rng.random() < 0.2,
                is_social_enterprise=social_enterprise,
                social_enterprise_since=(
                    today - timedelta(days=rng.randrange(30, 3000)) if social_enterprise else None
                ),
                year_founded=rng.randrange(1990, today.year + 1),
                street=context.street(),
                postal_code=f"{rng.randrange(0, 100):02d}-{rng.randrange(0, 1000):03d}",
                city=seat.name,
                latitude=latitude,
                longitude=longitude,
                seat_municipality_id=seat.pk,
                description=rng.choice(_DESCRIPTIONS),
                email=f"biuro{number}@pes.example",
                phone=phone,
                employees=employees,
                employees_at_risk=rng.randrange(0, employees + 1),
                status=state,
                verified_at=created_at + timedelta(days=3)
                if state == Organisation.Status.VERIFIED
                else None,
                rejection_reason="Brak numeru KRS w odpisie."
                if state == Organisation.Status.REJECTED
                else "",
                created_at=created_at,
                updated_at=created_at + timedelta(days=3),
            )
            organisation.slug = f"{slugify(organisation.short_name)}-{organisation.pk}"
            organisation.search_text = organisation_search_text(organisation)
            context.check(organisation, exclude=["seat_municipality"])
            yield organisation
            counts[state] += 1
            for sphere in rng.sample(spheres, rng.randint(1, 3)) if spheres else ():
                sphere_rows.append((organisation.pk, sphere))
            served = {seat.pk} | {
                context.pick_municipality().pk for _ in range(rng.choice((0, 0, 1, 2, 3)))
            }
            area_rows.extend((organisation.pk, municipality) for municipality in served)
            if state == Organisation.Status.VERIFIED:
                context.organisations.append(
                    (organisation.pk, organisation.name, organisation.short_name, seat.pk)
                )

    written = context.writer.insert(Organisation, rows())
    context.writer.insert_links(Organisation.spheres, sphere_rows)
    context.writer.insert_links(Organisation.municipalities_served, area_rows)
    return (
        f"{written} organizacji (zweryfikowane: {counts[Organisation.Status.VERIFIED]}), "
        f"{len(sphere_rows)} sfer, {len(area_rows)} gmin obsługiwanych"
    )
