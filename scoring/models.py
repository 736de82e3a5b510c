"""The committee's data: a panel attached to whatever it scores for (a call, a competition), its
criteria, its members, their declarations of conflict of interest and their score sheets.

What is scored (an application, an offer, a nomination) is an "item": any model instance, held by
content type and primary key, so that this app imports none of its consumers. A member's scores
of one item are one ``Submission`` (a draft until submitted, locked after) with one ``Score`` per
criterion: points, or NULL for "not applicable", which is never counted as zero.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

POINTS_DIGITS = 6
POINTS_PLACES = 2


def points_text(value: Decimal | None) -> str:
    """Points as a reader writes them: "10", "7,5" in Polish; "" for none."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return formats.number_format(value.normalize(), use_l10n=True)


class Panel(models.Model):
    """One committee scoring the items of its owner (e.g. the applications of a call)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("scoring panel status", "Open")
        CLOSED = "closed", pgettext_lazy("scoring panel status", "Closed")

    class ResultsVisibility(models.TextChoices):
        MANAGERS = "managers", _("The chair and the managers only")
        MEMBERS = "members", _("Also each member, once they have submitted all their scores")
        PUBLIC = "public", _("Public once the panel is closed (shown by the owner's page)")

    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner kind")
    )
    owner_id = models.PositiveBigIntegerField(_("owner"))
    owner = GenericForeignKey("owner_type", "owner_id")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    results_visibility = models.CharField(
        _("who sees the results"),
        max_length=10,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.MANAGERS,
    )
    comment_required_below_half = models.BooleanField(
        _("a comment is required for a score below half of the maximum"), default=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
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
        verbose_name = _("scoring panel")
        verbose_name_plural = _("scoring panels")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_type", "owner_id"], name="scoring_one_panel_per_owner"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="scoring_panel_closed_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("scoring:panel-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Criterion(models.Model):
    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("panel")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=POINTS_DIGITS,
        decimal_places=POINTS_PLACES,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    allow_not_applicable = models.BooleanField(_('"not applicable" allowed'), default=False)
    # Criteria may be grouped into parts (grants: "merit" and "strategy alignment"), each with
    # its subtotal in the results; blank: no part. The weight multiplies the criterion's mean in
    # the total and the subtotal (1: the plain sum of the means).
    part = models.CharField(_("part"), max_length=100, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=POINTS_DIGITS,
        decimal_places=POINTS_PLACES,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="scoring_criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="scoring_criterion_max_positive"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="scoring_criterion_weight_positive"
            ),
        ]

    def __str__(self):
        return self.name


class Member(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", pgettext_lazy("committee role", "Member")

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="members", verbose_name=_("panel")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scoring_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    # art. 15 ust. 2a of the Act on public benefit: NGO representatives on a committee.
    represents_pes = models.BooleanField(_("representative of a PES"), default=False)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="scoring_member_once"),
        ]

    def __str__(self):
        return self.user.display_name

    @property
    def is_chair(self) -> bool:
        return self.role == self.Role.CHAIR


class ItemQuerySet(models.QuerySet):
    def for_item(self, item):
        return self.filter(
            item_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
            item_id=item.pk,
        )


class Declaration(models.Model):
    """A member's statement, before seeing an item, that they have (or have no) conflict of
    interest with it. It is final: a conflict excludes the member from that item for good."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="declarations", verbose_name=_("member")
    )
    item_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("item kind")
    )
    item_id = models.PositiveBigIntegerField(_("item"))
    item = GenericForeignKey("item_type", "item_id")
    conflict = models.BooleanField(_("conflict of interest"))
    note = models.TextField(_("note"), blank=True)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("declaration of conflict of interest")
        verbose_name_plural = _("declarations of conflict of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "item_type", "item_id"], name="scoring_declaration_once"
            ),
        ]
        indexes = [models.Index(fields=["item_type", "item_id"], name="scoring_decl_item")]

    def __str__(self):
        return f"{self.member} / {self.item_type_id}:{self.item_id}"


class Submission(models.Model):
    """One member's score sheet for one item: a draft the member saves as often as they like,
    then submitted, after which nothing in it changes. Only submitted sheets count."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("score sheet status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("score sheet status", "Submitted")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("member")
    )
    item_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("item kind")
    )
    item_id = models.PositiveBigIntegerField(_("item"))
    item = GenericForeignKey("item_type", "item_id")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "item_type", "item_id"], name="scoring_submission_once"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False),
                name="scoring_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["item_type", "item_id"], name="scoring_sub_item")]

    def __str__(self):
        return f"{self.member} / {self.item_type_id}:{self.item_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Score(models.Model):
    """Points for one criterion of one sheet; NULL points mean "not applicable"."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="scores", verbose_name=_("score sheet")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    points = models.DecimalField(
        _("points"),
        max_digits=POINTS_DIGITS,
        decimal_places=POINTS_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion"], name="scoring_score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="scoring_score_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"

    @property
    def not_applicable(self) -> bool:
        return self.points is None

    def clean(self):
        if self.points is not None and self.points > self.criterion.max_points:
            raise ValidationError(
                {
                    "points": _("At most %(max)s points.")
                    % {"max": points_text(self.criterion.max_points)}
                }
            )
        if self.points is None and not self.criterion.allow_not_applicable:
            raise ValidationError({"points": _('This criterion cannot be "not applicable".')})
