from django import forms
from django.utils.translation import gettext_lazy as _

from pestor.widgets import MunicipalityField


class LedgerMunicipalityForm(forms.Form):
    """Which municipality's ledger to show (typed by name without JavaScript)."""

    gmina = MunicipalityField(
        label=_("Municipality"),
        error_messages={"required": _("Type the name of a municipality.")},
    )
