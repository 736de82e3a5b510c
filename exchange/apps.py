from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Social procurement exchange")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the exchange's rules)
