"""The President's award and the best product or service contest.

A call (``AwardCall``) is one year's round of one category of the award, or of the contest for
the best product or service of the exchange. Anyone signed in nominates: an organisation of the
directory or a person (the award), an offer of the exchange (the contest). After the deadline a
jury scores the nominations through ``scoring`` (the call owns one panel); the mean decides, and
the official publishes the laureates (``place``) with the jury's total, which every nominator is
told by e-mail. A contest may also hold a public vote, one per verified account, counted on the
nomination (``votes``, changed only under the nomination's row lock) and shown apart from the
jury's score.
"""

import uuid

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
from pestor.models import Municipality
from pestor.storage import private_storage

AWARD_CATEGORY = "Przedsiębiorczość i ekonomia społeczna"


class AwardCall(models.Model):
    class Kind(models.TextChoices):
        AWARD = "award", _("President's award")
        CONTEST = "contest", _("best product or service contest")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    category = models.CharField(_("category"), max_length=200)
    description = models.TextField(_("rules and description"), blank=True, max_length=10_000)
    nominations_until = models.DateTimeField(_("nominations until"))
    laureate_places = models.PositiveSmallIntegerField(
        _("laureates"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many of the best-scored nominations become laureates."),
    )
    public_vote = models.BooleanField(_("public vote"), default=False)
    votes_until = models.DateTimeField(_("votes until"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    results_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("results published by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "kind", "category", "pk"]
        verbose_name = _("award or contest call")
        verbose_name_plural = _("award and contest calls")
        indexes = [models.Index(fields=["-year", "kind"], name="community_awardcall_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "year", "category"],
                name="community_awardcall_once_a_year",
            ),
            models.CheckConstraint(
                condition=Q(public_vote=False) | Q(kind="contest", votes_until__isnull=False),
                name="community_awardcall_vote_in_contest",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}: {self.category}"

    def get_absolute_url(self):
        return reverse("community:award-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.public_vote and self.kind != self.Kind.CONTEST:
            errors["public_vote"] = _("Only a contest of products and services has a public vote.")
        if self.public_vote and not self.votes_until:
            errors["votes_until"] = _("Say until when the public may vote.")
        if self.votes_until and not self.public_vote:
            errors["votes_until"] = _("Leave this empty when there is no public vote.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_contest(self) -> bool:
        return self.kind == self.Kind.CONTEST

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    def accepts_nominations(self, now=None) -> bool:
        return not self.results_published and (now or timezone.now()) < self.nominations_until

    def voting_open(self, now=None) -> bool:
        return (
            self.public_vote
            and not self.results_published
            and self.votes_until is not None
            and (now or timezone.now()) < self.votes_until
        )


class Nomination(models.Model):
    """One nominator's proposal: an organisation of the directory or a named person (the
    award), or an offer of the exchange (the contest; ``organisation`` is the offer's, kept for
    the organisation's page)."""

    call = models.ForeignKey(
        AwardCall, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("call")
    )
    # PROTECT: a nomination is part of the award's record; an account is anonymised instead.
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    on_behalf_of = models.CharField(
        _("on behalf of (institution or organisation)"), max_length=200, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    offer = models.ForeignKey(
        "exchange.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product or service"),
    )
    justification = models.TextField(_("justification"), max_length=5000)
    created_at = models.DateTimeField(_("nominated"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    votes = models.PositiveIntegerField(_("public votes"), default=0, editable=False)
    # Written when the results are published: the jury's total and, for laureates, the place.
    jury_total = models.DecimalField(
        _("jury's score"), max_digits=8, decimal_places=2, null=True, blank=True, editable=False
    )
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [
            models.Index(fields=["nominator", "created_at"], name="community_nomination_user"),
            models.Index(fields=["call", "place"], name="community_nomination_place"),
            models.Index(fields=["organisation", "place"], name="community_nomination_org"),
            models.Index(fields=["call", "-votes"], name="community_nomination_votes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, person_name="")
                    | Q(organisation__isnull=True, offer__isnull=True) & ~Q(person_name="")
                ),
                name="community_nomination_one_nominee",
            ),
            models.UniqueConstraint(
                fields=["call", "nominator", "organisation"],
                condition=Q(organisation__isnull=False, offer__isnull=True),
                name="community_nomination_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["call", "nominator", "offer"],
                condition=Q(offer__isnull=False),
                name="community_nomination_offer_once",
            ),
        ]

    def __str__(self):
        return self.nominee

    def get_absolute_url(self):
        return reverse("community:nomination-detail", kwargs={"pk": self.pk})

    @property
    def nominee(self) -> str:
        if self.offer_id is not None:
            return f"{self.offer.title} ({self.organisation.name})"
        if self.organisation_id is not None:
            return self.organisation.name
        return self.person_name

    @property
    def is_laureate(self) -> bool:
        return self.place is not None


def letter_path(instance, filename):
    # A name the portal chose: the nominator's file name is kept in ``name`` only.
    return f"community/awards/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class SupportLetter(models.Model):
    """A letter of support attached to a nomination: a PDF, kept private."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="letters", verbose_name=_("nomination")
    )
    name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=letter_path, storage=private_storage, max_length=255
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("letter of support")
        verbose_name_plural = _("letters of support")

    def __str__(self):
        return self.name


class Vote(models.Model):
    """One verified account's vote in a contest's public vote: one per account and contest."""

    call = models.ForeignKey(
        AwardCall, on_delete=models.CASCADE, related_name="votes", verbose_name=_("call")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="+", verbose_name=_("nomination")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("public vote", "voter"),
    )
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("public vote", "vote")
        verbose_name_plural = pgettext_lazy("public vote", "votes")
        constraints = [
            models.UniqueConstraint(fields=["call", "voter"], name="community_vote_once"),
        ]
        indexes = [models.Index(fields=["voter"], name="community_vote_voter")]

    def __str__(self):
        return f"{self.voter_id} → {self.nomination_id}"
