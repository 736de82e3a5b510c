from django.db import models


class Call(models.Model):
    title = models.CharField(max_length=200)
    # A plain id, not a foreign key: the app has no migrations, so its tables are created
    # before the migrated ones, and PostgreSQL would refuse a key to a table not there yet.
    manager_id = models.PositiveBigIntegerField(null=True)

    class Meta:
        app_label = "scoring_consumer"

    def __str__(self):
        return self.title


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    applicant = models.CharField(max_length=200)
    secret_plan = models.TextField(blank=True)
    # Why the application failed the formal check (grants); blank: it passed. The registration
    # keeps such an application out of scoring through ``excluded``.
    formal_failure = models.CharField(max_length=200, blank=True)

    class Meta:
        app_label = "scoring_consumer"

    def __str__(self):
        return self.applicant
