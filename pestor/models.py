"""Shared things: users, municipalities and their departments, role memberships, the event log."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_nip, validate_regon


class UserManager(DjangoUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


# How records read where a person's account was deleted (RODO art. 17).
DELETED_ACCOUNT = _("deleted account")


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # Set when the account is erased but its row stays behind its history (messages, answers,
    # decisions): the personal data is gone and the records read "deleted account".
    anonymised_at = models.DateTimeField(
        _("account deleted"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.anonymised_at:
            return str(DELETED_ACCOUNT)
        return self.get_full_name() or self.email


class Voivodeship(models.TextChoices):
    DOLNOSLASKIE = "02", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "04", "kujawsko-pomorskie"
    LUBELSKIE = "06", "lubelskie"
    LUBUSKIE = "08", "lubuskie"
    LODZKIE = "10", "łódzkie"
    MALOPOLSKIE = "12", "małopolskie"
    MAZOWIECKIE = "14", "mazowieckie"
    OPOLSKIE = "16", "opolskie"
    PODKARPACKIE = "18", "podkarpackie"
    PODLASKIE = "20", "podlaskie"
    POMORSKIE = "22", "pomorskie"
    SLASKIE = "24", "śląskie"
    SWIETOKRZYSKIE = "26", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "28", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "30", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "32", "zachodniopomorskie"


teryt_validator = RegexValidator(
    r"^\d{7}$", _("The TERYT code of a municipality has 7 digits (TERC, with the type digit).")
)


class Municipality(models.Model):
    """A gmina served by this installation (one installation may serve a subregion)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address in the portal"), max_length=120, unique=True)
    teryt = models.CharField(
        _("TERYT code"), max_length=7, unique=True, validators=[teryt_validator]
    )
    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Identifies the municipality as a buyer in open data (OCDS parties); TERYT where missing.
    regon = models.CharField(
        _("REGON of the municipality"),
        max_length=14,
        blank=True,
        validators=[validate_regon],
        help_text=_("9 or 14 digits; the buyer's identifier in the open data of purchases."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voivodeship__in=Voivodeship.values),
                name="municipality_voivodeship_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.teryt and self.voivodeship and not self.teryt.startswith(self.voivodeship):
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {
                    "teryt": _(
                        "The first two digits of the TERYT code must be the voivodeship's code."
                    )
                }
            )


class Department(models.Model):
    """A department (wydział) of a municipality's office; every official works in one."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="departments",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("symbol"), max_length=20, blank=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="department_name_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.municipality})"


class OfficialMembership(models.Model):
    """Makes a user an official of a department, and so of its municipality.

    Officials are never self-registered: an administrator creates this row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="official_memberships",
        verbose_name=_("user"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="officials", verbose_name=_("department")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department"], name="official_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.department}"


class MonitoringTeamMembership(models.Model):
    """A seat on a municipality's cooperation programme monitoring team."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="monitoring_memberships",
        verbose_name=_("user"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="monitoring_team",
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring team member")
        verbose_name_plural = _("monitoring team members")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="monitoring_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.municipality}"


class Company(models.Model):
    """A private company whose staff buy from PES (three-sector partnership, CSR purchasing)."""

    name = models.CharField(_("name"), max_length=255)
    nip = models.CharField(_("NIP"), max_length=10, unique=True, validators=[validate_nip])
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="companies",
        verbose_name=_("municipality"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name


class BusinessBuyerMembership(models.Model):
    """Makes a user a business buyer acting for a company."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="buyer_memberships",
        verbose_name=_("user"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="buyers", verbose_name=_("company")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("business buyer")
        verbose_name_plural = _("business buyers")
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="buyer_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.company}"


class LocalAdministratorMembership(models.Model):
    """Makes a user a local administrator of a municipality: they invite its officials and its
    monitoring team and decide on requests for the business-buyer role. Granted only by the
    installation's administrator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="local_admin_memberships",
        verbose_name=_("user"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="local_administrators",
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("local administrator")
        verbose_name_plural = _("local administrators")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="local_admin_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.municipality}"


def _new_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation sent by e-mail with a secret token: valid for VALID_DAYS, accepted once, by
    a signed-in user with the invited address. The organisation's invitation of an editor
    (directory) and the municipality's invitation of its staff share it."""

    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    # The inviting body's own business: either person may go, the invitation stays.
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
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_expired(self):
        return timezone.now() > self.created_at + timedelta(days=self.VALID_DAYS)

    @property
    def is_open(self):
        return self.accepted_at is None and not self.is_expired


class StaffInvitation(Invitation):
    """A local administrator's invitation, by e-mail, into a department (as an official) or
    into the monitoring team; accepted once, by a signed-in user with the invited address."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official")
        MONITORING = "monitoring", _("monitoring team member")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="staff_invitations",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("role"), max_length=12, choices=Kind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("department"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta(Invitation.Meta):
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="official", department__isnull=False)
                    | models.Q(kind="monitoring", department__isnull=True)
                ),
                name="staff_invitation_department_for_officials",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.municipality} ({self.get_kind_display()})"


class BuyerRoleRequest(models.Model):
    """A user's request to buy for a company (the business-buyer role), decided by a local
    administrator of the municipality the company names, or by the installation's admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting a decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    # The request is the person's own: it goes with the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="buyer_requests",
        verbose_name=_("user"),
    )
    company_name = models.CharField(_("company name"), max_length=255)
    nip = models.CharField(_("NIP"), max_length=10, validators=[validate_nip])
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="buyer_requests",
        verbose_name=_("municipality of the company's seat"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Who granted or refused a role is part of the record, as other decisions are: such an
    # account is anonymised, never deleted (pestor.services.user_erase).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason for refusal"), max_length=2000, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request for the business-buyer role")
        verbose_name_plural = _("requests for the business-buyer role")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "nip"],
                condition=models.Q(status="pending"),
                name="buyer_request_one_pending_per_company",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(reason=""),
                name="buyer_request_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.company_name} ({self.nip})"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("The event log is append-only.")

    def delete(self):
        raise ValueError("The event log is append-only.")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
        )


class AuditEvent(models.Model):
    """One append-only row per change that matters to public money or to a PES's standing.

    Written only by services (through ``pestor.audit.record``); never updated or deleted.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # A row is never touched again, not even when its user goes (Django carries out SET_NULL
    # with an UPDATE): the id stays, without a database constraint, and pages show actor_repr,
    # the name as it was when the event happened.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_repr = models.CharField(_("who (as named then)"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("kind"))
    object_id = models.CharField(_("object"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object name"), max_length=255)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("event log entry")
        verbose_name_plural = _("event log")
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("The event log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The event log is append-only.")

    @property
    def changed_fields(self):
        """(field, before, after) for every key that differs, in a stable order."""
        keys = sorted(set(self.before) | set(self.after))
        return [
            (key, self.before.get(key), self.after.get(key))
            for key in keys
            if self.before.get(key) != self.after.get(key)
        ]


class SentEmail(models.Model):
    """The outbox's memory: one row per e-mail sent for an event, under the event's key, so that
    a task run twice (a message delivered again) sends nothing twice."""

    key_digest = models.CharField(_("key (SHA-256)"), max_length=64, unique=True)
    key = models.TextField(_("key"))
    recipient = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return f"{self.recipient}: {self.subject}"


class AbstractPhoto(models.Model):
    """A photo of something shown on a public page (an offer, a bank resource, a premises): its
    description for people who cannot see it and its place in the gallery. The concrete model
    adds the link to what it shows and the image field with its own upload path; the file
    itself is checked and re-encoded by ``pestor.images``."""

    alt_text = models.CharField(
        _("description of the photo"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt_text
