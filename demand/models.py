"""The demand register (baza zapotrzebowania): what the city and companies need, the
social-clause check, the PES that match, their answers, and the award."""

import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Organisation
from exchange.models import CpvCode
from pestor.models import Company, Department, Municipality
from pestor.storage import private_storage
from pestor.text import fold

from .validators import DOCUMENT_CONTENT_TYPES, document_extension, validate_document

# Public Procurement Law (2019), art. 2 ust. 1 pkt 1: the Act applies from 130 000 PLN net.
PROCUREMENT_LAW_THRESHOLD = Decimal("130000.00")


def _document_path(folder: str, filename: str) -> str:
    """A private document is stored under a name the portal chose: the uploader's name is kept
    (as the attachment's title) but never becomes a path, and the extension is one of the
    accepted formats, which validate_document matched to the content."""
    extension = document_extension(filename)
    if extension not in DOCUMENT_CONTENT_TYPES:
        extension = ".bin"
    return f"demand/{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def notice_attachment_path(instance, filename):
    return _document_path("notices", filename)


def answer_attachment_path(instance, filename):
    return _document_path("answers", filename)


def document_download_name(stem: str, field_file) -> str:
    """The name a document is downloaded under: plain letters, digits and dashes, and the
    extension of the stored (checked) format."""
    extension = document_extension(field_file.name)
    return f"{slugify(fold(stem))[:80] or 'dokument'}{extension}"


def procurement_law_applies(estimated_value: Decimal) -> bool:
    return estimated_value >= PROCUREMENT_LAW_THRESHOLD


class DemandNoticeQuerySet(models.QuerySet):
    def public(self):
        """Published notices (open or past their deadline), and awarded ones."""
        return self.filter(
            status__in=[
                DemandNotice.Status.PUBLISHED,
                DemandNotice.Status.CLOSED,
                DemandNotice.Status.AWARDED,
            ]
        )

    def open_for_answers(self, now=None):
        return self.filter(
            status=DemandNotice.Status.PUBLISHED, answers_deadline__gt=now or timezone.now()
        )

    def of_buyer(self, user):
        """The notices the user acts for: officials for their municipalities' departments,
        business buyers for their companies, administrators for everyone."""
        from pestor import roles

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if roles.is_administrator(user):
            return self.all()
        return self.filter(
            Q(department__isnull=False, municipality_id__in=roles.official_municipality_ids(user))
            | Q(company_id__in=roles.buyer_company_ids(user))
        )

    def visible_to(self, user):
        """What anyone may see (published, closed, awarded, and cancelled after publication),
        plus drafts and cancelled drafts of the user's own buyer side."""
        public = Q(
            status__in=[
                DemandNotice.Status.PUBLISHED,
                DemandNotice.Status.CLOSED,
                DemandNotice.Status.AWARDED,
            ]
        ) | Q(status=DemandNotice.Status.CANCELLED, published_at__isnull=False)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        return self.filter(public | Q(pk__in=self.model.objects.of_buyer(user).values("pk")))


class DemandNotice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        # One label per status, in the filter and on the badge; "published" alone is the name of
        # the publication date (published_at).
        PUBLISHED = "published", _("open for answers")
        CLOSED = "closed", _("closed for answers")
        AWARDED = "awarded", _("awarded")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description of the need"))
    cpv_codes = models.ManyToManyField(
        CpvCode, related_name="demand_notices", verbose_name=_("CPV codes")
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    estimated_value = models.DecimalField(
        _("estimated value net (PLN)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    estimated_value_public = models.BooleanField(
        _("show the estimated value publicly"), default=False
    )
    answers_deadline = models.DateTimeField(_("deadline for answers"))
    delivery_from = models.DateField(_("delivery from"), null=True, blank=True)
    delivery_to = models.DateField(_("delivery until"), null=True, blank=True)
    delivery_place = models.CharField(_("place of delivery"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    # Who needs it: a department of a municipality, or a company (exactly one of the two).
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="demand_notices",
        verbose_name=_("municipality"),
        help_text=_("Where the need is; PES serving this municipality are matched."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demand_notices",
        verbose_name=_("department"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demand_notices",
        verbose_name=_("company"),
    )
    # Who acted on a notice, its check, an answer or a partnership is PROTECTed: such an
    # account is anonymised (pestor.services.user_erase), never deleted.
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(
        pgettext_lazy("date field", "published"), null=True, blank=True, db_index=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("award recorded"), null=True, blank=True)
    award_date = models.DateField(_("date of award"), null=True, blank=True)
    awarded_value = models.DecimalField(
        _("awarded value net (PLN)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    search_text = models.TextField(editable=False, default="")
    # The social-clause check's art. 94 reservation, copied here by SocialClauseCheck.save() and
    # delete() for the "reserved" filter of the open notices: one partial index answers it in
    # the list's order, where a join to the checks hashed every open notice of the country to
    # count them. Who may answer is still decided by the check itself (``is_reserved``).
    reserved_for_pes = models.BooleanField(default=False, editable=False)

    objects = DemandNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("demand notice")
        verbose_name_plural = _("demand notices")
        # Each public list walks a partial index in its own order, so a page (and the capped
        # count, pestor.pagination) reads about as many rows as it shows, whatever the table holds.
        indexes = [
            # Open notices, soonest deadline first (and the periodic closing of expired ones).
            # (The buyer's columns ride along, so that the "city" or "company" filter and the
            # capped count stay index-only scans on PostgreSQL.)
            models.Index(
                fields=["answers_deadline", "id", "department", "company"],
                condition=Q(status="published"),
                name="notice_open_deadline_idx",
            ),
            # ... of one municipality.
            models.Index(
                fields=["municipality", "answers_deadline", "id"],
                condition=Q(status="published"),
                name="notice_open_municipality_idx",
            ),
            # ... reserved for PES (art. 94).
            models.Index(
                fields=["answers_deadline", "id", "department", "company"],
                condition=Q(status="published", reserved_for_pes=True),
                name="notice_open_reserved_idx",
            ),
            # Awarded results, latest award first (a backward scan).
            models.Index(
                fields=["award_date", "id", "department", "company"],
                condition=Q(status="awarded"),
                name="notice_award_date_idx",
            ),
            # ... of one municipality; also the monitoring indicators of awards.
            models.Index(
                fields=["municipality", "award_date", "id"],
                condition=Q(status="awarded"),
                name="notice_award_municipality_idx",
            ),
            # "My notices" of an official: the municipality's department notices, newest first.
            models.Index(
                fields=["municipality", "created_at", "id"],
                condition=Q(department__isnull=False),
                name="notice_city_created_idx",
            ),
            # The monitoring indicators of a municipality's published notices in a period.
            models.Index(
                fields=["municipality", "published_at"],
                condition=Q(department__isnull=False),
                name="notice_city_published_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(company__isnull=True))
                | (Q(department__isnull=True) & Q(company__isnull=False)),
                name="notice_has_one_buyer",
            ),
            models.CheckConstraint(
                condition=Q(delivery_to__isnull=True)
                | Q(delivery_from__isnull=True)
                | Q(delivery_to__gte=models.F("delivery_from")),
                name="notice_delivery_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Lower-case text without diacritics, so that search behaves the same on SQLite and
        # PostgreSQL ("lodz" finds "Łódź").
        self.search_text = notice_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("demand:notice-detail", kwargs={"pk": self.pk})

    @property
    def is_department_notice(self):
        return self.department_id is not None

    @property
    def buyer_name(self):
        return str(self.company) if self.company_id else str(self.department)

    @property
    def is_open_for_answers(self):
        return self.status == self.Status.PUBLISHED and timezone.now() < self.answers_deadline

    @property
    def is_reserved(self):
        """Reserved under art. 94 PZP: only qualifying PES may answer (see
        directory.selectors.qualifies_for_reserved_contract)."""
        check = getattr(self, "clause_check", None)
        return bool(check and check.reserved_for_pes)

    @property
    def requires_employment(self):
        """An art. 96 PZP employment requirement is a condition of the contract."""
        check = getattr(self, "clause_check", None)
        return bool(check and check.employment_requirement)

    @property
    def effective_status(self):
        """A published notice past its deadline is closed even before the periodic task runs."""
        if self.status == self.Status.PUBLISHED and timezone.now() >= self.answers_deadline:
            return self.Status.CLOSED
        return self.status

    def clean(self):
        super().clean()
        if self.delivery_from and self.delivery_to and self.delivery_to < self.delivery_from:
            raise ValidationError(
                {"delivery_to": _("The end of delivery cannot be before its start.")},
                code="delivery_period",
            )

    def get_effective_status_display(self):
        return self.Status(self.effective_status).label


def notice_search_text(notice: DemandNotice) -> str:
    return fold(" ".join(filter(None, [notice.title, notice.description, notice.delivery_place])))


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(
        DemandNotice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice")
    )
    file = models.FileField(
        _("file"),
        upload_to=notice_attachment_path,
        storage=private_storage,
        max_length=255,
        validators=[validate_document],
    )
    title = models.CharField(_("title"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    @property
    def download_name(self) -> str:
        return document_download_name(os.path.splitext(self.title)[0], self.file)


class SocialClauseCheck(models.Model):
    """The guided social-clause decision an official records before publishing a notice."""

    # Recorded in the event log when the decision is made or changed.
    LOGGED_FIELDS = (
        "estimated_value",
        "procurement_law_applies",
        "is_social_service",
        "reserved_for_pes",
        "employment_requirement",
        "no_clause_reason",
    )

    notice = models.OneToOneField(
        DemandNotice,
        on_delete=models.CASCADE,
        related_name="clause_check",
        verbose_name=_("notice"),
    )
    estimated_value = models.DecimalField(
        _("estimated value net (PLN)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    # True when the value reaches the threshold of the Public Procurement Law.
    procurement_law_applies = models.BooleanField(_("the Public Procurement Law applies"))
    is_social_service = models.BooleanField(
        _("social service that may be reserved (art. 361 PZP)"), default=False
    )
    reserved_for_pes = models.BooleanField(
        _("contract reserved for social economy entities (art. 94 PZP)"), default=False
    )
    employment_requirement = models.BooleanField(
        _("employment of excluded persons required (art. 96 PZP)"), default=False
    )
    no_clause_reason = models.TextField(_("why no social clause applies"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("social-clause check")
        verbose_name_plural = _("social-clause checks")
        # The notices reserved for PES (the "reserved" filter of the open notices): a narrow
        # list that PostgreSQL joins to the open notices without reading either table.
        indexes = [
            models.Index(
                fields=["notice"], condition=Q(reserved_for_pes=True), name="clause_reserved_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved_for_pes=True)
                | Q(employment_requirement=True)
                | Q(is_social_service=True)
                | ~Q(no_clause_reason=""),
                name="clause_check_has_clause_or_reason",
            ),
        ]

    def __str__(self):
        return str(self.notice)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._copy_reservation(self.reserved_for_pes)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._copy_reservation(False)
        return result

    def _copy_reservation(self, reserved: bool) -> None:
        """Keeps ``DemandNotice.reserved_for_pes`` (the list filter's copy) equal to the check,
        in the database and on a notice this check holds, so that saving it does not put the
        old value back."""
        DemandNotice.objects.filter(pk=self.notice_id).exclude(reserved_for_pes=reserved).update(
            reserved_for_pes=reserved
        )
        if type(self).notice.is_cached(self):
            self.notice.reserved_for_pes = reserved

    @property
    def has_clause(self):
        return self.reserved_for_pes or self.employment_requirement or self.is_social_service

    def clean(self):
        super().clean()
        if self.estimated_value is not None:
            self.procurement_law_applies = procurement_law_applies(self.estimated_value)
        if self.has_clause:
            self.no_clause_reason = ""
        elif not (self.no_clause_reason or "").strip():
            raise ValidationError(
                {
                    "no_clause_reason": _(
                        "No social clause is chosen: explain why none applies to this purchase."
                    )
                },
                code="reason_required",
            )


class NoticeMatch(models.Model):
    """A PES whose active offers fall under the notice's CPV groups in its municipality."""

    notice = models.ForeignKey(
        DemandNotice, on_delete=models.CASCADE, related_name="matches", verbose_name=_("notice")
    )
    # The notice's record of whom it reached: a matched organisation is deactivated, not deleted.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="notice_matches"
    )
    matched_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("matched organisation")
        verbose_name_plural = _("matched organisations")
        constraints = [
            models.UniqueConstraint(fields=["notice", "organisation"], name="notice_match_unique"),
        ]

    def __str__(self):
        return f"{self.notice} ↔ {self.organisation}"


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The buyer side sees every answer to its notices; a PES sees its own answers and the
        consortium answers it is a partner of; nobody else sees any."""
        from directory.models import OrganisationMembership
        from pestor import roles

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if roles.is_administrator(user):
            return self.all()
        mine = OrganisationMembership.objects.filter(user=user).values("organisation_id")
        return self.filter(
            Q(notice__in=DemandNotice.objects.of_buyer(user).values("pk"))
            | Q(organisation_id__in=mine)
            | Q(
                models.Exists(
                    ConsortiumPartner.objects.filter(
                        answer=models.OuterRef("pk"), organisation_id__in=mine
                    )
                )
            )
        )


class Answer(models.Model):
    """A PES's answer to a notice: one per organisation, editable until the deadline."""

    class Kind(models.TextChoices):
        INTEREST = "interest", _("expression of interest")
        OFFER = "offer", _("priced offer")

    # An answer is part of the buyer's record of the procedure (and of an award): neither the
    # notice nor the organisation can be deleted from under it.
    notice = models.ForeignKey(
        DemandNotice, on_delete=models.PROTECT, related_name="answers", verbose_name=_("notice")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="demand_answers",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    price_net = models.DecimalField(
        _("price net (PLN)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    terms = models.TextField(_("terms"), blank=True)
    message = models.TextField(_("message"), blank=True)
    attachment = models.FileField(
        _("attachment"),
        upload_to=answer_attachment_path,
        storage=private_storage,
        max_length=255,
        blank=True,
        validators=[validate_document],
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_awarded = models.BooleanField(_("awarded"), default=False)
    # The PES's confirmation that it will meet the notice's art. 96 PZP employment requirement.
    employment_confirmed = models.BooleanField(
        _("confirmed it will meet the employment requirement (art. 96 PZP)"), default=False
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "organisation"], name="answer_one_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(kind="interest") | Q(price_net__isnull=False),
                name="answer_offer_has_price",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.notice}"

    @property
    def attachment_download_name(self) -> str:
        return document_download_name(f"odpowiedz-{self.pk}", self.attachment)


class ConsortiumPartner(models.Model):
    """Another verified PES answering together with the lead organisation; it must confirm
    before the deadline."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="partners", verbose_name=_("answer")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consortium_partnerships",
        verbose_name=_("partner"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("consortium partner")
        verbose_name_plural = _("consortium partners")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "organisation"], name="consortium_partner_unique"
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class NoticeCorrection(models.Model):
    """A change the buyer made to a published notice, shown on the notice for everyone."""

    notice = models.ForeignKey(
        DemandNotice,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("notice"),
    )
    # {field: [before, after]}, values as the event log writes them.
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason for the correction"))
    # Subject, CPV codes or quantity changed, or the deadline shortened: the new deadline was
    # at least MATERIAL_CHANGE_MIN_DAYS ahead.
    is_material = models.BooleanField(_("material change"), default=False)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(_("corrected"), default=timezone.now)

    class Meta:
        ordering = ["corrected_at", "pk"]
        verbose_name = _("correction of a notice")
        verbose_name_plural = _("corrections of notices")

    def __str__(self):
        return f"{self.notice} ({self.corrected_at:%Y-%m-%d})"

    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field's name, value before, value after) for people to read."""
        return [
            (
                str(DemandNotice._meta.get_field(name).verbose_name),
                _readable(name, before),
                _readable(name, after),
            )
            for name, (before, after) in self.changes.items()
        ]


def _readable(name: str, value) -> str:
    from django.utils import formats
    from django.utils.dateparse import parse_date, parse_datetime

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(value)
    if name == "answers_deadline":
        return formats.date_format(
            timezone.localtime(parse_datetime(value)), "SHORT_DATETIME_FORMAT"
        )
    if name in ("delivery_from", "delivery_to"):
        return formats.date_format(parse_date(value), "SHORT_DATE_FORMAT")
    return str(value)


class NoticeQuestion(models.Model):
    """A PES's question about a notice. The buyer's answer is published on the notice for
    everyone; who asked is seen only by the buyer side and the asking PES."""

    notice = models.ForeignKey(
        DemandNotice, on_delete=models.PROTECT, related_name="questions", verbose_name=_("notice")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="notice_questions",
        verbose_name=_("asked by"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("question about a notice")
        verbose_name_plural = _("questions about notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="notice_question_answered_has_text",
            ),
        ]

    def __str__(self):
        return self.question[:80]

    @property
    def is_answered(self):
        return self.answered_at is not None
