"""Partnerships and clusters (the Płock subregion's "socially responsible territory"): their
members, themes, territory, charter and meetings.

A partnership's coordinator is an organisation of the directory (its members act for it) or a
municipality (its officials act). A member is an organisation, a municipality, a department of
a municipality's office or a company (pestor's Company, whose staff are business buyers); it
joins on an invitation of the coordinator accepted by the member's people, or on a request of
the member's people accepted by the coordinator.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from pestor.models import Company, Department, Municipality
from pestor.storage import private_storage

from ..validators import validate_charter


class Theme(models.Model):
    """A field a partnership works in (the cluster's four: education, communal services,
    social services, tourism; seeded by migration 0002)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("address in the portal"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class Partnership(models.Model):
    class Kind(models.TextChoices):
        THREE_SECTOR = "three_sector", _("three-sector partnership")
        CLUSTER = "cluster", _("cluster")
        LOCAL = "local", _("local partnership")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address in the portal"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    results = models.TextField(
        _("results"), blank=True, help_text=_("What the partnership has achieved; public.")
    )
    themes = models.ManyToManyField(
        Theme, related_name="partnerships", verbose_name=_("themes"), blank=True
    )
    territory = models.ManyToManyField(
        Municipality, related_name="partnerships", verbose_name=_("territory")
    )
    coordinator_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_partnerships",
        verbose_name=_("coordinating organisation"),
    )
    coordinator_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_partnerships",
        verbose_name=_("coordinating municipality"),
    )
    charter = models.FileField(
        _("charter (PDF)"),
        upload_to="partnerships/charters/",
        storage=private_storage,
        blank=True,
        validators=[validate_charter],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(coordinator_organisation__isnull=False, coordinator_municipality__isnull=True)
                    | Q(
                        coordinator_organisation__isnull=True,
                        coordinator_municipality__isnull=False,
                    )
                ),
                name="partnership_one_coordinator",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["three_sector", "cluster", "local"]),
                name="partnership_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name", "id"], name="partnership_kind_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:partnership-detail", kwargs={"slug": self.slug})

    @property
    def coordinator_name(self) -> str:
        if self.coordinator_organisation_id:
            return self.coordinator_organisation.name
        return str(self.coordinator_municipality)


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=PartnershipMember.Status.ACTIVE)

    def open(self):
        """Members and the invitations and requests still waiting for an answer."""
        return self.filter(status__in=PartnershipMember.OPEN_STATUSES)


class PartnershipMember(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation from the directory")
        MUNICIPALITY = "municipality", _("municipality")
        DEPARTMENT = "department", _("department of a municipality")
        COMPANY = "company", _("company")

    class Status(models.TextChoices):
        INVITED = "invited", _("invited by the coordinator")
        REQUESTED = "requested", _("asked to join")
        ACTIVE = "active", _("member")
        DECLINED = "declined", _("declined")
        LEFT = "left", _("left")

    class Role(models.TextChoices):
        PARTNER = "partner", _("partner")
        LEADER = "leader", _("leading partner")
        SUPPORTING = "supporting", _("supporting partner")
        OBSERVER = "observer", _("observer")

    OPEN_STATUSES = ("invited", "requested", "active")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="members", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind of member"), max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_memberships",
        verbose_name=_("organisation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_memberships",
        verbose_name=_("municipality"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_memberships",
        verbose_name=_("department"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_memberships",
        verbose_name=_("company"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)
    themes = models.ManyToManyField(
        Theme, related_name="members", verbose_name=_("themes"), blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "kind", "pk"]
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="organisation",
                        organisation__isnull=False,
                        municipality__isnull=True,
                        department__isnull=True,
                        company__isnull=True,
                    )
                    | Q(
                        kind="municipality",
                        organisation__isnull=True,
                        municipality__isnull=False,
                        department__isnull=True,
                        company__isnull=True,
                    )
                    | Q(
                        kind="department",
                        organisation__isnull=True,
                        municipality__isnull=True,
                        department__isnull=False,
                        company__isnull=True,
                    )
                    | Q(
                        kind="company",
                        organisation__isnull=True,
                        municipality__isnull=True,
                        department__isnull=True,
                        company__isnull=False,
                    )
                ),
                name="partnership_member_one_kind",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="partnership_member_leaves_after_joining",
            ),
            *(
                models.UniqueConstraint(
                    fields=["partnership", field],
                    condition=Q(status__in=["invited", "requested", "active"]),
                    name=f"partnership_member_{field}_once",
                    violation_error_message=_("This member is already in the partnership."),
                )
                for field in ("organisation", "municipality", "department", "company")
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "status", "kind"], name="partnership_member_list"),
            models.Index(
                fields=["organisation", "partnership"],
                condition=Q(status="active"),
                name="partnership_member_by_org",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} — {self.partnership}"

    @property
    def target(self):
        return {
            self.Kind.ORGANISATION: self.organisation,
            self.Kind.MUNICIPALITY: self.municipality,
            self.Kind.DEPARTMENT: self.department,
            self.Kind.COMPANY: self.company,
        }.get(self.kind)

    @property
    def display_name(self) -> str:
        target = self.target
        if self.kind == self.Kind.ORGANISATION and target is not None:
            return target.name
        return str(target) if target is not None else ""

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    def clean(self):
        super().clean()
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError(
                {"left_on": _("A member cannot leave before it joined.")}, code="left_before"
            )


class Meeting(models.Model):
    """A meeting of the partnership with its minutes and decisions (the Laboratory's "space
    for reflection"): its members see it; the public once the coordinator publishes it."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("partnership"),
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Published meetings are shown to everyone.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["partnership", "is_published", "held_on"])]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("partnerships:meeting-detail", kwargs={"pk": self.pk})
