from django.conf import settings
from django.db import models


class Call(models.Model):
    title = models.CharField(max_length=200)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        app_label = "scoring_consumer"

    def __str__(self):
        return self.title


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    applicant = models.CharField(max_length=200)
    secret_plan = models.TextField(blank=True)

    class Meta:
        app_label = "scoring_consumer"

    def __str__(self):
        return self.applicant
