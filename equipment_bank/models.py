"""The equipment bank (Bank sprzętu): owners lend equipment and rooms to PES and officials.

A resource is what people browse ("tent 3 by 6 m", "meeting room of the incubator"); its units are
what is lent (three identical tents are one resource with three units, each with an inventory
number; a room is a resource with one unit). A booking asks for units for a time; each unit it
holds is one ``BookingItem`` row carrying the time it blocks (the booking's period widened by the
resource's buffers) and whether it holds the slot. On PostgreSQL an exclusion constraint over
(unit, blocked range) of the rows that hold a slot makes double booking impossible (migration
0002); on SQLite the booking service checks the same under a write lock.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Organisation
from pestor.models import AbstractPhoto, Department, Municipality
from pestor.storage import private_storage
from pestor.text import fold

from .validators import validate_attachment

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Owner(models.Model):
    """Who lends: a municipality's department (the city's bank, the incubator) or a verified PES
    lending its own equipment. Its managers are the department's officials or the
    organisation's members."""

    department = models.OneToOneField(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment_owner",
        verbose_name=_("department"),
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment_owner",
        verbose_name=_("organisation"),
    )
    # Copied from the department or the organisation's seat: the catalogue filters by it.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name in the catalogue"), max_length=200)
    pickup_address = models.CharField(_("pick-up address"), max_length=300)
    pickup_latitude = models.DecimalField(
        _("pick-up latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    pickup_longitude = models.DecimalField(
        _("pick-up longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    pickup_hours = models.CharField(
        _("pick-up hours"), max_length=200, blank=True, help_text=_("e.g. Mon-Fri 8:00-15:00")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    lending_rules = models.TextField(_("lending rules"), blank=True)
    is_active = models.BooleanField(_("lends now"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("lending owner")
        verbose_name_plural = _("lending owners")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True, organisation__isnull=False)
                | Q(department__isnull=False, organisation__isnull=True),
                name="bank_owner_department_or_organisation",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.department_id:
            self.municipality_id = self.department.municipality_id
        elif self.organisation_id:
            self.municipality_id = self.organisation.seat_municipality_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (self.department_id is None) == (self.organisation_id is None):
            raise ValidationError(
                _("An owner is either a department or an organisation."), code="owner_kind"
            )
        if (
            self.organisation_id
            and self.organisation.status != Organisation.Status.VERIFIED
            and not self.pk
        ):
            raise ValidationError(
                {"organisation": _("Only a verified organisation can lend its equipment.")},
                code="owner_not_verified",
            )

    @property
    def is_department(self) -> bool:
        return self.department_id is not None

    @property
    def has_position(self) -> bool:
        return self.pickup_latitude is not None and self.pickup_longitude is not None


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address in the portal"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class ResourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Resource.Status.ACTIVE, owner__is_active=True)


class Resource(models.Model):
    """Equipment (a model with units) or a room, with the owner's rules for lending it."""

    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("equipment")
        ROOM = "room", _("room")

    class Status(models.TextChoices):
        ACTIVE = "active", _("in the catalogue")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Approval(models.TextChoices):
        MANUAL = "manual", _("an owner decides each request")
        AUTOMATIC = "automatic", _("approved at once when free")

    class PeriodUnit(models.TextChoices):
        DAY = "day", _("day")
        HOUR = "hour", _("hour")

    owner = models.ForeignKey(
        Owner, on_delete=models.PROTECT, related_name="resources", verbose_name=_("owner")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="resources", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # Where it is picked up, when not at the owner's pick-up point.
    pickup_address = models.CharField(
        _("pick-up address"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to use the owner's pick-up point."),
    )
    pickup_latitude = models.DecimalField(
        _("pick-up latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    pickup_longitude = models.DecimalField(
        _("pick-up longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    # Rooms
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    accessibility_notes = models.CharField(_("accessibility notes"), max_length=300, blank=True)
    equipment_inside = models.TextField(_("what is inside"), blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    # ISO weekdays it is open on, "12345" for Monday to Friday.
    open_weekdays = models.CharField(
        _("open on weekdays"), max_length=7, default="12345", blank=True
    )

    # Rules
    lend_to_pes = models.BooleanField(_("verified PES may borrow"), default=True)
    lend_to_officials = models.BooleanField(
        _("officials of other departments may borrow"), default=True
    )
    period_unit = models.CharField(
        _("booked by"), max_length=4, choices=PeriodUnit.choices, default=PeriodUnit.DAY
    )
    min_period = models.PositiveSmallIntegerField(
        _("shortest booking"), default=1, validators=[MinValueValidator(1)]
    )
    max_period = models.PositiveSmallIntegerField(
        _("longest booking"), default=7, validators=[MinValueValidator(1)]
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("bookable days ahead"), default=90, validators=[MinValueValidator(1)]
    )
    max_active_per_organisation = models.PositiveSmallIntegerField(
        _("active bookings per borrower"), default=2, validators=[MinValueValidator(1)]
    )
    approval = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, default=Approval.MANUAL
    )
    buffer_before_minutes = models.PositiveIntegerField(
        _("buffer before (minutes)"), default=0, validators=[MaxValueValidator(7 * 24 * 60)]
    )
    buffer_after_minutes = models.PositiveIntegerField(
        _("buffer after (minutes)"), default=0, validators=[MaxValueValidator(7 * 24 * 60)]
    )
    deposit = models.DecimalField(_("deposit (PLN)"), default=0, **MONEY)
    fee = models.DecimalField(_("fee per day or hour (PLN)"), default=0, **MONEY)
    reference_value = models.DecimalField(
        _("market rental value per day or hour (PLN)"),
        default=0,
        help_text=_("What renting it on the market would cost; the in-kind value is based on it."),
        **MONEY,
    )
    checklist = models.TextField(
        _("condition checklist"),
        blank=True,
        default="",
        help_text=_("What is checked at hand-over and return, one item per line."),
    )
    has_meter = models.BooleanField(_("has a meter to read"), default=False)

    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["status", "kind", "name"], name="bank_resource_catalogue"),
            # The catalogue's order (name, then key) among the resources in it: its first
            # page is read in this order and stops when full, instead of sorting them all.
            models.Index(fields=["status", "name", "id"], name="bank_resource_listing"),
            models.Index(fields=["owner", "status"], name="bank_resource_owner"),
            models.Index(fields=["category", "status"], name="bank_resource_category"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_period__gte=models.F("min_period")),
                name="bank_resource_period_order",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join(filter(None, [self.name, self.description])))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("equipment_bank:resource-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.min_period and self.max_period and self.max_period < self.min_period:
            errors["max_period"] = _("The longest booking cannot be shorter than the shortest.")
        if self.kind == self.Kind.ROOM:
            if self.period_unit != self.PeriodUnit.HOUR:
                errors["period_unit"] = _("Rooms are booked by the hour.")
            if self.opens_at is None or self.closes_at is None:
                errors["opens_at"] = _("Give the room's opening hours.")
            elif self.closes_at <= self.opens_at:
                errors["closes_at"] = _("The room must close after it opens.")
        if self.open_weekdays and not set(self.open_weekdays) <= set("1234567"):
            errors["open_weekdays"] = _("Give weekdays as digits 1 (Monday) to 7 (Sunday).")
        if errors:
            raise ValidationError(errors)

    @property
    def is_room(self) -> bool:
        return self.kind == self.Kind.ROOM

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.ACTIVE and self.owner.is_active

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    @property
    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]

    @property
    def pickup(self) -> str:
        return self.pickup_address or self.owner.pickup_address

    @property
    def position(self):
        if self.pickup_latitude is not None and self.pickup_longitude is not None:
            return self.pickup_latitude, self.pickup_longitude
        if self.owner.has_position:
            return self.owner.pickup_latitude, self.owner.pickup_longitude
        return None

    def is_open_on(self, day) -> bool:
        return not self.is_room or str(day.isoweekday()) in (self.open_weekdays or "1234567")


class ResourceUnit(models.Model):
    """One lendable piece of a resource, with its inventory number (a room has one unit)."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("available")
        IN_REPAIR = "in_repair", _("in repair")
        RETIRED = "retired", _("retired")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="units", verbose_name=_("resource")
    )
    inventory_number = models.CharField(_("inventory number"), max_length=60)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    # An electrical test, a technical inspection: past it the unit is not lent.
    inspection_due = models.DateField(_("inspection valid until"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["resource", "inventory_number", "pk"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "inventory_number"], name="bank_unit_inventory_unique"
            ),
        ]

    def __str__(self):
        return f"{self.resource} ({self.inventory_number})"

    def inspection_expired(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.inspection_due is not None and self.inspection_due < on


def bank_photo_path(instance, filename):
    # The name comes from pestor.images.reencode (random, with the real format's extension).
    return f"bank/{timezone.now():%Y}/{filename}"


class ResourcePhoto(AbstractPhoto):
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="photos", verbose_name=_("resource")
    )
    image = models.ImageField(_("photo"), upload_to=bank_photo_path)


def bank_attachment_path(instance, filename):
    # A name the portal chose; validate_attachment has checked the content is a PDF.
    return f"bank/attachments/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class ResourceAttachment(models.Model):
    """A manual, a safety sheet, the lending rules: downloaded by anyone who sees the resource."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("manual")
        SAFETY = "safety", _("safety sheet")
        RULES = "rules", _("lending rules")
        OTHER = "other", _("other")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("resource")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=bank_attachment_path,
        storage=private_storage,
        max_length=255,
        validators=[validate_attachment],
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class Kit(models.Model):
    """A named set booked in one request, all or nothing ("event set: tent, 4 tables, cable
    reel"). Its parts are resources of one owner."""

    owner = models.ForeignKey(
        Owner, on_delete=models.PROTECT, related_name="kits", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in the catalogue"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("kit")
        verbose_name_plural = _("kits")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("equipment_bank:kit-detail", kwargs={"pk": self.pk})


class KitItem(models.Model):
    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="+", verbose_name=_("resource")
    )
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("part of a kit")
        verbose_name_plural = _("parts of a kit")
        constraints = [
            models.UniqueConstraint(fields=["kit", "resource"], name="bank_kit_item_unique"),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.resource}"


class RecurringSeries(models.Model):
    """A room booked every week or every second week for a number of weeks: one booking per
    occurrence, all requested together."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        FORTNIGHTLY = "fortnightly", _("every two weeks")

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="+", verbose_name=_("resource")
    )
    frequency = models.CharField(_("repeats"), max_length=12, choices=Frequency.choices)
    occurrences = models.PositiveSmallIntegerField(_("occurrences"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")

    def __str__(self):
        return f"{self.resource} — {self.get_frequency_display()} x {self.occurrences}"


class BookingQuerySet(models.QuerySet):
    def holding(self):
        return self.filter(status__in=Booking.HOLDING)

    def active(self):
        """Bookings a borrower still has going (for the per-borrower limit)."""
        return self.filter(status__in=Booking.HOLDING)


class Booking(models.Model):
    """A borrower's request for units of one resource (or of a kit's resources) for a time."""

    class Status(models.TextChoices):
        # With a context: a booking (rezerwacja) is feminine in Polish.
        REQUESTED = "requested", pgettext_lazy("booking status", "requested")
        APPROVED = "approved", pgettext_lazy("booking status", "approved")
        REJECTED = "rejected", pgettext_lazy("booking status", "rejected")
        HANDED_OUT = "handed_out", pgettext_lazy("booking status", "handed out")
        RETURNED = "returned", pgettext_lazy("booking status", "returned")
        CLOSED = "closed", pgettext_lazy("booking status", "closed")
        CANCELLED = "cancelled", pgettext_lazy("booking status", "cancelled")
        NO_SHOW = "no_show", pgettext_lazy("booking status", "not collected")
        EXPIRED = "expired", pgettext_lazy("booking status", "expired")

    # The states in which a booking holds its units' time (a request tentatively).
    HOLDING = (Status.REQUESTED, Status.APPROVED, Status.HANDED_OUT)
    # A request nobody decides within this time expires and frees its slot.
    DECISION_TIME = timedelta(hours=48)

    owner = models.ForeignKey(
        Owner, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("owner")
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
        verbose_name=_("resource"),
    )
    kit = models.ForeignKey(
        Kit,
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
        verbose_name=_("kit"),
    )
    series = models.ForeignKey(
        RecurringSeries,
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
        verbose_name=_("recurring booking"),
    )
    # Who borrows: an organisation (PES) or a department (officials of another department).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="equipment_bookings",
        null=True,
        blank=True,
        verbose_name=_("borrowing organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="equipment_bookings",
        null=True,
        blank=True,
        verbose_name=_("borrowing department"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="equipment_bookings",
        verbose_name=_("requested by"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    purpose = models.CharField(_("purpose"), max_length=500)
    public_task = models.CharField(
        _("public task or event"),
        max_length=300,
        blank=True,
        help_text=_("The public task, grant or event the booking serves, if any."),
    )
    accepted_rules = models.BooleanField(_("accepted the owner's rules"), default=False)
    # Copied from the resource's rules when requested: later changes of the rules do not
    # change what was agreed.
    fee = models.DecimalField(_("fee (PLN)"), default=0, **MONEY)
    deposit = models.DecimalField(_("deposit (PLN)"), default=0, **MONEY)
    reference_value = models.DecimalField(_("market value (PLN)"), default=0, **MONEY)
    # Reference value minus fee, set when returned: the in-kind support it was worth.
    in_kind_value = models.DecimalField(
        _("in-kind value (PLN)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires unless decided"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note to the borrower"), blank=True, max_length=2000)
    handed_out_at = models.DateTimeField(_("handed out"), null=True, blank=True)
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handed_out_to = models.CharField(_("received by (name)"), max_length=200, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_by_name = models.CharField(_("returned by (name)"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            models.Index(fields=["owner", "status", "starts_at"], name="bank_booking_queue"),
            models.Index(fields=["organisation", "-starts_at"], name="bank_booking_org"),
            # The organisation page's in-kind section (selectors.organisation_in_kind_rows):
            # what it borrowed and returned, read from the index alone (a PES of 2 300 loans
            # read 2 600 table pages for it).
            models.Index(
                fields=["organisation", "returned_at"],
                include=["id", "owner", "in_kind_value"],
                condition=Q(status__in=["returned", "closed"], returned_at__isnull=False),
                name="bank_booking_in_kind",
            ),
            models.Index(fields=["department", "-starts_at"], name="bank_booking_dept"),
            models.Index(fields=["resource", "status"], name="bank_booking_resource"),
            models.Index(fields=["status", "expires_at"], name="bank_booking_expiry"),
            models.Index(fields=["status", "ends_at"], name="bank_booking_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="bank_booking_period_order"
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(department__isnull=True),
                name="bank_booking_one_borrower",
            ),
            models.CheckConstraint(
                condition=Q(resource__isnull=False) | Q(kit__isnull=False),
                name="bank_booking_resource_or_kit",
            ),
        ]

    def __str__(self):
        what = self.resource or self.kit
        return f"#{self.pk} {what}"

    def get_absolute_url(self):
        return reverse("equipment_bank:booking-detail", kwargs={"pk": self.pk})

    @property
    def borrower(self):
        return self.organisation or self.department

    @property
    def borrower_name(self) -> str:
        if self.organisation_id:
            return self.organisation.display_name
        if self.department_id:
            return f"{self.department.name} ({self.department.municipality})"
        return ""

    @property
    def title(self) -> str:
        return str(self.resource or self.kit)

    @property
    def holds_slot(self) -> bool:
        return self.status in self.HOLDING

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.HANDED_OUT and self.ends_at < timezone.now()

    @property
    def is_tentative(self) -> bool:
        return self.status == self.Status.REQUESTED


class BookingItem(models.Model):
    """One unit a booking holds, with the time it blocks (buffers included)."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="items", verbose_name=_("booking")
    )
    unit = models.ForeignKey(
        ResourceUnit, on_delete=models.PROTECT, related_name="booking_items", verbose_name=_("unit")
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="booking_items", verbose_name=_("resource")
    )
    blocked_from = models.DateTimeField(_("blocked from"))
    blocked_until = models.DateTimeField(_("blocked until"))
    # Copied from the booking's status by the services (the exclusion constraint reads it).
    holds_slot = models.BooleanField(_("holds the slot"), default=True)
    tentative = models.BooleanField(_("tentative"), default=True)

    class Meta:
        ordering = ["unit__inventory_number", "pk"]
        verbose_name = _("booked unit")
        verbose_name_plural = _("booked units")
        indexes = [
            models.Index(
                fields=["unit", "blocked_until", "blocked_from"],
                name="bank_item_unit_time",
                condition=Q(holds_slot=True),
            ),
            models.Index(
                fields=["resource", "blocked_until", "blocked_from"],
                name="bank_item_resource_time",
                condition=Q(holds_slot=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(blocked_until__gt=models.F("blocked_from")),
                name="bank_item_period_order",
            ),
            models.UniqueConstraint(fields=["booking", "unit"], name="bank_item_unit_once"),
        ]

    def __str__(self):
        return str(self.unit)


class ConditionReport(models.Model):
    """A unit's condition at hand-over or at return, against the resource's checklist."""

    class Stage(models.TextChoices):
        HANDOVER = "handover", _("hand-over")
        RETURN = "return", _("return")

    item = models.ForeignKey(
        BookingItem, on_delete=models.CASCADE, related_name="reports", verbose_name=_("unit")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    # "is_clean" and not "clean": a model's clean() is its validation.
    is_complete = models.BooleanField(_("complete"), default=True)
    is_clean = models.BooleanField(_("clean"), default=True)
    is_working = models.BooleanField(_("working"), default=True)
    # Items of the resource's own checklist that were not fine.
    failed_items = models.JSONField(_("checklist items not fine"), default=list, blank=True)
    meter_reading = models.DecimalField(
        _("meter reading"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    photo = models.ImageField(_("photo"), upload_to=bank_photo_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "stage"]
        verbose_name = _("condition report")
        verbose_name_plural = _("condition reports")
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="bank_condition_once"),
        ]

    def __str__(self):
        return f"{self.item} — {self.get_stage_display()}"

    def findings(self) -> set[str]:
        found = {
            name for name in ("complete", "clean", "working") if not getattr(self, f"is_{name}")
        }
        return found | {f"item:{item}" for item in self.failed_items}


class DamageCase(models.Model):
    """A difference between hand-over and return, attributed to the booking, the borrower, the
    person who borrowed and the date. The unit is not lent while its case is open."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLEARED = "cleared", _("cleared")

    unit = models.ForeignKey(
        ResourceUnit, on_delete=models.PROTECT, related_name="damage_cases", verbose_name=_("unit")
    )
    booking = models.ForeignKey(
        Booking,
        on_delete=models.PROTECT,
        related_name="damage_cases",
        null=True,
        blank=True,
        verbose_name=_("booking"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="equipment_damage_cases",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("borrowed by"),
    )
    description = models.TextField(_("what differs"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("damage case")
        verbose_name_plural = _("damage cases")
        indexes = [models.Index(fields=["unit", "status"], name="bank_damage_unit")]

    def __str__(self):
        return f"{self.unit} — {self.opened_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("equipment_bank:damage-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of an organisation's bookings as an iCalendar feed; revoked by
    making a new one."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.organisation} ({self.created_at:%Y-%m-%d})"
