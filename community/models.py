"""The programme's community life: events (the Social Economy Forum, trainings, study visits,
fairs, sessions of the Social Economy Laboratory, consultation meetings) with registration, a
waiting list and attendance.

The number of confirmed places is kept on the event (``seats_taken``) and changed only under the
event's row lock (``services``): the calendar shows places left without counting registrations,
and two people taking the last place at once cannot both get it.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Organisation
from pestor.models import Municipality
from pestor.storage import private_storage


class Event(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Social Economy Forum")
        TRAINING = "training", _("training")
        STUDY_VISIT = "study_visit", _("study visit")
        FAIR = "fair", _("social economy fair")
        LABORATORY = "laboratory", _("Social Economy Laboratory session")
        CONSULTATION = "consultation", _("consultation meeting")
        OTHER = "other", pgettext_lazy("event kind", "other")

    class Audience(models.TextChoices):
        PES = "pes", _("PES staff")
        OFFICIALS = "officials", _("officials")
        RESIDENTS = "residents", _("residents")
        EVERYONE = "everyone", _("everyone")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("event status", "draft")
        PUBLISHED = "published", pgettext_lazy("event status", "published")
        CANCELLED = "cancelled", pgettext_lazy("event status", "cancelled")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    # A PES that organises its own event; empty for the city's and the monitoring team's.
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organising PES"),
    )
    # The partnership (partnerships app) an organising PES that is its active member runs the
    # event for; its page lists the event. Checked by ``services`` through partnerships'
    # selectors; an event outlives a partnership deleted.
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organised by the partnership"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    programme = models.TextField(_("programme"), blank=True, max_length=20_000)
    programme_html = models.TextField(editable=False, default="")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("place"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    online_url = models.URLField(_("online link"), blank=True, max_length=500)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    registration_deadline = models.DateTimeField(_("registration until"))
    accessibility = models.TextField(_("accessibility"), blank=True, max_length=2000)
    public_task = models.CharField(
        _("public task or problem it is about"), max_length=300, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    seats_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    waiting = models.PositiveIntegerField(_("waiting"), default=0, editable=False)
    report = models.TextField(_("report"), blank=True, max_length=20_000)
    report_html = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "starts_at"], name="community_event_calendar"),
            # The whole calendar in date order (published and cancelled, no draft filter).
            models.Index(fields=["starts_at", "id"], name="community_event_starts"),
            models.Index(
                fields=["municipality", "status", "starts_at"], name="community_event_municipal"
            ),
            models.Index(fields=["kind", "status", "starts_at"], name="community_event_kind"),
            models.Index(
                fields=["audience", "status", "starts_at"], name="community_event_audience"
            ),
            models.Index(fields=["organiser", "starts_at"], name="community_event_organiser"),
            # A partnership's events (its page and the calendar's filter).
            models.Index(
                fields=["partnership", "status", "starts_at"], name="community_event_partnership"
            ),
            # The Atom feed: the latest published.
            models.Index(fields=["status", "published_at"], name="community_event_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="community_event_period"
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="community_event_no_overbooking"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:event-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if (
            self.registration_deadline
            and self.ends_at
            and self.registration_deadline > self.ends_at
        ):
            errors["registration_deadline"] = _("Registration must close before the event ends.")
        if not self.venue and not self.online_url:
            errors["venue"] = _("Give the place of the event or its online link.")
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("Give both the latitude and the longitude, or neither.")
        if self.capacity is not None and self.capacity < self.seats_taken:
            errors["capacity"] = _(
                "%(taken)d places are already taken: the capacity cannot be smaller. Cancel "
                "registrations first."
            ) % {"taken": self.seats_taken}
        if errors:
            raise ValidationError(errors)

    @property
    def has_map_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and now < self.registration_deadline


class Speaker(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    topic = models.CharField(_("topic or role"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        indexes = [models.Index(fields=["organisation"], name="community_speaker_org")]

    def __str__(self):
        return self.name


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration status", "confirmed")
        WAITING = "waiting", pgettext_lazy("registration status", "on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")

    class Affiliation(models.TextChoices):
        PES = "pes", _("social economy entity")
        ADMINISTRATION = "administration", _("public administration")
        RESIDENT = "resident", _("resident")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    # PROTECT: a registration is a record of the event (places, attendance, certificates); an
    # account that made one is anonymised rather than deleted (pestor.services.user_erase), so
    # that no place is freed behind the waiting list's back.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    name = models.CharField(_("participant"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    affiliation = models.CharField(_("sector"), max_length=20, choices=Affiliation.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("present"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="community_reg_queue"),
            models.Index(fields=["registered_by", "created_at"], name="community_reg_user"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="community_registration_once",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.event}"


def material_path(instance, filename):
    # A name the portal chose; the extension is the one the content was checked to be.
    return f"community/materials/{timezone.now():%Y}/{uuid.uuid4().hex}{instance.extension}"


class Material(models.Model):
    """A document published after the event (slides, a summary): PDF, ODT or PPTX."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="materials", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    extension = models.CharField(max_length=8, editable=False)
    file = models.FileField(
        _("file"), upload_to=material_path, storage=private_storage, max_length=255
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title


# The competence surveys live in their own module; imported here so that Django finds them.
# The award and the contest live in their own module (community.awards_models).
from .awards_models import AwardCall, Nomination, SupportLetter, Vote  # noqa: E402, F401
from .surveys_models import (  # noqa: E402, F401
    Survey,
    SurveyAnswer,
    SurveyGapTraining,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
