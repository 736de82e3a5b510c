"""The PES directory: organisations, their legal data, members and verification."""

import json
from copy import copy
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Migration 0001 names the token's default by this path.
from pestor.models import (
    Invitation,
    Municipality,
    _new_token,  # noqa: F401
)
from pestor.text import fold
from pestor.validators import validate_krs, validate_nip, validate_regon

from .validators import validate_logo


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("association")
    FOUNDATION = "foundation", _("foundation")
    SOCIAL_COOPERATIVE = "social_cooperative", _("social cooperative")
    # Founded by at least two legal persons (art. 4 ust. 1 pkt 2 of the Act on social
    # cooperatives): municipalities, NGOs, church legal persons.
    SOCIAL_COOPERATIVE_OF_LEGAL_PERSONS = (
        "social_cooperative_legal_persons",
        _("social cooperative of legal persons"),
    )
    LABOUR_COOPERATIVE = "labour_cooperative", _("labour cooperative")
    CIS = "cis", _("social integration centre (CIS)")
    KIS = "kis", _("social integration club (KIS)")
    ZAZ = "zaz", _("occupational activity establishment (ZAZ)")
    WTZ = "wtz", _("occupational therapy workshop (WTZ)")
    NON_PROFIT_COMPANY = "non_profit_company", _("non-profit company")
    OTHER = "other", _("other")


# The forms whose founding members the directory records (CooperativeFounder).
COOPERATIVE_FORMS = frozenset(
    {
        LegalForm.SOCIAL_COOPERATIVE,
        LegalForm.SOCIAL_COOPERATIVE_OF_LEGAL_PERSONS,
        LegalForm.LABOUR_COOPERATIVE,
    }
)


class PublicBenefitSphere(models.Model):
    """A sphere of public tasks listed in art. 4 ust. 1 of the Act on public benefit activity."""

    code = models.CharField(_("item of art. 4 ust. 1"), max_length=4, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["position"]
        verbose_name = _("sphere of public tasks")
        verbose_name_plural = _("spheres of public tasks")

    def __str__(self):
        return self.name


# The yearly check: an owner confirms the organisation's data each year when reminded; an
# entry left unconfirmed this long after the reminder shows as "not confirmed".
CONFIRMATION_GRACE_DAYS = 60
# A verified organisation whose data were last confirmed (or verified) longer ago than this is
# due for the yearly reminder.
CONFIRMATION_INTERVAL_DAYS = 365


def unconfirmed_q(now=None) -> Q:
    """Organisations reminded more than CONFIRMATION_GRACE_DAYS ago that have not confirmed
    their data since."""
    now = now or timezone.now()
    return Q(confirmation_requested_at__lt=now - timedelta(days=CONFIRMATION_GRACE_DAYS)) & (
        Q(data_confirmed_at__isnull=True)
        | Q(data_confirmed_at__lt=models.F("confirmation_requested_at"))
    )


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Organisation.Status.VERIFIED)

    def unconfirmed(self):
        return self.filter(unconfirmed_q())

    def confirmed(self):
        """Everything but the unconfirmed entries (the default of the public directory)."""
        return self.exclude(unconfirmed_q())

    def visible_to(self, user):
        """Verified organisations, plus what the user may see of the rest.

        Members see their own organisations in any state; officials see those seated in their
        municipalities; administrators see everything.
        """
        from pestor import roles

        if user is None or not user.is_authenticated:
            return self.public()
        if roles.is_administrator(user):
            return self.all()
        # EXISTS, not a join to the memberships: a join repeats the row per member and needs
        # DISTINCT over every column the page annotates (52 ms for a PES page at national scale).
        own = OrganisationMembership.objects.filter(organisation=OuterRef("pk"), user=user)
        return self.filter(
            Q(status=Organisation.Status.VERIFIED)
            | Exists(own)
            | Q(seat_municipality_id__in=roles.official_municipality_ids(user))
        )


# What the public list filters on besides the status: kept in its indexes (see Meta.indexes).
CONFIRMATION_COLUMNS = ["confirmation_requested_at", "data_confirmed_at"]

postal_code_validator = RegexValidator(r"^\d{2}-\d{3}$", _("Enter the postal code as 00-000."))


class Organisation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("returned for correction")
        # Withdrawn from the portal: by its owner (and back by them), or by an official of
        # the seat municipality for a reason (and restored by an official). Neither is
        # "verified", so every check of the verified status keeps such an organisation out of
        # public lists, notices and the exchange without knowing of these states.
        DEACTIVATED = "deactivated", _("deactivated by its owner")
        SUSPENDED = "suspended", _("suspended by an official")

    # The legal data: what an official checks against the public registers (KRS, REGON, the
    # voivode's list of social enterprises) before verifying. Only owners change them; on a
    # verified organisation a change waits for an official (LegalDataChange). Everything else
    # in the profile (short name, description, contact, logo, spheres, area served, position
    # on the map, employment) is the members' to edit.
    LEGAL_FIELDS = (
        "name",
        "legal_form",
        "krs",
        "nip",
        "regon",
        "is_public_benefit",
        "is_social_enterprise",
        "social_enterprise_since",
        "street",
        "postal_code",
        "city",
        "seat_municipality",
        # The staff figures decide qualification for contracts reserved under art. 94 PZP (at
        # least 30% of the staff from excluded groups), so an official verifies them too.
        "employees",
        "employees_at_risk",
    )

    name = models.CharField(_("full name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("address in the portal"), max_length=120, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=32, choices=LegalForm.choices)
    krs = models.CharField(
        _("KRS number"),
        max_length=10,
        blank=True,
        validators=[validate_krs],
        help_text=_("10 digits; leave empty if the organisation is not entered in the KRS."),
    )
    nip = models.CharField(
        _("NIP"),
        max_length=10,
        unique=True,
        validators=[validate_nip],
        help_text=_("10 digits, with or without dashes."),
        error_messages={"unique": _("An organisation with this NIP is already registered.")},
    )
    regon = models.CharField(
        _("REGON"),
        max_length=14,
        validators=[validate_regon],
        help_text=_("9 or 14 digits."),
    )
    is_public_benefit = models.BooleanField(_("public benefit organisation (OPP)"), default=False)
    is_social_enterprise = models.BooleanField(_("social enterprise status"), default=False)
    social_enterprise_since = models.DateField(
        _("social enterprise status granted on"),
        null=True,
        blank=True,
        help_text=_("The date of the voivode's decision."),
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[postal_code_validator]
    )
    city = models.CharField(_("town"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    seat_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="seated_organisations",
        verbose_name=_("seat municipality"),
        help_text=_("An official of this municipality verifies the registration."),
    )
    municipalities_served = models.ManyToManyField(
        Municipality,
        related_name="served_by_organisations",
        verbose_name=_("municipalities served"),
        blank=True,
    )
    spheres = models.ManyToManyField(
        PublicBenefitSphere,
        related_name="organisations",
        verbose_name=_("spheres of public tasks"),
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="logos/%Y/", blank=True, validators=[validate_logo]
    )
    employees = models.PositiveIntegerField(_("number of employees"), default=0)
    employees_at_risk = models.PositiveIntegerField(
        _("of whom at risk of social exclusion"),
        default=0,
        help_text=_("Employees from groups at risk of social or professional exclusion."),
    )

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.TextField(_("reason for return"), blank=True)
    suspension_reason = models.TextField(_("reason for suspension"), blank=True)
    # What the owner's reactivation returns a deactivated organisation to.
    status_before_deactivation = models.CharField(
        _("status before deactivation"), max_length=16, blank=True, editable=False
    )
    confirmation_requested_at = models.DateTimeField(
        _("asked to confirm the data"), null=True, blank=True, editable=False
    )
    data_confirmed_at = models.DateTimeField(
        _("data confirmed on"), null=True, blank=True, editable=False
    )
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    # People who acted on records others rely on are PROTECTed: such an account is anonymised
    # (pestor.services.user_erase), never deleted, so "who" keeps reading "deleted account".
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Lower-case text without diacritics, kept by save(), so that search behaves the same on
    # SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, default="")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(employees_at_risk__lte=models.F("employees")),
                name="organisation_at_risk_within_employees",
            ),
            models.CheckConstraint(
                condition=Q(is_social_enterprise=False) | Q(social_enterprise_since__isnull=False),
                name="organisation_social_enterprise_has_date",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "verified", "rejected", "deactivated", "suspended"]
                ),
                name="organisation_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="suspended") | ~Q(suspension_reason=""),
                name="organisation_suspension_has_reason",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="deactivated")
                    & Q(status_before_deactivation__in=["pending", "verified", "rejected"])
                )
                | (~Q(status="deactivated") & Q(status_before_deactivation="")),
                name="organisation_deactivation_remembers_status",
            ),
        ]
        # The public directory's sort and filters (issue 8). Each partial index holds the
        # verified organisations only (88% of the table), ordered as the list is ("name", "pk"),
        # so that a page is read in order from the index instead of sorting the whole table; the
        # rarer flags get their own index for the same sort. On PostgreSQL they also carry the
        # columns of the yearly confirmation, which the default list filters on: counting and
        # skipping to a deep page then read the index alone (an index-only scan), not the
        # table. The folded search text's trigram index is PostgreSQL's only (migration 0008),
        # so it is not here.
        indexes = [
            models.Index(
                fields=["status", "confirmation_requested_at"], name="organisation_confirmation"
            ),
            models.Index(
                fields=["name", "id"],
                include=CONFIRMATION_COLUMNS,
                condition=Q(status="verified"),
                name="organisation_public_name",
            ),
            models.Index(
                fields=["legal_form", "name", "id"],
                include=CONFIRMATION_COLUMNS,
                condition=Q(status="verified"),
                name="organisation_public_form",
            ),
            models.Index(
                fields=["name", "id"],
                include=CONFIRMATION_COLUMNS,
                condition=Q(status="verified", is_social_enterprise=True),
                name="organisation_public_social",
            ),
            models.Index(
                fields=["name", "id"],
                include=CONFIRMATION_COLUMNS,
                condition=Q(status="verified", is_public_benefit=True),
                name="organisation_public_opp",
            ),
            # The map's bounding box: a range on the latitude, then the longitude.
            models.Index(
                fields=["latitude", "longitude"],
                condition=Q(status="verified", latitude__isnull=False),
                name="organisation_public_position",
            ),
            # An official's verification queue: the municipality's pending registrations, oldest
            # first.
            models.Index(
                fields=["seat_municipality", "created_at", "id"],
                condition=Q(status="pending"),
                name="organisation_pending_queue",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = organisation_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:organisation-detail", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def is_public(self):
        return self.status == self.Status.VERIFIED

    @property
    def is_withdrawn(self):
        return self.status in (self.Status.DEACTIVATED, self.Status.SUSPENDED)

    @property
    def is_unconfirmed(self):
        """Reminded of the yearly check more than CONFIRMATION_GRACE_DAYS ago, not confirmed."""
        requested = self.confirmation_requested_at
        return bool(
            requested
            and requested < timezone.now() - timedelta(days=CONFIRMATION_GRACE_DAYS)
            and (self.data_confirmed_at is None or self.data_confirmed_at < requested)
        )

    @property
    def awaits_confirmation(self):
        """Reminded and not confirmed since (the owner sees the button)."""
        requested = self.confirmation_requested_at
        return bool(
            requested and (self.data_confirmed_at is None or self.data_confirmed_at < requested)
        )

    @property
    def has_position(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def at_risk_share(self):
        """Share (0-100) of employees at risk of exclusion, or None with no employees."""
        if not self.employees:
            return None
        return round(100 * self.employees_at_risk / self.employees)

    def clean(self):
        super().clean()
        errors = {}
        if self.employees_at_risk and self.employees_at_risk > (self.employees or 0):
            errors["employees_at_risk"] = _("This cannot be more than the number of employees.")
        if self.is_social_enterprise and not self.social_enterprise_since:
            errors["social_enterprise_since"] = _(
                "Give the date on which the voivode granted the social enterprise status."
            )
        if not self.is_social_enterprise:
            self.social_enterprise_since = None
        if self.social_enterprise_since and self.social_enterprise_since > timezone.localdate():
            errors["social_enterprise_since"] = _("This date cannot be in the future.")
        if self.year_founded and self.year_founded > timezone.localdate().year:
            errors["year_founded"] = _("The year founded cannot be in the future.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both the latitude and the longitude, or neither.")
        if errors:
            raise ValidationError(errors)


def organisation_search_text(organisation: Organisation) -> str:
    """Lower-case text without diacritics for search, the same on SQLite and PostgreSQL."""
    return fold(
        " ".join(
            filter(
                None,
                [
                    organisation.name,
                    organisation.short_name,
                    organisation.city,
                    organisation.krs,
                    organisation.nip,
                    organisation.description,
                ],
            )
        )
    )


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        EDITOR = "editor", _("editor")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role", "user__email"]
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="organisation_member_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class OrganisationInvitation(Invitation):
    """An owner's invitation of an editor, sent by e-mail; accepted by a signed-in user."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )

    class Meta(Invitation.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class LegalDataChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=LegalDataChange.Status.PENDING)


class LegalDataChange(models.Model):
    """An owner's proposed change of a verified organisation's legal data. The public record
    keeps the verified values until an official of the seat municipality accepts it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting verification")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")
        WITHDRAWN = "withdrawn", _("withdrawn")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="legal_changes",
        verbose_name=_("organisation"),
    )
    # Every field of Organisation.LEGAL_FIELDS, as JSON (foreign keys by primary key, dates
    # in ISO format); read back through the model fields' to_python().
    proposed = models.JSONField(_("proposed legal data"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Who asked and who decided are part of the organisation's verified record: an account
    # with such history is anonymised, never deleted (pestor.services.user_erase).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason for return"), blank=True)

    objects = LegalDataChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("change of legal data")
        verbose_name_plural = _("changes of legal data")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="legal_change_one_pending_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "returned", "withdrawn"]),
                name="legal_change_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.organisation} — {self.get_status_display()}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @staticmethod
    def legal_data_of(organisation: Organisation) -> dict:
        """An organisation's legal data in the form ``proposed`` keeps them."""
        values = {name: getattr(organisation, _attname(name)) for name in Organisation.LEGAL_FIELDS}
        return json.loads(json.dumps(values, cls=DjangoJSONEncoder))

    def proposed_values(self) -> dict:
        """The proposed values as Python objects, keyed by the fields' attribute names
        (``seat_municipality_id``)."""
        if not hasattr(self, "_proposed_values"):
            self._proposed_values = {}
            for name in Organisation.LEGAL_FIELDS:
                field = Organisation._meta.get_field(name)
                self._proposed_values[field.attname] = field.to_python(self.proposed.get(name))
        return self._proposed_values

    def proposed_organisation(self) -> Organisation:
        """An unsaved copy of the organisation with the proposed values, for validation and
        display."""
        candidate = copy(self.organisation)
        candidate._state = copy(self.organisation._state)
        candidate._state.fields_cache = {}
        for attname, value in self.proposed_values().items():
            setattr(candidate, attname, value)
        return candidate

    @property
    def changed_field_labels(self) -> list[str]:
        return [Organisation._meta.get_field(name).verbose_name for name in self.changed_fields()]

    def changed_fields(self) -> list[str]:
        """The legal fields whose proposed value differs from the organisation's current one."""
        proposed = self.proposed_values()
        return [
            name
            for name in Organisation.LEGAL_FIELDS
            if getattr(self.organisation, _attname(name)) != proposed[_attname(name)]
        ]


def _attname(name: str) -> str:
    return Organisation._meta.get_field(name).attname


class CooperativeFounder(models.Model):
    """A founding member of a cooperative: a municipality of the portal, an organisation of the
    directory, or another legal person named with its NIP or REGON (a parish, a water
    company). Kept by the cooperative's editors; shown on its page."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        ORGANISATION = "organisation", _("organisation from the directory")
        LEGAL_PERSON = "legal_person", _("other legal person")

    cooperative = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="founders",
        verbose_name=_("cooperative"),
    )
    kind = models.CharField(_("founding member"), max_length=16, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperatives_founded",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperatives_founded",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name of the legal person"), max_length=300, blank=True)
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("founding member")
        verbose_name_plural = _("founding members")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="municipality",
                        municipality__isnull=False,
                        organisation__isnull=True,
                        name="",
                    )
                    | Q(
                        kind="organisation",
                        municipality__isnull=True,
                        organisation__isnull=False,
                        name="",
                    )
                    | (
                        Q(kind="legal_person", municipality__isnull=True, organisation__isnull=True)
                        & ~Q(name="")
                        & (~Q(nip="") | ~Q(regon=""))
                    )
                ),
                name="cooperative_founder_one_kind",
            ),
            models.UniqueConstraint(
                fields=["cooperative", "municipality"],
                condition=Q(municipality__isnull=False),
                name="cooperative_founder_municipality_once",
                violation_error_message=_("This founding member is already on the list."),
            ),
            models.UniqueConstraint(
                fields=["cooperative", "organisation"],
                condition=Q(organisation__isnull=False),
                name="cooperative_founder_organisation_once",
                violation_error_message=_("This founding member is already on the list."),
            ),
        ]
        # The directory's filter "cooperatives a municipality belongs to".
        indexes = [
            models.Index(
                fields=["municipality", "cooperative"],
                condition=Q(municipality__isnull=False),
                name="cooperative_founder_by_gmina",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.MUNICIPALITY and self.municipality_id:
            return str(self.municipality)
        if self.kind == self.Kind.ORGANISATION and self.organisation_id:
            return self.organisation.name
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.cooperative_id and self.cooperative.legal_form not in COOPERATIVE_FORMS:
            errors["kind"] = _("Only a cooperative has founding members.")
        if self.kind == self.Kind.MUNICIPALITY:
            if not self.municipality_id:
                errors["municipality"] = _("Choose the municipality.")
            self.organisation, self.name, self.nip, self.regon = None, "", "", ""
        elif self.kind == self.Kind.ORGANISATION:
            if not self.organisation_id:
                errors["organisation"] = _("Give the NIP of an organisation from the directory.")
            elif self.organisation_id == self.cooperative_id:
                errors["organisation"] = _("A cooperative cannot be its own founding member.")
            self.municipality, self.name, self.nip, self.regon = None, "", "", ""
        elif self.kind == self.Kind.LEGAL_PERSON:
            if not self.name.strip():
                errors["name"] = _("Give the name of the legal person.")
            if not self.nip and not self.regon:
                errors["nip"] = _("Give the NIP or the REGON of the legal person.")
            self.municipality, self.organisation = None, None
        if errors:
            raise ValidationError(errors)
