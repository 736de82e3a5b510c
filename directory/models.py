"""The PES directory: organisations, their legal data, members and verification."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pestor.models import Municipality
from pestor.text import fold
from pestor.validators import validate_krs, validate_nip, validate_regon

from .validators import validate_logo


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("association")
    FOUNDATION = "foundation", _("foundation")
    SOCIAL_COOPERATIVE = "social_cooperative", _("social cooperative")
    LABOUR_COOPERATIVE = "labour_cooperative", _("labour cooperative")
    CIS = "cis", _("social integration centre (CIS)")
    KIS = "kis", _("social integration club (KIS)")
    ZAZ = "zaz", _("occupational activity establishment (ZAZ)")
    WTZ = "wtz", _("occupational therapy workshop (WTZ)")
    NON_PROFIT_COMPANY = "non_profit_company", _("non-profit company")
    OTHER = "other", _("other")


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


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Organisation.Status.VERIFIED)

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
        return self.filter(
            Q(status=Organisation.Status.VERIFIED)
            | Q(memberships__user=user)
            | Q(seat_municipality_id__in=roles.official_municipality_ids(user))
        ).distinct()


postal_code_validator = RegexValidator(r"^\d{2}-\d{3}$", _("Enter the postal code as 00-000."))


class Organisation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("returned for correction")

    # Fields whose changes are kept in the history that officials review.
    LEGAL_FIELDS = (
        "name",
        "legal_form",
        "krs",
        "nip",
        "regon",
        "is_public_benefit",
        "is_social_enterprise",
        "social_enterprise_since",
        "seat_municipality",
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
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
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
                condition=Q(status__in=["pending", "verified", "rejected"]),
                name="organisation_status_valid",
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


def _new_token():
    return secrets.token_urlsafe(32)


class OrganisationInvitation(models.Model):
    """An owner's invitation of an editor, sent by e-mail; accepted by a signed-in user."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    VALID_DAYS = 14

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self):
        return timezone.now() > self.created_at + timedelta(days=self.VALID_DAYS)

    @property
    def is_open(self):
        return self.accepted_at is None and not self.is_expired
