"""The social procurement exchange: CPV categories, PES offers, and inquiries from buyers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import LegalForm, Organisation, OrganisationMembership
from pestor.models import AbstractPhoto, Company, Department, Municipality
from pestor.text import fold

from . import cpv


class CpvCodeQuerySet(models.QuerySet):
    def under(self, code: str):
        """The code and everything below it in the CPV tree."""
        return self.filter(code__startswith=cpv.prefix(code))


class CpvCode(models.Model):
    """One entry of the Common Procurement Vocabulary (kept without the check digit)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    check_digit = models.CharField(_("check digit"), max_length=1, blank=True)
    name_pl = models.CharField(_("Polish name"), max_length=400)
    name_en = models.CharField(_("English name"), max_length=400, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.PositiveSmallIntegerField(_("level"), db_index=True)
    # The curated list of divisions and groups PES work in; offered first in forms and filters.
    is_curated = models.BooleanField(_("curated for PES"), default=False, db_index=True)

    objects = CpvCodeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")

    def __str__(self):
        return f"{self.full_code} {self.name}"

    def save(self, *args, **kwargs):
        self.level = cpv.level(self.code)
        self.check_digit = self.check_digit or cpv.check_digit(self.code)
        super().save(*args, **kwargs)

    @property
    def full_code(self):
        return f"{self.code}-{self.check_digit or cpv.check_digit(self.code)}"

    @property
    def prefix(self):
        return cpv.prefix(self.code)

    @property
    def name(self):
        from django.utils.translation import get_language

        if (get_language() or "pl").startswith("en") and self.name_en:
            return self.name_en
        return self.name_pl


# The public condition (OfferQuerySet.public): an active offer of a verified organisation. The
# partial indexes of the catalogue (Offer.Meta.indexes) are built on the same condition.
PUBLIC = Q(status="active", organisation_verified=True)


class OfferQuerySet(models.QuerySet):
    def public(self):
        """Active offers of verified organisations. Both halves are the offer's own columns
        (``organisation_verified`` copies the organisation's status), so the catalogue's
        partial indexes hold exactly the public offers and a count or a deep page reads the
        index alone, without visiting 600 000 organisations' rows."""
        return self.filter(PUBLIC)

    def visible_to(self, user):
        """Public offers, plus every offer of the user's own organisations (archived ones and
        those of an organisation awaiting verification); administrators see everything."""
        from pestor import roles

        if user is None or not user.is_authenticated:
            return self.public()
        if roles.is_administrator(user):
            return self.exclude(status=Offer.Status.DELETED)
        own = OrganisationMembership.objects.filter(user=user).values("organisation_id")
        return self.filter(PUBLIC | Q(organisation_id__in=own)).exclude(status=Offer.Status.DELETED)

    def serving(self, municipality: Municipality | int):
        """Offers delivered in ``municipality``: the offer's own list of municipalities served
        decides; an offer without one serves where its organisation does."""
        return self.filter(pk__in=offer_ids_serving(municipality))


def municipality_pk(municipality: Municipality | int) -> int:
    return municipality if isinstance(municipality, int) else municipality.pk


def offer_ids_serving(municipality: Municipality | int, *more: QuerySet) -> QuerySet:
    """The ids of the offers delivered in ``municipality`` (of any status), as a subquery: those
    whose own list names it, and those without an own list (``serves_organisation_area``) whose
    organisation serves it; and the ids of ``more`` querysets of offer ids (one column each), if
    given.

    A union of id sets read from the (municipality, offer/organisation) indexes of the through
    tables and the partial index of the offers without an own list, instead of an ``OR`` of
    ``EXISTS`` that PostgreSQL evaluates row by row over the whole table: the union stays as small
    as the municipality's offers, and no offer's own list is read to learn that it is empty."""
    municipality_id = municipality_pk(municipality)
    areas = Offer.municipalities_served.through.objects
    own_list = areas.filter(municipality_id=municipality_id).values("offer_id")
    organisation_serves = Organisation.municipalities_served.through.objects.filter(
        municipality_id=municipality_id
    ).values("organisation_id")
    via_organisation = (
        Offer.objects.filter(organisation_id__in=organisation_serves, serves_organisation_area=True)
        .order_by()
        .values("pk")
    )
    return own_list.union(via_organisation, *more)


class Offer(models.Model):
    """A product or service that a PES offers to buyers."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("service")
        PRODUCT = "product", _("product")

    class PriceType(models.TextChoices):
        FIXED = "fixed", _("fixed price")
        FROM = "from", _("price from")
        ON_REQUEST = "on_request", _("price on request")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ARCHIVED = "archived", _("archived")
        # Deleted by its organisation but kept, hidden from everyone, because an inquiry
        # refers to it (an offer nobody asked about is deleted outright).
        DELETED = "deleted", _("deleted")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), help_text=_("You can use Markdown: **bold**, lists, links.")
    )
    # Sanitised HTML rendered from the Markdown description by the service that saves it.
    description_html = models.TextField(editable=False, default="")
    cpv = models.ForeignKey(
        CpvCode, on_delete=models.PROTECT, related_name="offers", verbose_name=_("CPV category")
    )
    price_type = models.CharField(
        _("price"), max_length=12, choices=PriceType.choices, default=PriceType.ON_REQUEST
    )
    price = models.DecimalField(
        _("price net (PLN)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. per person, per hour, per item")
    )
    municipalities_served = models.ManyToManyField(
        Municipality, related_name="offers", verbose_name=_("municipalities served"), blank=True
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    # The offer is the organisation's own; who typed it in matters to nobody else.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(editable=False, default="")
    # A copy of "the organisation is verified" (Organisation.Status.VERIFIED), half of the
    # public condition (PUBLIC): set by save() from the offer's organisation, and on every
    # offer of an organisation whose status is saved (exchange.signals). Every change of an
    # organisation's status goes through Organisation.save() (directory.services), never
    # through QuerySet.update(), which would leave the copies behind.
    organisation_verified = models.BooleanField(editable=False, default=False)
    # A copy of the organisation's legal form, kept alike (save() and exchange.signals): the
    # catalogue filters by it with the offer's own columns, from one index, instead of joining
    # 120 000 organisations to count the matching offers.
    organisation_legal_form = models.CharField(
        editable=False, max_length=32, choices=LegalForm.choices, default="", blank=True
    )
    # Whether the offer has no list of municipalities of its own and so serves where its
    # organisation does (offer_ids_serving): kept by exchange.signals whenever the list changes.
    serves_organisation_area = models.BooleanField(editable=False, default=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_type="on_request") | Q(price__isnull=False),
                name="offer_price_given_unless_on_request",
            ),
        ]
        # The catalogue's sorts and filters (issue 8). Each partial index holds the public
        # offers only (PUBLIC), in the order the catalogue sorts them ("newest", "price_asc",
        # "title" in exchange.filters.SORTING): a page is read in order from the index instead
        # of sorting 600 000 rows, and a count or a deep page is an index-only scan. The
        # PostgreSQL-only indexes (the trigram index of the search text, the price from the
        # highest with "price on request" last) are in migration 0008.
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=PUBLIC,
                name="offer_public_newest",
            ),
            models.Index(
                fields=["price", "title", "id"],
                condition=PUBLIC,
                name="offer_public_price",
            ),
            models.Index(fields=["title", "id"], condition=PUBLIC, name="offer_public_title"),
            # The municipality filter, the indicators and the matching of notices look offers up
            # by id in a union of id sets (offer_ids_serving): whether such an offer is public,
            # its date (the order of a page), category and organisation come from this index
            # alone, without reading thousands of offers' rows.
            models.Index(
                fields=["id", "created_at", "cpv", "organisation"],
                condition=PUBLIC,
                name="offer_public_id",
            ),
            # ... and the offers of the organisations serving a municipality, by organisation.
            models.Index(fields=["organisation", "id"], name="offer_organisation_ids"),
            # ... of which only those without a list of their own serve there.
            models.Index(
                fields=["organisation", "id"],
                condition=Q(serves_organisation_area=True),
                name="offer_serving_via_organisation",
            ),
            # The category filter is a prefix of the code (``LIKE '55%'``): a pattern operator
            # class answers it whatever the database's collation (ignored on SQLite).
            models.Index(
                fields=["cpv"],
                opclasses=["varchar_pattern_ops"],
                condition=PUBLIC,
                name="offer_public_cpv_prefix",
            ),
            # The legal form filter, with the kind and the price bounds it is combined with: a
            # count of the matching offers reads this index alone.
            models.Index(
                fields=["organisation_legal_form", "kind", "price", "created_at", "id"],
                condition=PUBLIC,
                name="offer_public_legal_form",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = offer_search_text(self, self.organisation)
        self.organisation_verified = self.organisation.status == Organisation.Status.VERIFIED
        self.organisation_legal_form = self.organisation.legal_form
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "search_text",
                "organisation_verified",
                "organisation_legal_form",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("exchange:offer-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.price_type == self.PriceType.ON_REQUEST:
            self.price = None
        elif self.price is None:
            raise ValidationError(
                {"price": _("Give the price, or choose “price on request”.")},
                code="price_required",
            )

    # How much of the description's HTML a card reads: enough for the 30 words it quotes.
    CARD_EXCERPT_HTML = 1000

    @property
    def card_excerpt(self) -> str:
        """The start of the description's HTML for a card, without a tag cut in half: the
        catalogue loads only ``description_start`` (``CARD_EXCERPT_HTML`` characters)."""
        html = getattr(self, "description_start", None)
        if html is None:
            html = self.description_html[: self.CARD_EXCERPT_HTML]
        if html.rfind("<") > html.rfind(">"):
            html = html[: html.rfind("<")]
        return html

    @property
    def is_public(self):
        return self.status == self.Status.ACTIVE and self.organisation.is_public

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def price_display(self) -> str:
        """The price as a buyer reads it: "from 25.00 PLN / person" (in Polish "od 25,00 zł /
        osoba"), or "price on request"."""
        if self.price_type == self.PriceType.ON_REQUEST or self.price is None:
            return gettext("price on request")
        # Translators: an amount of money in złoty, e.g. "25,00 zł".
        amount = gettext("%(amount)s PLN") % {
            "amount": number_format(self.price, 2, use_l10n=True, force_grouping=True)
        }
        if self.price_type == self.PriceType.FROM:
            # Translators: a starting price, e.g. "od 25,00 zł".
            amount = gettext("from %(amount)s") % {"amount": amount}
        if self.unit:
            # Translators: a price per unit, e.g. "od 25,00 zł / osoba".
            amount = gettext("%(amount)s / %(unit)s") % {"amount": amount, "unit": self.unit}
        return amount


def offer_search_text(offer: Offer, organisation: Organisation) -> str:
    """Lower-case text without diacritics for search, the same on SQLite and PostgreSQL."""
    return fold(
        " ".join(
            filter(
                None,
                [
                    offer.title,
                    offer.description,
                    organisation.name,
                    organisation.short_name,
                ],
            )
        )
    )


class OfferArea(models.Model):
    """One municipality a public offer is delivered in: the catalogue's municipality filter
    (issue 8). A public offer (PUBLIC) has one row per municipality of its own list, or, when it
    has none (``serves_organisation_area``), per municipality its organisation serves; any other
    offer has none. With the offer's date (the catalogue's default order) the count and the
    keys of a page of one municipality's offers are a range of one index, instead of a union of
    id sets checked id by id against the public offers.

    Kept exact by ``refresh_offer_areas``, called wherever what decides the rows changes: an
    offer saved (created, edited, archived, reactivated, deleted; a ``post_save`` signal), its
    own list changed (``exchange.signals.follow_own_area``), its organisation's status saved
    (``follow_organisation_status``) or its organisation's area changed
    (``follow_organisation_area``). An offer's date is set once (``auto_now_add``); whoever
    changes it with ``QuerySet.update()`` (the demo's backdating) refreshes its rows. Deleting an
    offer, an organisation or a municipality deletes the rows with it."""

    pk = models.CompositePrimaryKey("municipality", "offer")
    # The index below starts with the municipality: no index of its own.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="areas")
    # A copy of Offer.created_at, the key of the catalogue's default order.
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("municipality of a public offer")
        verbose_name_plural = _("municipalities of public offers")
        indexes = [
            models.Index(fields=["municipality", "created_at", "offer"], name="offer_area_newest"),
        ]

    def __str__(self):
        return f"{self.offer_id} @ {self.municipality_id}"


def offer_area_rows(offers: QuerySet | None, *, offer_model=None) -> QuerySet:
    """The rows of OfferArea of ``offers`` (a queryset of offers; None: every offer), as one
    SELECT of (municipality, offer, date): what ``refresh_offer_areas`` and migration 0012
    insert. Takes the historical model in a migration (``offer_model``)."""
    offer_model = offer_model or Offer
    own = offer_model.municipalities_served.through.objects
    own_rows = own.filter(
        Q(offer__status="active", offer__organisation_verified=True),
        offer__serves_organisation_area=False,
    )
    organisation_rows = offer_model.objects.filter(
        PUBLIC,
        serves_organisation_area=True,
        organisation__municipalities_served__isnull=False,
    )
    if offers is not None:
        own_rows = own_rows.filter(offer_id__in=offers.order_by().values("pk"))
        organisation_rows = organisation_rows.filter(pk__in=offers.order_by().values("pk"))
    own_rows = own_rows.values_list("municipality_id", "offer_id", "offer__created_at")
    organisation_rows = organisation_rows.values_list(
        "organisation__municipalities_served", "pk", "created_at"
    )
    return own_rows.order_by().union(organisation_rows.order_by(), all=True)


def insert_offer_areas(offers: QuerySet | None, *, offer_model=None, area_model=None) -> int:
    """INSERT … SELECT of the rows of ``offers`` (which must have none): one statement."""
    area_model = area_model or OfferArea
    rows = offer_area_rows(offers, offer_model=offer_model)
    sql, params = rows.query.sql_with_params()
    quote = connections[rows.db].ops.quote_name
    columns = ", ".join(
        quote(area_model._meta.get_field(name).column)
        for name in ("municipality", "offer", "created_at")
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(area_model._meta.db_table)} ({columns}) {sql}", params)
        return cursor.rowcount


def refresh_offer_areas(offers: QuerySet) -> None:
    """Rewrites the OfferArea rows of ``offers`` (a queryset of offers, e.g. one offer's, an
    organisation's) from what they are now: two statements."""
    OfferArea.objects.filter(offer_id__in=offers.order_by().values("pk")).delete()
    insert_offer_areas(offers)


class OfferPhoto(AbstractPhoto):
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="photos", verbose_name=_("offer")
    )
    image = models.ImageField(_("photo"), upload_to="offers/%Y/")


class Inquiry(models.Model):
    """A buyer's question about an offer: a private conversation between the buyer and the PES."""

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting reply")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    # A conversation belongs to both sides: neither the offer, the organisation nor the buyer
    # can be deleted from under it (a buyer's account is anonymised instead).
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("offer")
    )
    # Copied from the offer so that the PES side's inbox is one indexed query.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("organisation"),
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("buyer"),
    )
    # For whom the buyer asks: their department (officials) or their company (business buyers).
    buyer_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    buyer_company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
    )
    quantity = models.CharField(_("quantity"), max_length=100, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    buyer_read_at = models.DateTimeField(null=True, blank=True)
    organisation_read_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["organisation", "-last_message_at"]),
            models.Index(fields=["buyer", "-last_message_at"]),
        ]
        constraints = [
            # Exactly one is required when sent (the service checks); older rows may have
            # neither, from before the department or company was protected.
            models.CheckConstraint(
                condition=Q(buyer_department__isnull=True) | Q(buyer_company__isnull=True),
                name="inquiry_for_department_or_company",
            ),
        ]

    def __str__(self):
        return f"{self.offer} — {self.buyer}"

    def get_absolute_url(self):
        return reverse("exchange:inquiry-detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def asked_for(self):
        """The department or company the buyer asks for."""
        return self.buyer_department or self.buyer_company

    def is_unread_by_buyer(self) -> bool:
        return _unread(self.last_message_at, self.buyer_read_at)

    def is_unread_by_organisation(self) -> bool:
        return _unread(self.last_message_at, self.organisation_read_at)


def _unread(last_message_at, read_at) -> bool:
    return last_message_at is not None and (read_at is None or last_message_at > read_at)


class InquiryMessage(models.Model):
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="messages", verbose_name=_("inquiry")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_buyer = models.BooleanField(_("from the buyer"))
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.body[:60]
