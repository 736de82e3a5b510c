"""Reads of the exchange. Other apps (demand, monitoring) read offers and inquiries only here."""

import re
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Left
from django.shortcuts import get_object_or_404

from directory.models import Organisation, OrganisationMembership
from pestor import roles
from pestor.models import Municipality, User
from pestor.periods import local_day_bounds
from pestor.roles import holding_rows
from pestor.selectors import name_pattern
from pestor.text import fold

from . import cpv
from .filters import InquiryFilterSet, OfferFilterSet, OrganisationOfferFilterSet
from .models import (
    CpvCode,
    Inquiry,
    InquiryMessage,
    Offer,
    OfferArea,
    OfferPhoto,
    municipality_pk,
    offer_ids_serving,
)


def _photos_in_order():
    return Prefetch(
        "photos",
        queryset=OfferPhoto.objects.only(
            "id", "offer_id", "image", "alt_text", "position"
        ).order_by("position", "pk"),
    )


# What a card of the catalogue (exchange/_offer_card.html) and a row of its export show. An offer
# row carries its Markdown source, the rendered HTML and the folded search text (kilobytes each),
# an organisation's row its description and reasons: a page of twenty cards reads none of them,
# only the start of the description's HTML the card quotes (``Offer.card_excerpt``).
CARD_COLUMNS = (
    "title",
    "kind",
    "cpv",
    "price_type",
    "price",
    "unit",
    "lead_time_days",
    "status",
    "created_at",
    "organisation__name",
    "organisation__short_name",
    "organisation__city",
    "organisation__status",
    "organisation__is_social_enterprise",
    "organisation__seat_municipality__name",
    "cpv__check_digit",
    "cpv__name_pl",
    "cpv__name_en",
)


def _with_card_columns(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("organisation", "organisation__seat_municipality", "cpv").only(
        *CARD_COLUMNS
    )


def _with_card_data(queryset: QuerySet) -> QuerySet:
    return (
        _with_card_columns(queryset)
        .annotate(description_start=Left("description_html", Offer.CARD_EXCERPT_HTML))
        .prefetch_related(_photos_in_order())
    )


# --- offers ------------------------------------------------------------------------------------


def offer_list(*, filters: dict | None = None) -> OfferFilterSet:
    """The public catalogue: active offers of verified organisations, filtered and sorted.
    Returns the bound FilterSet (``.qs`` is the result, ``.form`` the filter form).

    ``.qs`` reads the offers' own columns only: a page counts and finds its ids in it, then
    reads its cards with ``offer_cards`` (``pestor.pagination.CappedPaginator``)."""
    queryset = Offer.objects.public().order_by("-created_at", "-pk")
    return OfferFilterSet(data=filters or None, queryset=queryset)


def offer_page_keys(filterset: OfferFilterSet) -> QuerySet | None:
    """What the catalogue pages through when the municipality is its only filter (in the
    default order): the ids of the public offers delivered there (``offer_id``), newest first,
    read from one range of OfferArea's index, for the count and for a page's keys alike. None
    otherwise (the catalogue pages through ``.qs``)."""
    municipality = filterset.municipality_alone()
    if municipality is None:
        return None
    return OfferArea.objects.filter(municipality=municipality).order_by("-created_at", "-offer_id")


def offer_cards(ids) -> QuerySet:
    """The catalogue's cards of the offers ``ids`` (public ones only; in no particular order):
    their organisation, category and photos, and only the columns a card shows."""
    return _with_card_data(Offer.objects.public().filter(pk__in=ids))


def offer_export_rows(*, filters: dict | None = None) -> QuerySet:
    """The catalogue with its filters, every row, with the columns of its export (the photos
    the cards show are not in the file)."""
    return _with_card_columns(offer_list(filters=filters).qs)


def offer_get_for_user(*, user, pk: int) -> Offer:
    """One offer the user may see; a missing and a hidden one are the same 404."""
    queryset = (
        Offer.objects.visible_to(user)
        .select_related("organisation", "organisation__seat_municipality", "cpv")
        .prefetch_related(
            _photos_in_order(),
            "municipalities_served",
            "organisation__municipalities_served",
        )
    )
    return get_object_or_404(queryset, pk=pk)


def organisation_offer_list(
    *, organisation: Organisation, filters: dict | None = None
) -> OrganisationOfferFilterSet:
    """ "My offers": every offer of one organisation, with how many photos and inquiries each
    has. The caller has checked that the user manages the organisation's offers."""
    queryset = (
        organisation.offers.exclude(status=Offer.Status.DELETED)
        .select_related("cpv")
        .only(
            "title",
            "cpv",
            "price_type",
            "price",
            "unit",
            "status",
            "created_at",
            "organisation_id",
            "cpv__check_digit",
            "cpv__name_pl",
            "cpv__name_en",
        )
        .annotate(
            # Counted per offer of the page; joining both tables would multiply their rows.
            photo_count=_count_per_offer(OfferPhoto.objects.all()),
            inquiry_count=_count_per_offer(Inquiry.objects.all()),
        )
        .order_by("status", "-created_at", "-pk")
    )
    return OrganisationOfferFilterSet(data=filters or None, queryset=queryset)


def _count_per_offer(related: QuerySet):
    """How many of ``related`` rows point at the outer offer (0 for none), as a subquery."""
    counted = (
        related.filter(offer_id=OuterRef("pk"))
        .order_by()
        .values("offer_id")
        .annotate(found=Count("pk"))
        .values("found")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def public_offers_of_organisation(*, organisation: Organisation) -> QuerySet:
    """What the organisation's page lists (nothing while the organisation is not verified)."""
    return (
        Offer.objects.public()
        .filter(organisation=organisation)
        .select_related("cpv")
        .only(
            "title",
            "kind",
            "cpv",
            "price_type",
            "price",
            "unit",
            "created_at",
            "cpv__check_digit",
            "cpv__name_pl",
            "cpv__name_en",
        )
        .prefetch_related(_photos_in_order())
        .order_by("-created_at", "-pk")
    )


def offer_photos(*, offer: Offer) -> QuerySet:
    return offer.photos.order_by("position", "pk")


def offer_counts() -> dict:
    public = Offer.objects.public()
    return {
        "offers": public.count(),
        "organisations": public.values("organisation_id").distinct().count(),
    }


# --- inquiries ---------------------------------------------------------------------------------


def _member_organisation_ids(user):
    return OrganisationMembership.objects.filter(user=user).values("organisation_id")


def _inquiries_of_user(user) -> QuerySet:
    """The user's conversations, each annotated with ``is_buyer_side`` and ``is_unread`` (the
    other side wrote after the user last looked)."""
    if not user.is_authenticated:
        return Inquiry.objects.none()
    own_organisations = _member_organisation_ids(user)
    as_buyer = Q(buyer=user)
    as_organisation = Q(organisation_id__in=own_organisations)
    unread_as_buyer = as_buyer & (
        Q(buyer_read_at__isnull=True) | Q(last_message_at__gt=F("buyer_read_at"))
    )
    unread_as_organisation = as_organisation & (
        Q(organisation_read_at__isnull=True) | Q(last_message_at__gt=F("organisation_read_at"))
    )
    return Inquiry.objects.filter(as_buyer | as_organisation).annotate(
        is_buyer_side=ExpressionWrapper(as_buyer, output_field=BooleanField()),
        is_unread=ExpressionWrapper(
            Q(last_message_at__isnull=False) & (unread_as_buyer | unread_as_organisation),
            output_field=BooleanField(),
        ),
    )


def inquiry_list(*, user, filters: dict | None = None) -> InquiryFilterSet:
    """The inbox: inquiries the user sent, and those sent to any of their organisations,
    newest conversation first."""
    queryset = (
        _inquiries_of_user(user)
        .select_related(
            "offer",
            "organisation",
            "buyer",
            "buyer_department",
            "buyer_department__municipality",
            "buyer_company",
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )
    return InquiryFilterSet(data=filters or None, queryset=queryset)


# The number of unread conversations, loaded with the user's roles (pestor.roles) for the
# navigation's badge on every signed-in page (registered in ExchangeConfig.ready).
UNREAD_INQUIRIES = "unread_inquiries"


def unread_inquiry_holding(user):
    unread = (
        _inquiries_of_user(user)
        .filter(is_unread=True)
        .order_by()
        .values(found=Func(F("pk"), function="COUNT"))
    )
    return holding_rows(User.objects.filter(pk=user.pk), UNREAD_INQUIRIES, Subquery(unread))


def unread_inquiry_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return _inquiries_of_user(user).filter(is_unread=True).count()


def unread_inquiry_badge(*, user) -> int:
    """``unread_inquiry_count`` as the request's pages show it: counted with the user's roles,
    once a request (``roles.forget_holdings`` counts again)."""
    if not user.is_authenticated:
        return 0
    return next(iter(roles.held_notes(user, UNREAD_INQUIRIES)), 0)


def inquiry_get_for_user(*, user, pk: int) -> Inquiry:
    """One conversation, for its buyer and the members of the organisation asked only; anyone
    else (administrators in the portal too, officials, other PES) gets the same 404 as for a
    missing one."""
    queryset = _inquiries_of_user(user).select_related(
        "offer",
        "offer__cpv",
        "organisation",
        "buyer",
        "buyer_department",
        "buyer_department__municipality",
        "buyer_company",
    )
    return get_object_or_404(queryset, pk=pk)


def inquiry_messages(*, inquiry: Inquiry) -> QuerySet:
    return InquiryMessage.objects.filter(inquiry=inquiry).select_related("author")


def inquiry_recipient_emails(*, inquiry: Inquiry, from_buyer: bool) -> list[str]:
    """Who hears of a new message: the buyer, or the active members of the organisation."""
    if from_buyer:
        return list(
            OrganisationMembership.objects.filter(
                organisation_id=inquiry.organisation_id, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    return [inquiry.buyer.email] if inquiry.buyer.is_active else []


# --- for the demand register -------------------------------------------------------------------


def offers_matching(*, cpv_codes, municipality: Municipality | int) -> QuerySet:
    """Verified organisations with at least one public active offer in the same CPV group
    (first three digits) as any of ``cpv_codes`` that is delivered in ``municipality`` (the
    offer's own municipalities served, or its organisation's when the offer names none).

    ``cpv_codes`` may hold CpvCode objects or code strings ("55520000" or "55520000-1").
    Distinct organisations, ordered by name."""
    groups = {cpv.group_prefix(_code_of(code)) for code in cpv_codes}
    if not groups:
        return Organisation.objects.none()
    in_groups = Q()
    for group in sorted(groups):
        in_groups |= Q(cpv__code__startswith=group)
    # The organisations of the matching offers, as one id subquery (a semi-join on the union of
    # the offers serving the municipality), not an EXISTS evaluated per organisation.
    matching_offers = (
        Offer.objects.public()
        .filter(in_groups)
        .serving(municipality)
        .order_by()
        .values("organisation_id")
    )
    return (
        Organisation.objects.public()
        .filter(pk__in=matching_offers)
        .select_related("seat_municipality")
        .order_by("name", "pk")
    )


def _code_of(code) -> str:
    return code.code if hasattr(code, "code") else cpv.parse(str(code))


# --- indicators for the monitoring app ---------------------------------------------------------


def _offers_for_municipality(municipality: Municipality | int) -> QuerySet:
    """Offers (of any status) of organisations seated in the municipality or delivered in it
    (``Offer.objects.serving``): one union of id sets, each read from an index, in place of an
    ``OR`` with a ``pk IN (serving)`` that PostgreSQL re-evaluated for every offer."""
    municipality_id = municipality_pk(municipality)
    seated = (
        Offer.objects.filter(organisation__seat_municipality_id=municipality_id)
        .order_by()
        .values("pk")
    )
    return Offer.objects.filter(pk__in=offer_ids_serving(municipality_id, seated))


def indicator_active_offers(*, municipality: Municipality | int, start: date, end: date) -> int:
    """Public active offers (of verified organisations) that existed at the end of the period
    and whose organisation is seated in the municipality or which are delivered in it.

    The portal keeps no history of an offer's status, so an offer counts by its current status
    and its creation date."""
    _, end_bound = local_day_bounds(start, end)
    return _offers_for_municipality(municipality).public().filter(created_at__lt=end_bound).count()


def indicator_inquiries_sent(*, municipality: Municipality | int, start: date, end: date) -> int:
    """Inquiries sent in [start, end] (whole days in Europe/Warsaw, both included) to
    organisations seated in the municipality or serving it."""
    start_bound, end_bound = local_day_bounds(start, end)
    municipality_id = municipality_pk(municipality)
    seated = (
        Organisation.objects.filter(seat_municipality_id=municipality_id).order_by().values("pk")
    )
    serving = Organisation.municipalities_served.through.objects.filter(
        municipality_id=municipality_id
    ).values("organisation_id")
    return Inquiry.objects.filter(
        created_at__gte=start_bound,
        created_at__lt=end_bound,
        organisation_id__in=seated.union(serving),
    ).count()


def personal_data(*, user) -> dict:
    """The person's inquiries and messages, for the download of their data (RODO art. 15, 20)."""
    return {
        "inquiries": [
            {
                "offer": inquiry.offer.title,
                "organisation": inquiry.organisation.name,
                "quantity": inquiry.quantity,
                "needed_by": inquiry.needed_by.isoformat() if inquiry.needed_by else None,
                "status": inquiry.status,
                "sent": inquiry.created_at.isoformat(),
            }
            for inquiry in Inquiry.objects.filter(buyer=user).select_related(
                "offer", "organisation"
            )
        ],
        "messages": [
            {
                "offer": message.inquiry.offer.title,
                "body": message.body,
                "sent": message.created_at.isoformat(),
            }
            for message in InquiryMessage.objects.filter(author=user).select_related(
                "inquiry__offer"
            )
        ],
    }


# --- CPV codes by code or name (the CPV autocomplete of exchange.widgets) ------------------------

CPV_QUERY_MAX_LENGTH = 100
_CPV_DIGITS = re.compile(r"(\d{1,8})(?:-\d)?")


def _cpv_word_condition(word: str) -> Q:
    digits = _CPV_DIGITS.fullmatch(word)
    if digits:
        return Q(code__startswith=digits.group(1))
    # A crude stem: Polish words change their endings ("sprzątanie", "sprzątania").
    stem = word[:-2] if len(word) >= 5 else word
    return Q(name_pl__regex=name_pattern(stem))


def cpv_suggestions(*, query: str, limit: int = 20) -> list[CpvCode]:
    """CPV codes matching every word of ``query``: a word of digits is the beginning of the code
    ("5552", "55520000-1"), another is found in the Polish name whatever its case, Polish letters
    and ending. The curated categories first, then by code; each carries ``path``, the names of
    the codes above it. Two queries."""
    cleaned = "".join(ch for ch in (query or "") if ch.isprintable())
    words = [word for word in re.split(r"[\s,;]+", fold(cleaned)[:CPV_QUERY_MAX_LENGTH]) if word]
    if not words:
        return []
    condition = Q()
    for word in words[:5]:
        condition &= _cpv_word_condition(word)
    found = list(
        CpvCode.objects.filter(condition)
        .only("code", "check_digit", "name_pl", "name_en", "level", "is_curated")
        .order_by("-is_curated", "code")[:limit]
    )
    cpv_attach_paths(found)
    return found


def cpv_attach_paths(codes: list[CpvCode]) -> None:
    """Sets ``path`` on each code: the names of the codes above it, from its division down
    joined by an angle quote). One query."""
    ancestors = {code.code: cpv.ancestor_codes(code.code) for code in codes}
    wanted = {parent for parents in ancestors.values() for parent in parents}
    names = {
        found.code: found.name
        for found in CpvCode.objects.filter(code__in=wanted).only("code", "name_pl", "name_en")
    }
    for code in codes:
        code.path = " \u203a ".join(names[p] for p in ancestors[code.code] if p in names)


def cpv_by_text(*, text: str) -> list[CpvCode]:
    """The CPV codes ``text`` names: a code ("55520000-1", "55520000", with whatever follows it,
    as the autocomplete shows a code), the beginning of one ("5552" is 55520000), or the whole
    name, Polish or English as the page showed it (case and Polish letters ignored; several codes
    may share one). A wrong check
    digit is a ValidationError that gives the right one."""
    text = "".join(ch for ch in (text or "") if ch.isprintable()).strip()
    if not text or len(text) > 500:
        return []
    given = re.match(r"(\d{2,8})(?:\s*-\s*(\d))?(?![\d-])", text)
    if given:
        digits, check = given.groups()
        code = cpv.parse(f"{digits}-{check}" if check else digits) if len(digits) == 8 else digits
        return list(CpvCode.objects.filter(pk=code.ljust(8, "0")))
    folded = fold(text)[:400]
    if not folded:
        return []
    whole_name = f"^{name_pattern(folded)}$"
    return list(
        CpvCode.objects.filter(
            Q(name_pl__regex=whole_name) | Q(name_en__regex=whole_name)
        ).order_by("code")[:50]
    )


def offer_cards_of_organisations(*, organisation_ids) -> QuerySet:
    """The public offers of the organisations ``organisation_ids`` (ids, or a queryset of them,
    kept as a subquery) as catalogue cards, newest first: e.g. a partnership's combined offer."""
    return _with_card_data(
        Offer.objects.public().filter(organisation_id__in=organisation_ids)
    ).order_by("-created_at", "-pk")
