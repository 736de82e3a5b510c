"""The financial instrument (Warsaw's TORO): repayable finance offered to PES by partner
institutions, referrals of PES to it, the loans granted with their repayments, and the
monitoring of the ventures financed.

A lender is its own kind of institution (``Lender``), with its staff named by an administrator
(``LenderStaff``), rather than an organisation of the directory (which lists PES: a bank there
would show among the social economy entities, offer in the exchange and answer notices) or a
pestor ``Company`` (whose staff are business buyers: a bank's employees would post demand and
send inquiries). A loan fund, a bank or a municipality's fund each fit the same few columns.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import LegalForm, Organisation
from pestor.models import Municipality
from pestor.validators import validate_nip

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Lender(models.Model):
    class Kind(models.TextChoices):
        LOAN_FUND = "loan_fund", _("loan fund")
        BANK = "bank", _("bank")
        MUNICIPALITY = "municipality", _("municipal fund")
        OTHER = "other", _("other institution")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address in the portal"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    nip = models.CharField(_("NIP"), max_length=10, unique=True, validators=[validate_nip])
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lender")
        verbose_name_plural = _("lenders")

    def __str__(self):
        return self.name


class LenderStaff(models.Model):
    """Makes a user a member of a lender's staff (named by an administrator in the admin)."""

    lender = models.ForeignKey(
        Lender, on_delete=models.CASCADE, related_name="staff", verbose_name=_("lender")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lender_staff",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("lender's staff member")
        verbose_name_plural = _("lender's staff")
        constraints = [
            models.UniqueConstraint(fields=["lender", "user"], name="lender_staff_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.lender}"


class Product(models.Model):
    """A repayable finance product and who may use it."""

    class Kind(models.TextChoices):
        LOAN = "loan", _("loan")
        BRIDGING_LOAN = "bridging_loan", _("bridging loan (for a grant or an EU project)")
        GUARANTEE = "guarantee", _("guarantee")
        LEASING = "leasing", _("leasing")

    lender = models.ForeignKey(
        Lender, on_delete=models.PROTECT, related_name="products", verbose_name=_("lender")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount_min = models.DecimalField(_("smallest amount (PLN)"), **MONEY)
    amount_max = models.DecimalField(_("largest amount (PLN)"), **MONEY)
    term_months = models.PositiveSmallIntegerField(
        _("longest term (months)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    interest_rate = models.DecimalField(
        _("interest (% a year)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    collateral = models.TextField(_("collateral"), blank=True)
    # Empty: every legal form may apply.
    legal_forms = models.JSONField(_("legal forms that may apply"), default=list, blank=True)
    min_age_years = models.PositiveSmallIntegerField(
        _("minimum age of the organisation (years)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    requires_social_enterprise = models.BooleanField(
        _("only for social enterprises"), default=False
    )
    purposes = models.TextField(_("what it may finance"))
    how_to_apply = models.TextField(_("how to apply"))
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("finance product")
        verbose_name_plural = _("finance products")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__lte=F("amount_max")), name="product_amount_range"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("finance:product-detail", kwargs={"pk": self.pk})

    @property
    def legal_form_labels(self) -> list[str]:
        labels = dict(LegalForm.choices)
        return [str(labels.get(value, value)) for value in self.legal_forms]

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            errors["amount_max"] = _("The largest amount cannot be smaller than the smallest.")
        unknown = set(self.legal_forms or []) - set(LegalForm.values)
        if unknown:
            errors["legal_forms"] = _("Choose legal forms from the list.")
        if errors:
            raise ValidationError(errors)


class LoanRequest(models.Model):
    """A PES's request (referral) for a product; only the PES and the lender see it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("finance request status", "submitted")
        ACCEPTED = "accepted", _("accepted, loan being prepared")
        DECLINED = "declined", pgettext_lazy("finance request status", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("finance request status", "withdrawn")
        GRANTED = "granted", _("granted")

    class Purpose(models.TextChoices):
        NOTICE = "notice", _("a demand notice won")
        GRANT = "grant", _("a grant awarded")
        PREMISES = "premises", _("municipal premises")
        EU_PROJECT = "eu_project", _("an EU project")
        OTHER = "other", _("other")

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="requests", verbose_name=_("product")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="loan_requests",
        verbose_name=_("organisation"),
    )
    amount = models.DecimalField(_("amount requested (PLN)"), **MONEY)
    need = models.TextField(_("what is needed"))
    purpose_kind = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    purpose = models.CharField(
        _("purpose in detail"),
        max_length=300,
        help_text=_("e.g. the title of the notice won or the grant, the address of the premises"),
    )
    # The key of the demand notice won, the grant competition or the premises call the purpose
    # is about (by purpose_kind), read through those apps' selectors (partnerships.purposes).
    purpose_ref = models.PositiveIntegerField(_("what the purpose is about"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("submitted on"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("finance request")
        verbose_name_plural = _("finance requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="loan_request_decline_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="loan_request_by_org"),
            models.Index(fields=["product", "status", "created_at"], name="loan_request_queue"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.product}"

    def get_absolute_url(self):
        return reverse("finance:request-detail", kwargs={"pk": self.pk})


class Loan(models.Model):
    """The loan (or guarantee, leasing) granted on a request, and the venture it finances."""

    request = models.OneToOneField(
        LoanRequest, on_delete=models.PROTECT, related_name="loan", verbose_name=_("request")
    )
    amount = models.DecimalField(_("amount granted (PLN)"), **MONEY)
    granted_on = models.DateField(_("granted on"))
    due_on = models.DateField(_("to be repaid by"))
    schedule = models.TextField(
        _("repayment schedule"), blank=True, help_text=_("e.g. 12 monthly instalments of 2 500 zł")
    )
    # Copied from the request (the PES, the product's kind, the PES's seat), so that totals and
    # indicators read one table.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="loans", editable=False
    )
    product_kind = models.CharField(max_length=16, choices=Product.Kind.choices, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", editable=False
    )
    repaid = models.DecimalField(_("repaid (PLN)"), default=Decimal("0"), editable=False, **MONEY)
    # The monitoring of the venture financed.
    public_task = models.CharField(_("public task it served"), max_length=300, blank=True)
    jobs_created = models.PositiveIntegerField(_("jobs created for excluded persons"), default=0)
    jobs_kept = models.PositiveIntegerField(_("jobs kept for excluded persons"), default=0)
    turnover_before = models.DecimalField(
        _("turnover the year before (PLN)"), null=True, blank=True, **MONEY
    )
    turnover_after = models.DecimalField(
        _("turnover the year after (PLN)"), null=True, blank=True, **MONEY
    )

    class Meta:
        ordering = ["-granted_on", "-pk"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("granted_on")), name="loan_due_after"),
            models.CheckConstraint(condition=Q(repaid__lte=F("amount")), name="loan_repaid_within"),
        ]
        indexes = [
            models.Index(fields=["granted_on", "product_kind"], name="loan_totals"),
            models.Index(fields=["municipality", "granted_on"], name="loan_by_gmina"),
        ]

    def __str__(self):
        return f"{self.request} — {self.amount} zł"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.repaid

    def clean(self):
        super().clean()
        if self.granted_on and self.due_on and self.due_on < self.granted_on:
            raise ValidationError({"due_on": _("The loan cannot be due before it is granted.")})


class Repayment(models.Model):
    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="repayments", verbose_name=_("loan")
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount (PLN)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")

    def __str__(self):
        return f"{self.paid_on:%d.%m.%Y}: {self.amount} zł"
