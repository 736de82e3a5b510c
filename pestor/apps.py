from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PestorConfig(AppConfig):
    name = "pestor"
    verbose_name = _("Portal: municipalities, users and roles")
