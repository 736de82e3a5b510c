from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("PES directory")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the directory's rules)
