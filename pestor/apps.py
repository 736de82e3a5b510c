from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PestorConfig(AppConfig):
    name = "pestor"
    verbose_name = _("Portal: municipalities, users and roles")

    def ready(self):
        from .images import guard_decompression_bombs

        guard_decompression_bombs()
