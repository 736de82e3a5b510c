"""The cooperation programme (art. 5a of the Act on public benefit activity) and its monitoring:
goals, actions, indicators with their measurements, and the reports built from them."""

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

from pestor.jobs import BackgroundJob
from pestor.models import Department, Municipality
from pestor.storage import private_storage

year_validators = [MinValueValidator(2000), MaxValueValidator(2100)]
# Between the ends of a range of dates or years (Polish typography).
DASH = "\N{EN DASH}"


class CooperationProgrammeQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=CooperationProgramme.Status.ADOPTED)

    def covering(self, year: int):
        return self.filter(year_from__lte=year, year_to__gte=year)


class CooperationProgramme(models.Model):
    """A municipality's programme of cooperation with NGOs and PES, adopted by the council."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("one-year")
        MULTI_YEAR = "multi_year", _("multi-year")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted by the council")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="cooperation_programmes",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ANNUAL)
    year_from = models.PositiveSmallIntegerField(_("first year"), validators=year_validators)
    year_to = models.PositiveSmallIntegerField(_("last year"), validators=year_validators)
    resolution_number = models.CharField(
        _("number of the council's resolution"),
        max_length=100,
        blank=True,
        help_text=_("For example: XXI/345/2025."),
    )
    resolution_date = models.DateField(_("date of the resolution"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The strategic part (art. 5a ust. 4).
    diagnosis = models.TextField(_("diagnosis"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    main_goal = models.TextField(_("main goal"), blank=True)
    # The other elements art. 5a ust. 4 requires of the programme (with the legal basis and
    # the coherence with the municipality's strategy documents that resolutions open with).
    legal_basis = models.TextField(
        _("legal basis"),
        blank=True,
        help_text=_(
            "For example: art. 5a ust. 1 of the Act of 24 April 2003 on public benefit activity "
            "and volunteering, art. 18 ust. 2 pkt 15 of the Act on municipal self-government."
        ),
    )
    strategy_coherence = models.TextField(
        _("coherence with strategy documents"),
        blank=True,
        help_text=_(
            "Which strategies and programmes of the municipality this programme serves, and how."
        ),
    )
    evaluation_method = models.TextField(
        _("how the programme is evaluated"),
        blank=True,
        help_text=_("art. 5a ust. 4 pkt 9: the measures and who assesses them, and when."),
    )
    preparation_and_consultation = models.TextField(
        _("how the programme was made and consulted"),
        blank=True,
        help_text=_("art. 5a ust. 4 pkt 10: who prepared it and how the consultations went."),
    )
    competition_committees = models.TextField(
        _("how competition committees work"),
        blank=True,
        help_text=_(
            "art. 5a ust. 4 pkt 11: how the committees that assess offers in open competitions "
            "are appointed and how they work."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CooperationProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "-year_from", "pk"]
        verbose_name = _("cooperation programme")
        verbose_name_plural = _("cooperation programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=F("year_from")), name="programme_years_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(kind="annual") | Q(year_to=F("year_from")),
                name="programme_annual_is_one_year",
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted")
                | (~Q(resolution_number="") & Q(resolution_date__isnull=False)),
                name="programme_adopted_has_resolution",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("monitoring:programme-detail", kwargs={"pk": self.pk})

    # The order in which the page, the public dashboard and the report show them.
    STATUTORY_ELEMENTS = (
        "legal_basis",
        "strategy_coherence",
        "evaluation_method",
        "preparation_and_consultation",
        "competition_committees",
    )

    @property
    def statutory_elements(self) -> list[tuple[str, str]]:
        """(label, text) of every element of art. 5a ust. 4 beyond goals, actions and funds."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.STATUTORY_ELEMENTS
        ]

    @property
    def has_statutory_elements(self) -> bool:
        return any(getattr(self, name) for name in self.STATUTORY_ELEMENTS)

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def is_adopted(self):
        return self.status == self.Status.ADOPTED

    def covers(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to

    def clean(self):
        super().clean()
        errors = {}
        if self.year_from and self.year_to:
            if self.year_to < self.year_from:
                errors["year_to"] = _("The last year cannot come before the first year.")
            elif self.kind == self.Kind.ANNUAL and self.year_to != self.year_from:
                errors["year_to"] = _("A one-year programme starts and ends in the same year.")
            elif self.kind == self.Kind.MULTI_YEAR and self.year_to == self.year_from:
                errors["year_to"] = _("A multi-year programme covers at least two years.")
        if self.status == self.Status.ADOPTED:
            if not self.resolution_number:
                errors["resolution_number"] = _(
                    "An adopted programme needs the number of the council's resolution."
                )
            if not self.resolution_date:
                errors["resolution_date"] = _(
                    "An adopted programme needs the date of the council's resolution."
                )
        if self.resolution_date and self.resolution_date > timezone.localdate():
            errors["resolution_date"] = _("This date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class Goal(models.Model):
    """A specific goal (cel szczegółowy) of the programme, in the order of the resolution."""

    programme = models.ForeignKey(
        CooperationProgramme,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("programme"),
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("specific goal")
        verbose_name_plural = _("specific goals")

    def __str__(self):
        return f"{self.position}. {self.title}"


class ProgrammeFunds(models.Model):
    """Funds planned for carrying out the programme in one year (art. 5a ust. 4 pkt 8)."""

    programme = models.ForeignKey(
        CooperationProgramme,
        on_delete=models.CASCADE,
        related_name="funds",
        verbose_name=_("programme"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    amount = models.DecimalField(
        _("planned funds (PLN)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["programme", "year"]
        verbose_name = _("planned funds")
        verbose_name_plural = _("planned funds")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="programme_funds_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programme_funds_not_negative"),
        ]

    def __str__(self):
        return f"{self.programme} — {self.year}: {self.amount}"


class Action(models.Model):
    """The operational part: one thing done towards a goal, by a department, with partners."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        ABANDONED = "abandoned", _("abandoned")

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("goal")
    )
    title = models.CharField(_("what is done"), max_length=300)
    rationale = models.TextField(_("why"), blank=True)
    novelty = models.TextField(_("what is new about it"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_actions",
        verbose_name=_("responsible department"),
    )
    partners = models.TextField(_("partners"), blank=True)
    schedule = models.CharField(
        _("schedule"),
        max_length=300,
        blank=True,
        help_text=_("For example: from April to December."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["goal__position", "goal_id", "pk"]
        verbose_name = pgettext_lazy("cooperation programme", "action")
        verbose_name_plural = pgettext_lazy("cooperation programme", "actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="action_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end cannot come before the start.")
        if (
            self.department_id
            and self.goal_id
            and self.department.municipality_id != self.goal.programme.municipality_id
        ):
            errors["department"] = _("Choose a department of the programme's municipality.")
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    """How progress towards a goal or of an action is measured: by hand, or from the portal."""

    MANUAL = "manual"

    programme = models.ForeignKey(
        CooperationProgramme,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("programme"),
        editable=False,
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("goal"),
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=pgettext_lazy("cooperation programme", "action"),
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: PLN, %, people."))
    baseline = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(
        _("year of the target"),
        null=True,
        blank=True,
        validators=year_validators,
        help_text=_("Leave empty if the target is for the whole programme."),
    )
    # "manual", or the key of a computed indicator (monitoring.computed.COMPUTED_INDICATORS).
    source = models.CharField(_("source of the value"), max_length=64, default=MANUAL)

    class Meta:
        ordering = ["programme", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=(Q(goal__isnull=False) & Q(action__isnull=True))
                | (Q(goal__isnull=True) & Q(action__isnull=False)),
                name="indicator_of_goal_or_action",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.programme_id is None:
            self.programme_id = self.owner_programme_id()
        super().save(*args, **kwargs)

    @property
    def is_manual(self):
        return self.source == self.MANUAL

    def owner_programme_id(self):
        if self.goal_id:
            return self.goal.programme_id
        if self.action_id:
            return self.action.goal.programme_id
        return None

    def clean(self):
        from .computed import COMPUTED_INDICATORS

        super().clean()
        errors = {}
        if bool(self.goal_id) == bool(self.action_id):
            errors["goal"] = _("Attach the indicator to one goal or to one action.")
        if self.source != self.MANUAL and self.source not in COMPUTED_INDICATORS:
            errors["source"] = _("Choose how the value is obtained.")
        programme = self.owner_programme_id()
        if programme and self.programme_id and programme != self.programme_id:
            errors["goal"] = _("Choose a goal or an action of this programme.")
        if errors:
            raise ValidationError(errors)


class Measurement(models.Model):
    """A value of a manual indicator for a period, entered by a team member."""

    # Measurements are the monitoring record: an indicator with values is not deleted.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    # The people behind monitoring records are PROTECTed: such an account is anonymised
    # (pestor.services.user_erase), never deleted.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        ordering = ["indicator", "-period_end", "-pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="measurement_period_ordered"
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                name="measurement_one_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.period_start}{DASH}{self.period_end})"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end cannot come before the start.")})


def report_file_name(report_id: int) -> str:
    """One file per report: a second rendering replaces it rather than adding another."""
    return f"monitoring/reports/report-{report_id}.pdf"


def _report_upload_to(instance, filename):
    return report_file_name(instance.pk)


class Report(BackgroundJob):
    """A PDF report on the programme's implementation, built in the background."""

    class Kind(models.TextChoices):
        # art. 5a ust. 3: submitted to the council and published in the BIP by 31 May.
        STATUTORY = "statutory", _("annual report to the council")
        PROGRESS = "progress", _("progress report")

    programme = models.ForeignKey(
        CooperationProgramme,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_report_upload_to, blank=True
    )
    # The figures as they were when the report was built, so that it can be explained later.
    snapshot = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    # Empty for the reports the scheduler orders; a person is never turned into the scheduler.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    created_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # art. 5a ust. 3: the annual report is made public by 31 May. A published report is listed
    # on the municipality's public page and downloadable by anyone; it is not rebuilt while
    # published, so what the public downloaded stays what the team published.
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max"),
            BackgroundJob.status_constraint("report_status_valid"),
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end"],
                condition=Q(kind="statutory"),
                name="report_one_statutory_per_year",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="done"),
                name="report_published_is_done",
            ),
        ]
        indexes = [
            models.Index(
                fields=["published_at"],
                condition=Q(published_at__isnull=False),
                name="report_published",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_label} — {self.programme}"

    def get_absolute_url(self):
        return reverse("monitoring:report-detail", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def is_statutory(self):
        return self.kind == self.Kind.STATUTORY

    @property
    def year(self) -> int:
        return self.period_start.year

    @property
    def period_label(self) -> str:
        year = self.year
        if self.period_start == date(year, 1, 1) and self.period_end == date(year, 12, 31):
            return str(year)
        return f"{self.period_start:%d.%m.%Y}{DASH}{self.period_end:%d.%m.%Y}"

    @property
    def statutory_deadline(self) -> date | None:
        """art. 5a ust. 3: 31 May of the year after the one reported on."""
        return date(self.year + 1, 5, 31) if self.is_statutory else None

    @property
    def download_name(self) -> str:
        return f"raport-{self.programme.municipality.slug}-{self.period_label}-{self.pk}.pdf"

    def clean(self):
        super().clean()
        errors = {}
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                errors["period_end"] = _("The end cannot come before the start.")
            elif self.programme_id and not (
                self.programme.covers(self.period_start.year)
                and self.programme.covers(self.period_end.year)
            ):
                errors["period_start"] = _(
                    "The period must fall within the years of the programme (%(years)s)."
                ) % {"years": f"{self.programme.year_from}{DASH}{self.programme.year_to}"}
            elif self.kind == self.Kind.STATUTORY and (
                self.period_start != date(self.period_start.year, 1, 1)
                or self.period_end != date(self.period_start.year, 12, 31)
            ):
                errors["period_start"] = _("The annual report covers one whole calendar year.")
        if errors:
            raise ValidationError(errors)


class ReportComment(models.Model):
    """The monitoring team's remarks printed in a report: on one goal, or on the whole."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="comments", verbose_name=_("report")
    )
    # A remark printed in a report outlives edits of the programme: its goal stays.
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_comments",
        verbose_name=_("goal"),
        help_text=_("Leave empty for a remark on the programme as a whole."),
    )
    body = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment of the team")
        verbose_name_plural = _("comments of the team")

    def __str__(self):
        return self.body[:60]

    def clean(self):
        super().clean()
        if self.goal_id and self.report_id and self.goal.programme_id != self.report.programme_id:
            raise ValidationError({"goal": _("Choose a goal of the report's programme.")})


class IndicatorSnapshot(models.Model):
    """A computed indicator's value for one municipality and period, as taken at ``taken_at``.

    The portal's indicators are computed over large tables; pages, exports and reports read these
    snapshots instead, taken by celery beat (``tasks.refresh_indicator_snapshots``), by the team
    ("compute now", ``SnapshotRefresh``) or by the report that needs them."""

    # A key of monitoring.computed.COMPUTED_INDICATORS.
    key = models.CharField(_("indicator"), max_length=64)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    # Empty when the app that computes the indicator is not installed.
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True, blank=True)
    taken_at = models.DateTimeField(_("taken"))
    # How long the computation took (seconds): which indicators are slow, for the administrator.
    duration = models.FloatField(_("computed in (s)"), default=0)

    class Meta:
        ordering = ["municipality", "-period_end", "key"]
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period_start", "period_end", "key"],
                name="indicator_snapshot_one_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="indicator_snapshot_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.key} {self.period_start}{DASH}{self.period_end}: {self.value}"


class SnapshotRefresh(BackgroundJob):
    """The team's "compute now": the computed indicators of one municipality and period, taken
    again in the background (pestor.jobs), with its progress on the programme's page."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    created_at = models.DateTimeField(_("ordered"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("computation of indicators")
        verbose_name_plural = _("computations of indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="snapshot_refresh_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="snapshot_refresh_progress_max"
            ),
            BackgroundJob.status_constraint("snapshot_refresh_status_valid"),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "period_start", "period_end", "-created_at"],
                name="snapshot_refresh_period",
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.period_start:%d.%m.%Y}{DASH}{self.period_end:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("monitoring:team")
