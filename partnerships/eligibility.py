"""Who may use a finance product: computed from the organisation's directory data (its legal
form, the year it was founded, its social enterprise status), with the reason for each "no"."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import LegalForm, Organisation

from .models import Product


def refusals(product: Product, organisation: Organisation, today=None) -> list[str]:
    """Why ``organisation`` may not use ``product`` (empty when it may)."""
    today = today or timezone.localdate()
    reasons = []
    if not product.is_active:
        reasons.append(_("The product is no longer offered."))
    if organisation.status != Organisation.Status.VERIFIED:
        reasons.append(_("Only organisations verified in the portal may apply."))
    if product.legal_forms and organisation.legal_form not in product.legal_forms:
        reasons.append(
            _("The product is for: %(forms)s; your organisation is: %(form)s.")
            % {
                "forms": ", ".join(product.legal_form_labels),
                "form": dict(LegalForm.choices).get(organisation.legal_form, ""),
            }
        )
    if product.min_age_years:
        if not organisation.year_founded:
            reasons.append(
                ngettext(
                    "The product is for organisations at least %(years)d year old; give the "
                    "year founded in the organisation's profile.",
                    "The product is for organisations at least %(years)d years old; give the "
                    "year founded in the organisation's profile.",
                    product.min_age_years,
                )
                % {"years": product.min_age_years}
            )
        elif today.year - organisation.year_founded < product.min_age_years:
            reasons.append(
                ngettext(
                    "The product is for organisations at least %(years)d year old; yours was "
                    "founded in %(founded)d.",
                    "The product is for organisations at least %(years)d years old; yours was "
                    "founded in %(founded)d.",
                    product.min_age_years,
                )
                % {"years": product.min_age_years, "founded": organisation.year_founded}
            )
    if product.requires_social_enterprise and not organisation.is_social_enterprise:
        reasons.append(
            _("The product is only for social enterprises (the status granted by the voivode).")
        )
    return reasons
