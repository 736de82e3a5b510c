from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = _("Demand register")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the demand register's rules)
