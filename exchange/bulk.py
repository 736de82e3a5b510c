"""National-scale offers (600 000 at full scale); ``pestor.bulk`` describes the module."""

import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Max

from directory.models import Organisation
from pestor.bulk import BulkContext, weighted

from .models import CpvCode, Offer, insert_offer_areas, offer_search_text
from .services import render_description

OFFERS = 600_000

_TITLES = (
    "Catering na spotkania i konferencje",
    "Obiady dla szkół i przedszkoli",
    "Sprzątanie biur i klatek schodowych",
    "Pielęgnacja terenów zielonych",
    "Szycie toreb i gadżetów z recyklingu",
    "Druk ulotek i plakatów",
    "Opieka wytchnieniowa dla rodzin",
    "Warsztaty rękodzieła dla seniorów",
    "Naprawa i serwis rowerów",
    "Przeprowadzki i transport mebli",
    "Koszenie trawy i odśnieżanie",
    "Usługi pralnicze i maglowanie",
)
_PLACES = ("w Łodzi", "na terenie gminy", "w całym województwie", "z dowozem", "u klienta", "")
_DESCRIPTIONS = tuple(
    f"**{headline}.** {body}\n\n- {point_a}\n- {point_b}\n"
    for headline, body in (
        ("Doświadczony zespół", "Pracujemy od lat dla urzędów i firm z regionu."),
        ("Zatrudnienie socjalne", "Zatrudniamy osoby zagrożone wykluczeniem społecznym."),
        ("Lokalnie i ekologicznie", "Korzystamy z produktów lokalnych dostawców."),
        ("Elastyczne terminy", "Dostosowujemy się do harmonogramu zamawiającego."),
    )
    for point_a in ("faktura VAT", "możliwość klauzul społecznych", "umowa ramowa")
    for point_b in ("dojazd w cenie", "wycena w 24 godziny", "referencje na życzenie")
)
_UNITS = ("osoba", "godzina", "sztuka", "m²", "usługa", "")
_PRICE_TYPES = {Offer.PriceType.FIXED: 4, Offer.PriceType.FROM: 3, Offer.PriceType.ON_REQUEST: 3}


@dataclass(frozen=True)
class _Organisation:
    """What ``offer_search_text`` reads of an organisation."""

    name: str
    short_name: str


def load(context: BulkContext) -> str:
    rng = context.rng
    codes = list(CpvCode.objects.filter(is_curated=True).values_list("code", flat=True))
    context.cpv_codes = codes
    organisations = context.organisations
    if not organisations or not codes:
        return "0 ofert (brak zweryfikowanych organizacji lub kodów CPV)"
    rendered = {text: render_description(text) for text in _DESCRIPTIONS}
    # The organisations are written already; their legal forms, as Offer.save() would copy them.
    legal_forms = dict(
        Organisation.objects.filter(status=Organisation.Status.VERIFIED).values_list(
            "pk", "legal_form"
        )
    )
    price_type = weighted(rng, _PRICE_TYPES)
    area_rows = []
    archived = 0

    def rows():
        nonlocal archived
        for _number in range(context.count(OFFERS)):
            # A few organisations list many offers, most a handful.
            index = min(int(rng.paretovariate(1.3)) - 1, len(organisations) - 1)
            pk, name, short_name, seat = organisations[
                (index * 7919 + rng.randrange(len(organisations))) % len(organisations)
            ]
            kind = price_type()
            description = rng.choice(_DESCRIPTIONS)
            created_at = context.moment(days_ago_max=3 * 365)
            offer = Offer(
                organisation_id=pk,
                kind=rng.choice((Offer.Kind.SERVICE, Offer.Kind.SERVICE, Offer.Kind.PRODUCT)),
                title=f"{rng.choice(_TITLES)} {rng.choice(_PLACES)}".strip(),
                description=description,
                description_html=rendered[description],
                cpv_id=rng.choice(codes),
                price_type=kind,
                price=None
                if kind == Offer.PriceType.ON_REQUEST
                else Decimal(f"{rng.lognormvariate(5, 1.5):.2f}"),
                unit=rng.choice(_UNITS),
                lead_time_days=rng.choice((None, 1, 3, 7, 14, 30)),
                status=Offer.Status.ARCHIVED if rng.random() < 0.1 else Offer.Status.ACTIVE,
                created_at=created_at,
                updated_at=created_at + timedelta(days=rng.randrange(0, 30)),
            )
            offer.search_text = offer_search_text(offer, _Organisation(name, short_name))
            # ``context.organisations`` are the verified ones (Offer.save() is not called here).
            offer.organisation_verified = True
            offer.organisation_legal_form = legal_forms[pk]
            # A fifth serves where its organisation does; the rest list 1 to 4 municipalities.
            offer.serves_organisation_area = rng.random() < 0.2
            context.check(offer, exclude=["organisation", "cpv"])
            yield offer
            archived += offer.status == Offer.Status.ARCHIVED
            if not offer.serves_organisation_area:
                served = {seat} | {
                    context.pick_municipality().pk for _ in range(rng.randrange(0, 4))
                }
                area_rows.extend((offer.pk, municipality) for municipality in served)

    before = Offer.objects.aggregate(highest=Max("pk"))["highest"] or 0
    written = context.writer.insert(Offer, rows())
    context.writer.insert_links(Offer.municipalities_served, area_rows)
    # The municipalities of the public offers (OfferArea), as the signals would keep them: one
    # INSERT … SELECT over the offers just written (their ids follow the highest one before).
    started = time.monotonic()
    areas = insert_offer_areas(Offer.objects.filter(pk__gt=before))
    elapsed = time.monotonic() - started
    context.write(f"    exchange.OfferArea: {areas:,} rows in {elapsed:.1f} s".replace(",", " "))
    return (
        f"{written} ofert (zarchiwizowane: {archived}), {len(area_rows)} gmin obsługiwanych, "
        f"{areas} par gmina-oferta publiczna"
    )
