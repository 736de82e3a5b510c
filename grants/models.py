"""Grants against the city's strategy: the strategy as data (strategy → areas → goals → expected
outcomes with a measure and unit), open competitions for offers (otwarty konkurs ofert) with
their scoring card, and the offers of PES with the contribution each promises to the outcomes.

The committee's scoring itself lives in the ``scoring`` app: a competition owns one panel whose
criteria are the card's merit criteria and its strategy-alignment part (see ``services``).
"""

import uuid
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

from directory.models import Organisation, PublicBenefitSphere
from pestor.jobs import BackgroundJob
from pestor.models import Municipality
from pestor.storage import private_storage

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}
POINTS = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0.01"))]}
QUANTITY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


# --- the strategy ------------------------------------------------------------------------------


class Strategy(models.Model):
    """A municipality's development strategy, e.g. "Strategia rozwoju Torunia do roku 2020"."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=300)
    first_year = models.PositiveSmallIntegerField(
        _("from the year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    last_year = models.PositiveSmallIntegerField(
        _("until the year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    resolution = models.CharField(
        _("resolution adopting it"),
        max_length=300,
        blank=True,
        help_text=_("e.g. Uchwała nr 123/2013 Rady Miasta Torunia z dnia 12 grudnia 2013 r."),
    )

    class Meta:
        ordering = ["municipality__name", "-last_year", "pk"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="grants_strategy_period"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grants:strategy-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("The period cannot end before it starts.")})


class StrategyArea(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="areas", verbose_name=_("strategy")
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("strategy area")
        verbose_name_plural = _("strategy areas")

    def __str__(self):
        return self.name


class StrategyGoal(models.Model):
    area = models.ForeignKey(
        StrategyArea, on_delete=models.CASCADE, related_name="goals", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")

    def __str__(self):
        return self.name


class StrategyOutcome(models.Model):
    """An expected outcome with the measure it is counted by ("residents taking part in cultural
    events") and its unit ("persons/year")."""

    goal = models.ForeignKey(
        StrategyGoal, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("goal")
    )
    name = models.CharField(_("name"), max_length=300)
    measure = models.CharField(_("measure"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("expected outcome")
        verbose_name_plural = _("expected outcomes")

    def __str__(self):
        return self.name


# --- open competitions -------------------------------------------------------------------------


class Competition(models.Model):
    """An open competition for offers (art. 11-16 of the Act on public benefit activity)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("competition status", "draft")
        PUBLISHED = "published", pgettext_lazy("competition status", "announced")
        DECIDED = "decided", pgettext_lazy("competition status", "results published")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("the public task"), max_length=10000)
    sphere = models.ForeignKey(
        PublicBenefitSphere,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sphere of public tasks (art. 4)"),
    )
    outcomes = models.ManyToManyField(
        StrategyOutcome,
        related_name="competitions",
        verbose_name=_("strategy outcomes served"),
        blank=True,
    )
    budget = models.DecimalField(_("budget (PLN)"), **MONEY)
    offers_from = models.DateTimeField(_("offers from"))
    offers_until = models.DateTimeField(_("offers until"))
    task_starts_on = models.DateField(_("the task starts on"))
    task_ends_on = models.DateField(_("the task ends on"))
    alignment_points = models.DecimalField(
        _("points for the contribution to the strategy"),
        help_text=_("The weight of the strategy-alignment part, shared equally by its outcomes."),
        **POINTS,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-offers_until", "-pk"]
        verbose_name = _("open competition")
        verbose_name_plural = _("open competitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(offers_until__gt=F("offers_from")), name="grants_competition_dates"
            ),
            models.CheckConstraint(
                condition=Q(task_ends_on__gte=F("task_starts_on")),
                name="grants_competition_task_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-offers_until"], name="grants_comp_status"),
            models.Index(fields=["municipality", "-offers_until"], name="grants_comp_municipality"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("grants:competition-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.offers_from and self.offers_until and self.offers_until <= self.offers_from:
            errors["offers_until"] = _("Offers must close after they open.")
        if self.task_starts_on and self.task_ends_on and self.task_ends_on < self.task_starts_on:
            errors["task_ends_on"] = _("The task cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def accepts_offers(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.offers_from <= now < self.offers_until


class FormalCriterion(models.Model):
    """A yes/no condition of the formal check (on time, eligible, complete)."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="formal_criteria"
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("formal criterion")
        verbose_name_plural = _("formal criteria")

    def __str__(self):
        return self.name


class MeritCriterion(models.Model):
    """A merit criterion of art. 15 ust. 1 with its maximum points."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="merit_criteria"
    )
    name = models.CharField(_("name"), max_length=200)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("merit criterion")
        verbose_name_plural = _("merit criteria")
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="grants_merit_unique"),
        ]

    def __str__(self):
        return self.name


# --- offers ------------------------------------------------------------------------------------


class Offer(models.Model):
    """A PES's offer in a competition. Private to the PES, the officials and (after declaring
    no conflict of interest) the committee, until the results publish its scores."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("grant offer status", "submitted")
        WITHDRAWN = "withdrawn", pgettext_lazy("grant offer status", "withdrawn")
        FUNDED = "funded", pgettext_lazy("grant offer status", "funded")
        UNFUNDED = "unfunded", pgettext_lazy("grant offer status", "not funded")

    class Formal(models.TextChoices):
        PENDING = "pending", pgettext_lazy("formal check", "not checked yet")
        SUPPLEMENT = "supplement", pgettext_lazy("formal check", "called to supplement")
        PASSED = "passed", pgettext_lazy("formal check", "passed")
        FAILED = "failed", pgettext_lazy("formal check", "failed")

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="offers", verbose_name=_("competition")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="grant_offers",
        verbose_name=_("organisation"),
    )
    task_title = models.CharField(_("title of the task"), max_length=300)
    task_description = models.TextField(_("the task"), max_length=10000)
    schedule = models.TextField(_("schedule"), max_length=5000)
    total_cost = models.DecimalField(_("total cost (PLN)"), **MONEY)
    grant_requested = models.DecimalField(_("grant requested (PLN)"), **MONEY)
    own_funds = models.DecimalField(_("own funds (PLN)"), **MONEY)
    in_kind_value = models.DecimalField(_("in-kind contribution (PLN)"), **MONEY)
    volunteer_hours = models.PositiveIntegerField(_("volunteer work (hours)"))
    volunteer_value = models.DecimalField(_("value of volunteer work (PLN)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    formal_status = models.CharField(
        _("formal check"), max_length=10, choices=Formal.choices, default=Formal.PENDING
    )
    formal_reason = models.TextField(_("why the formal check failed"), blank=True)
    # The call to supplement a formal gap: what is missing, and until when (the end of that day
    # by the server's clock) the PES may change its offer and attach files.
    supplement_note = models.TextField(_("what is to be supplemented"), blank=True)
    supplement_until = models.DateField(_("supplement by"), null=True, blank=True)
    supplemented_at = models.DateTimeField(_("supplemented"), null=True, blank=True)
    awarded_amount = models.DecimalField(_("grant awarded (PLN)"), null=True, blank=True, **MONEY)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_by_official = models.BooleanField(
        _("paper offer entered by an official"), default=False
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    # The same card after funding: what the task achieved for each outcome (OfferOutcome).
    card_submitted_at = models.DateTimeField(
        _("card after funding returned"), null=True, blank=True
    )
    card_verified_at = models.DateTimeField(_("card after funding verified"), null=True, blank=True)
    card_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("grant offer")
        verbose_name_plural = _("grant offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(grant_requested__lte=F("total_cost")),
                name="grants_offer_request_within_cost",
            ),
            models.CheckConstraint(
                condition=Q(awarded_amount__isnull=True)
                | Q(awarded_amount__lte=F("grant_requested")),
                name="grants_offer_award_within_request",
            ),
        ]
        indexes = [
            models.Index(fields=["competition", "status"], name="grants_offer_competition"),
            models.Index(fields=["organisation", "-submitted_at"], name="grants_offer_org"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.task_title}"

    def get_absolute_url(self):
        return reverse("grants:offer-detail", kwargs={"pk": self.pk})

    def supplement_open(self, now=None) -> bool:
        """Called to supplement, and the day it names has not passed (local time)."""
        return (
            self.formal_status == self.Formal.SUPPLEMENT
            and self.status == self.Status.SUBMITTED
            and self.supplement_until is not None
            and timezone.localdate(now or timezone.now()) <= self.supplement_until
        )

    def clean(self):
        super().clean()
        if (
            self.grant_requested is not None
            and self.total_cost is not None
            and self.grant_requested > self.total_cost
        ):
            raise ValidationError(
                {"grant_requested": _("The grant requested cannot exceed the total cost.")}
            )


class Contribution(models.TextChoices):
    NONE = "none", pgettext_lazy("contribution to an outcome", "none")
    INDIRECT = "indirect", pgettext_lazy("contribution to an outcome", "indirect")
    DIRECT = "direct", pgettext_lazy("contribution to an outcome", "direct")


class OfferOutcome(models.Model):
    """What an offer promises for one strategy outcome of its competition."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.ForeignKey(StrategyOutcome, on_delete=models.PROTECT, related_name="+")
    contribution = models.CharField(
        _("contribution"), max_length=10, choices=Contribution.choices, default=Contribution.NONE
    )
    promised_quantity = models.DecimalField(
        _("promised quantity"), null=True, blank=True, **QUANTITY
    )
    achieved_quantity = models.DecimalField(
        _("achieved quantity"), null=True, blank=True, **QUANTITY
    )
    evidence = models.TextField(_("evidence"), max_length=3000, blank=True)

    class Meta:
        ordering = ["outcome__order", "outcome_id"]
        verbose_name = _("promised contribution")
        verbose_name_plural = _("promised contributions")
        constraints = [
            models.UniqueConstraint(fields=["offer", "outcome"], name="grants_offer_outcome_once"),
            models.CheckConstraint(
                condition=Q(contribution="direct", promised_quantity__isnull=False)
                | ~Q(contribution="direct"),
                name="grants_direct_has_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.offer_id}: {self.outcome_id}"


def offer_document_path(instance, filename):
    # A name the portal chose; validate_pdf has checked the content is a PDF.
    return f"grants/offers/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class OfferDocument(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=offer_document_path, storage=private_storage, max_length=255
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


# --- the analysis as a PDF ---------------------------------------------------------------------


def analysis_pdf_path(instance, filename):
    return f"grants/analysis/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class AnalysisPdf(BackgroundJob):
    """The cost-benefit analysis of a competition or of a strategy area as a PDF, built in the
    background (``pestor.jobs``); one per subject, built again on request."""

    competition = models.OneToOneField(
        Competition, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    area = models.OneToOneField(
        StrategyArea, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file = models.FileField(
        _("file"), upload_to=analysis_pdf_path, storage=private_storage, blank=True, max_length=255
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    created_at = models.DateTimeField(_("ordered"), default=timezone.now)

    class Meta:
        verbose_name = _("analysis PDF")
        verbose_name_plural = _("analysis PDFs")
        constraints = [
            models.CheckConstraint(
                condition=Q(competition__isnull=False, area__isnull=True)
                | Q(competition__isnull=True, area__isnull=False),
                name="grants_analysis_pdf_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="grants_analysis_pdf_progress"
            ),
            BackgroundJob.status_constraint("grants_analysis_pdf_status"),
        ]

    def __str__(self):
        return _("Cost-benefit analysis: %(title)s") % {"title": self.competition or self.area}

    def get_absolute_url(self):
        """The analysis's page, where the PDF's state is shown (and built again)."""
        if self.competition_id:
            url = reverse("grants:competition-analysis", kwargs={"pk": self.competition_id})
        else:
            url = reverse("grants:area-analysis", kwargs={"pk": self.area_id})
        return url + "#pdf"
