"""The municipal premises policy: the city's commercial premises, the discount rules, leases
with preferential rent and what that support is worth, calls for premises with applications,
vacancy alerts, and the tenants' annual reports.

A premises belongs to a municipality through its administering unit (a department with a
contact). A lease's charged rent comes from its rate history (``LeaseRate``: indexation adds a
row from a date, so past months compute as they were) and its discount, proposed by the
municipality's ``DiscountPolicy``. What the support is worth is kept per lease and year
(``LeaseSupportYear``), recomputed by the lease services, so that the results page and the
totals add up indexed rows instead of walking every lease's months. On PostgreSQL an exclusion
constraint makes two leases of one premises at once impossible (migration 0002); on SQLite the
lease service checks the same under a write lock.
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Organisation, PublicBenefitSphere
from pestor.models import AbstractPhoto, Department, Municipality
from pestor.storage import private_storage

from .validators import validate_pdf

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(0)]}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}


class Floor(models.TextChoices):
    BASEMENT = "basement", _("basement")
    GROUND = "ground", _("ground floor")
    UPPER = "upper", _("upper floor")
    ATTIC = "attic", _("attic")
    OUTBUILDING = "outbuilding", _("outbuilding")
    GATEWAY = "gateway", _("gateway")


class AdministeringUnit(models.Model):
    """Who administers premises for the city: a department (or the municipal property
    company's office within it), with the contact a PES calls about a visit."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="premises_units",
        verbose_name=_("department"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("administering unit")
        verbose_name_plural = _("administering units")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.municipality_id = self.department.municipality_id
        super().save(*args, **kwargs)


class PremisesQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Premises.Status.NOT_FOR_LEASE)


class Premises(models.Model):
    class Status(models.TextChoices):
        VACANT = "vacant", pgettext_lazy("premises status", "vacant")
        IN_CALL = "in_call", pgettext_lazy("premises status", "in a call")
        LEASED_PES = "leased_pes", pgettext_lazy("premises status", "leased to a PES")
        LEASED_OTHER = "leased_other", pgettext_lazy("premises status", "leased otherwise")
        NOT_FOR_LEASE = "not_for_lease", pgettext_lazy("premises status", "not for lease")

    class State(models.TextChoices):
        GOOD = "good", _("good, ready to use")
        FAIR = "fair", _("fair, needs refreshing")
        POOR = "poor", _("poor, needs renovation")

    unit = models.ForeignKey(
        AdministeringUnit,
        on_delete=models.PROTECT,
        related_name="premises",
        verbose_name=_("administering unit"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    address = models.CharField(_("address"), max_length=300)
    district = models.CharField(_("district or estate"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    floor = models.CharField(_("floor"), max_length=12, choices=Floor.choices)
    area_m2 = models.DecimalField(_("usable area (m²)"), max_digits=8, decimal_places=2)
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1)
    technical_state = models.CharField(
        _("technical state"), max_length=6, choices=State.choices, default=State.GOOD
    )
    step_free_entrance = models.BooleanField(_("step-free entrance"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    has_electricity = models.BooleanField(_("electricity"), default=True)
    has_water = models.BooleanField(_("water and sewage"), default=True)
    has_gas = models.BooleanField(_("gas"), default=False)
    has_heating = models.BooleanField(_("central heating"), default=True)
    description = models.TextField(_("description"), blank=True)
    market_rent_m2 = models.DecimalField(
        _("reference market rent per m² net (PLN)"),
        help_text=_("What the premises would rent for on the market, per m² a month, net."),
        **MONEY,
    )
    plan = models.FileField(
        _("plan (PDF)"),
        upload_to="premises/plans/",
        storage=private_storage,
        blank=True,
        max_length=255,
        validators=[validate_pdf],
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.VACANT
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PremisesQuerySet.as_manager()

    class Meta:
        ordering = ["district", "address", "pk"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        indexes = [
            models.Index(
                fields=["municipality", "status", "district", "address"], name="premises_list"
            ),
            models.Index(fields=["status", "district", "address"], name="premises_status"),
            models.Index(fields=["latitude", "longitude"], name="premises_position"),
            models.Index(fields=["area_m2"], name="premises_area"),
            # The public list's order over every municipality (Status.NOT_FOR_LEASE left out):
            # a deep page skips entries of this index, never sorting the table (67 -> 3 ms for
            # the last page of 20 000 premises).
            models.Index(
                fields=["district", "address", "id"],
                condition=~Q(status="not_for_lease"),
                name="premises_public_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="premises_area_positive"),
            models.CheckConstraint(
                condition=Q(market_rent_m2__gte=0), name="premises_market_rent_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.address} ({self.district})"

    def save(self, *args, **kwargs):
        self.municipality_id = self.unit.municipality_id
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "municipality"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("premises:premises-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.area_m2 is not None and self.area_m2 <= 0:
            raise ValidationError(
                {"area_m2": _("The area must be more than 0 m².")}, code="area_not_positive"
            )

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def utilities(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ("has_electricity", "has_water", "has_gas", "has_heating")
            if getattr(self, name)
        ]


class PremisesStatusChange(models.Model):
    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=14, choices=Premises.Status.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=Premises.Status.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.premises}: {self.get_to_status_display()}"


def premises_photo_path(instance, filename):
    # The name comes from pestor.images.reencode (random, with the real format's extension).
    return f"premises/{timezone.now():%Y}/{filename}"


class PremisesPhoto(AbstractPhoto):
    premises = models.ForeignKey(
        Premises, on_delete=models.CASCADE, related_name="photos", verbose_name=_("premises")
    )
    image = models.ImageField(_("photo"), upload_to=premises_photo_path)


# --- the discount policy ------------------------------------------------------------------------


class DiscountPolicy(models.Model):
    """A municipality's rules for preferential rent (in Toruń: the mayor's ordinance)."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="premises_policy",
        verbose_name=_("municipality"),
    )
    discount_months = models.PositiveSmallIntegerField(
        _("discount period (months)"), default=12, validators=[MinValueValidator(1)]
    )
    lease_term_months = models.PositiveSmallIntegerField(
        _("lease term (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for leases of indefinite term."),
    )
    report_due_month = models.PositiveSmallIntegerField(
        _("annual report due: month"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("annual report due: day"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("discount policy")
        verbose_name_plural = _("discount policies")

    def __str__(self):
        return str(self.municipality)

    def report_due(self, year: int) -> date:
        """The day the report on ``year`` is due, in the next year (28 Feb for "30 Feb")."""
        month, day = self.report_due_month, self.report_due_day
        while True:
            try:
                return date(year + 1, month, day)
            except ValueError:
                day -= 1


class SphereDiscount(models.Model):
    policy = models.ForeignKey(
        DiscountPolicy, on_delete=models.CASCADE, related_name="sphere_discounts"
    )
    sphere = models.ForeignKey(
        PublicBenefitSphere,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sphere of public tasks"),
    )
    max_percent = models.DecimalField(_("maximum discount (%)"), **PERCENT)

    class Meta:
        ordering = ["-max_percent", "sphere__position"]
        verbose_name = _("discount by sphere")
        verbose_name_plural = _("discounts by sphere")
        constraints = [
            models.UniqueConstraint(fields=["policy", "sphere"], name="premises_sphere_once"),
            models.CheckConstraint(
                condition=Q(max_percent__gte=0, max_percent__lte=100),
                name="premises_sphere_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.sphere}: {self.max_percent}%"


class FloorDiscount(models.Model):
    policy = models.ForeignKey(
        DiscountPolicy, on_delete=models.CASCADE, related_name="floor_discounts"
    )
    floor = models.CharField(_("floor"), max_length=12, choices=Floor.choices)
    extra_points = models.DecimalField(_("extra percentage points"), **PERCENT)

    class Meta:
        ordering = ["-extra_points", "floor"]
        verbose_name = _("extra discount by floor")
        verbose_name_plural = _("extra discounts by floor")
        constraints = [
            models.UniqueConstraint(fields=["policy", "floor"], name="premises_floor_once"),
        ]

    def __str__(self):
        return f"{self.get_floor_display()}: +{self.extra_points}"


class PolicyRevision(models.Model):
    """One version of a municipality's rules, written by every change (``services.policy_set``):
    what the rules became, when, by whom and why. The policy page lists them."""

    policy = models.ForeignKey(DiscountPolicy, on_delete=models.CASCADE, related_name="revisions")
    revised_at = models.DateTimeField(_("changed"), default=timezone.now)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    reason = models.TextField(_("reason for the change"), max_length=2000, blank=True)
    rules = models.JSONField(_("rules"), default=dict)

    class Meta:
        ordering = ["-revised_at", "-pk"]
        verbose_name = _("version of the rules")
        verbose_name_plural = _("versions of the rules")
        indexes = [models.Index(fields=["policy", "-revised_at"], name="premises_policy_revision")]

    def __str__(self):
        return f"{self.policy}: {self.revised_at:%Y-%m-%d}"


# --- leases -------------------------------------------------------------------------------------


class Lease(models.Model):
    """A premises leased to a PES: who, from when to when, for what, with which discount."""

    premises = models.ForeignKey(
        Premises, on_delete=models.PROTECT, related_name="leases", verbose_name=_("premises")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="premises_leases",
        verbose_name=_("tenant"),
    )
    # Copied from the premises: the totals group by them without a join.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    district = models.CharField(_("district"), max_length=100, editable=False)
    sphere = models.ForeignKey(
        PublicBenefitSphere,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sphere of public tasks"),
        help_text=_("The sphere of the activity run in the premises; it sets the discount."),
    )
    activity = models.TextField(_("what the tenant does there"), max_length=2000)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(
        _("until (exclusive)"), null=True, blank=True, help_text=_("Empty: indefinite term.")
    )
    deposit = models.DecimalField(_("deposit (PLN)"), default=0, **MONEY)
    proposed_discount = models.DecimalField(_("discount proposed by the rules (%)"), **PERCENT)
    discount_percent = models.DecimalField(_("discount (%)"), **PERCENT)
    discount_rule = models.CharField(_("rule that produced it"), max_length=300)
    override_reason = models.TextField(_("reason for another discount"), blank=True)
    discount_until = models.DateField(_("discount until (exclusive)"))
    application = models.ForeignKey(
        "Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen application"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        indexes = [
            models.Index(fields=["premises", "starts_on"], name="premises_lease_premises"),
            models.Index(fields=["organisation", "-starts_on"], name="premises_lease_tenant"),
            models.Index(fields=["municipality", "-starts_on"], name="premises_lease_municipality"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="premises_lease_period_order",
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="premises_lease_discount_range",
            ),
        ]

    def __str__(self):
        return f"{self.premises} — {self.organisation}"

    def get_absolute_url(self):
        return reverse("premises:lease-detail", kwargs={"pk": self.pk})

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


class LeaseRate(models.Model):
    """The rates from a day on (indexation adds a row): the basic rent the tenant pays before
    the discount and the market rent the support is measured against, per m² a month net."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="rates")
    valid_from = models.DateField(_("valid from"))
    basic_rent_m2 = models.DecimalField(_("basic rent per m² (PLN)"), **MONEY)
    market_rent_m2 = models.DecimalField(_("market rent per m² (PLN)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["lease", "valid_from"]
        verbose_name = _("rent rate")
        verbose_name_plural = _("rent rates")
        constraints = [
            models.UniqueConstraint(fields=["lease", "valid_from"], name="premises_rate_once"),
        ]

    def __str__(self):
        return f"{self.valid_from}: {self.basic_rent_m2}"


class LeaseSupportYear(models.Model):
    """What a lease was worth to its tenant in one year: the sum over its months of (market -
    charged rent) x area, written by the lease services (never edited by hand)."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="support_years")
    year = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField(default=0)
    charged = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    support = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # Copied from the lease for the totals' GROUP BY.
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sphere = models.ForeignKey(PublicBenefitSphere, on_delete=models.PROTECT, related_name="+")
    district = models.CharField(max_length=100)
    area_m2 = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["lease", "year"]
        constraints = [
            models.UniqueConstraint(fields=["lease", "year"], name="premises_support_year_once"),
        ]
        indexes = [
            models.Index(fields=["year", "municipality"], name="premises_support_year"),
            # The officials' totals: their municipality, every year or one.
            models.Index(fields=["municipality", "year"], name="premises_support_place"),
            models.Index(fields=["organisation", "year"], name="premises_support_org"),
        ]

    def __str__(self):
        return f"{self.lease_id}/{self.year}: {self.support}"


# --- calls for premises -------------------------------------------------------------------------


class PremisesCall(models.Model):
    """A call for premises (nabór na lokale): one or more vacant premises offered to PES."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("call status", "draft")
        PUBLISHED = "published", pgettext_lazy("call status", "published")
        DECIDED = "decided", pgettext_lazy("call status", "decided")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(
        _("purpose"), max_length=3000, help_text=_("e.g. a social shop and café")
    )
    documents_required = models.TextField(
        _("documents required"),
        max_length=2000,
        help_text=_("e.g. the statute, the last financial and narrative report"),
    )
    opens_at = models.DateTimeField(_("applications from"))
    closes_at = models.DateTimeField(_("applications until"))
    premises = models.ManyToManyField(
        Premises, related_name="calls", verbose_name=_("premises offered")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    decided_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("call for premises")
        verbose_name_plural = _("calls for premises")
        indexes = [models.Index(fields=["status", "-opens_at"], name="premises_call_public")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="premises_call_period_order"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("premises:call-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The call must close after it opens.")}, code="call_period"
            )

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.closes_at


class Application(models.Model):
    """A PES's application for one premises of a call. Private to the PES and the officials."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("application status", "submitted")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "withdrawn")
        CHOSEN = "chosen", pgettext_lazy("application status", "chosen")
        NOT_CHOSEN = "not_chosen", pgettext_lazy("application status", "not chosen")

    call = models.ForeignKey(
        PremisesCall, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    premises = models.ForeignKey(
        Premises, on_delete=models.PROTECT, related_name="applications", verbose_name=_("premises")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="premises_applications",
        verbose_name=_("organisation"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    intended_use = models.TextField(_("intended use"), max_length=3000)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, help_text=_("e.g. Mon-Fri 10:00-18:00")
    )
    beneficiaries = models.PositiveIntegerField(_("expected beneficiaries a year"))
    proposed_rent_m2 = models.DecimalField(_("proposed rent per m² (PLN)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("application for premises")
        verbose_name_plural = _("applications for premises")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "premises", "organisation"], name="premises_application_once"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-submitted_at"], name="premises_appl_org"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.premises}"

    def get_absolute_url(self):
        return reverse("premises:application-detail", kwargs={"pk": self.pk})


def application_document_path(instance, filename):
    # A name the portal chose; validate_pdf has checked the content is a PDF.
    return f"premises/applications/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=application_document_path,
        storage=private_storage,
        max_length=255,
        validators=[validate_pdf],
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title


class CallDecision(models.Model):
    """The decision on one premises of a call: the chosen application (or none) and why.
    Recorded by an official; the committee's scoring (the ``scoring`` app) will feed it."""

    call = models.ForeignKey(PremisesCall, on_delete=models.CASCADE, related_name="decisions")
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen application"),
    )
    reason = models.TextField(_("reason"), max_length=3000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["premises__address", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["call", "premises"], name="premises_decision_once"),
        ]

    def __str__(self):
        return f"{self.call}: {self.premises}"


class VacancyAlert(models.Model):
    """What a PES looks for; its members are e-mailed when a call or a vacant premises matches."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="premises_alerts"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    district = models.CharField(_("district or estate"), max_length=100, blank=True)
    min_area = models.DecimalField(
        _("area from (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    max_area = models.DecimalField(
        _("area up to (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    floor = models.CharField(_("floor"), max_length=12, choices=Floor.choices, blank=True)
    step_free_only = models.BooleanField(_("only with a step-free entrance"), default=False)
    purpose = models.CharField(
        _("purpose (words to look for in a call)"), max_length=200, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("vacancy alert")
        verbose_name_plural = _("vacancy alerts")
        indexes = [models.Index(fields=["municipality"], name="premises_alert_municipality")]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_area__isnull=True)
                | Q(max_area__isnull=True)
                | Q(max_area__gte=F("min_area")),
                name="premises_alert_area_order",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.district or self.municipality}"

    def clean(self):
        super().clean()
        if (
            self.min_area is not None
            and self.max_area is not None
            and self.max_area < self.min_area
        ):
            raise ValidationError(
                {"max_area": _("The largest area cannot be smaller than the smallest.")}
            )


# --- the tenants' annual reports ---------------------------------------------------------------


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("report status", "submitted")
        ACCEPTED = "accepted", pgettext_lazy("report status", "accepted")
        RETURNED = "returned", pgettext_lazy("report status", "returned")

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    activities = models.TextField(_("activities"), max_length=5000)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"))
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours open a week"), validators=[MaxValueValidator(168)]
    )
    events = models.PositiveIntegerField(_("events"))
    volunteers = models.PositiveIntegerField(_("volunteers"))
    in_kind_contribution = models.DecimalField(
        _("in-kind contribution (PLN)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    narrative = models.TextField(_("narrative"), max_length=10000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["lease", "year"], name="premises_report_once"),
        ]
        indexes = [models.Index(fields=["year", "status"], name="premises_report_year")]

    def __str__(self):
        return f"{self.lease} — {self.year}"

    def get_absolute_url(self):
        return reverse("premises:report-detail", kwargs={"pk": self.pk})


class AnnualReportPhoto(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=premises_photo_path)
    alt_text = models.CharField(_("description of the photo"), max_length=200)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt_text
