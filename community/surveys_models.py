"""Competence surveys (TORO): the monitoring team asks PES members, officials or both what they
need to learn; the answers decide which trainings to run.

Anonymity is built into the tables, not only into the pages: ``SurveyParticipation`` records
*who* answered (one row per person and survey, a unique constraint) and ``SurveyResponse`` holds
*what* was answered, with the respondent's group (PES members or officials) and nothing that
leads back to the person: no user, no time, and a random key, so that neither the order of the
rows nor their numbers pair a response with a participation. The number of responses of each
group is kept on the survey (changed under its row lock, as events keep their places taken), so
the results page decides what it may show without counting the answers.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pestor.models import Municipality

from .models import Event

# Below this many answers in a group nothing of the group's answers is shown (nor exported).
MIN_GROUP_ANSWERS = 5


class RespondentGroup(models.TextChoices):
    PES = "pes", _("PES members")
    OFFICIALS = "officials", pgettext_lazy("survey group", "officials")


class Survey(models.Model):
    class Audience(models.TextChoices):
        PES = "pes", _("PES members")
        OFFICIALS = "officials", pgettext_lazy("survey group", "officials")
        BOTH = "both", _("PES members and officials")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey status", "draft")
        PUBLISHED = "published", pgettext_lazy("survey status", "published")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, max_length=5000)
    audience = models.CharField(_("addressed to"), max_length=20, choices=Audience.choices)
    deadline = models.DateTimeField(_("answers until"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    responses_pes = models.PositiveIntegerField(default=0, editable=False)
    responses_officials = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("competence survey")
        verbose_name_plural = _("competence surveys")
        indexes = [
            models.Index(fields=["status", "deadline"], name="community_survey_open"),
            models.Index(fields=["municipality", "deadline"], name="community_survey_municipal"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:survey-answer", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.deadline and self.status == self.Status.DRAFT and self.deadline <= timezone.now():
            raise ValidationError({"deadline": _("The deadline must be in the future.")})

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.PUBLISHED and (now or timezone.now()) < self.deadline

    def groups(self) -> list[str]:
        """The groups the survey is addressed to."""
        if self.audience == self.Audience.BOTH:
            return [RespondentGroup.PES, RespondentGroup.OFFICIALS]
        return [self.audience]

    def responses_of(self, group: str) -> int:
        return self.responses_pes if group == RespondentGroup.PES else self.responses_officials

    @property
    def responses(self) -> int:
        return self.responses_pes + self.responses_officials


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("scale 1-5")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        TEXT = "text", _("short text")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind of question"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    # The options of a choice question, in order; an answer keeps the option's index.
    choices = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self):
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    def options(self) -> list[tuple[int, str]]:
        """(value stored in an answer, label) of each possible answer; none for short text."""
        if self.kind == self.Kind.SCALE:
            return [(value, str(value)) for value in range(1, 6)]
        if self.has_options:
            return list(enumerate(self.choices))
        return []


class SurveyParticipation(models.Model):
    """That a person answered a survey (for "one answer per person" and for the reminders);
    what they answered is not linked to it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey participation")
        verbose_name_plural = _("survey participations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="community_survey_once"),
        ]
        indexes = [models.Index(fields=["user", "survey"], name="community_participation_user")]

    def __str__(self):
        return f"{self.user} — {self.survey}"


class SurveyResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(max_length=20, choices=RespondentGroup.choices)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["survey", "group"], name="community_response_group")]

    def __str__(self):
        return f"{self.survey} ({self.get_group_display()})"


class SurveyAnswer(models.Model):
    """One answer to one question: the value of a scale (1 to 5), the index of a chosen option
    (a multiple choice gives a row per option ticked) or a short text. The group is repeated
    from the response so that the results are one grouped scan of the answers' index."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    group = models.CharField(max_length=20, choices=RespondentGroup.choices)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [
            models.Index(fields=["question", "group", "value"], name="community_answer_results"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""), name="community_answer_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.value if self.value is not None else self.text}"


class SurveyGapTraining(models.Model):
    """A training created from a survey's result: the event answers the gap the question
    showed (the event's page says so)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="survey_gap")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="trainings")

    class Meta:
        verbose_name = _("training for a survey gap")
        verbose_name_plural = _("trainings for survey gaps")

    def __str__(self):
        return f"{self.event} — {self.question}"
