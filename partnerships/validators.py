"""Checks of uploads: a partnership's charter is a PDF (by its content) of limited size."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pestor import validators

CHARTER_MAX_BYTES = 10 * 1024 * 1024


def validate_charter(file):
    validators.validate_pdf(
        file,
        max_bytes=getattr(settings, "PARTNERSHIPS_CHARTER_MAX_BYTES", CHARTER_MAX_BYTES),
        message=_("The charter must be a PDF file (its content says otherwise)."),
    )
