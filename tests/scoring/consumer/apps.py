from django.apps import AppConfig


class ConsumerConfig(AppConfig):
    """A stand-in for premises, grants and the award until they exist: a call whose
    applications a panel scores. Installed by tests/settings.py only; pytest-django creates its
    tables (it has no migrations)."""

    name = "tests.scoring.consumer"
    label = "scoring_consumer"

    def ready(self):
        from pestor import roles
        from scoring import registry

        from .models import Call

        registry.register(
            Call,
            items=lambda call: call.applications.order_by("pk"),
            label=lambda application: application.applicant,
            url=lambda application: f"/test-applications/{application.pk}/",
            detail_template="consumer/application.html",
            excluded=lambda call: [
                (application, application.formal_failure)
                for application in call.applications.exclude(formal_failure="").order_by("pk")
            ],
            can_manage=lambda user, call: (
                call.manager_id == user.pk or roles.is_administrator(user)
            ),
        )
