"""Offers are found by their organisation's name too (``Offer.search_text``), listed while it
is verified (``Offer.organisation_verified``) and filtered by its legal form
(``Offer.organisation_legal_form``); when the name, the status or the legal form changes in the
directory, the offers' copies follow."""

from django.db.models import Exists, OuterRef, Q

from directory.models import Organisation

from .models import Offer, offer_search_text


def follow_organisation_status(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not {"status", "legal_form"} & set(update_fields)):
        return
    verified = instance.status == Organisation.Status.VERIFIED
    Offer.objects.filter(organisation=instance).filter(
        ~Q(organisation_verified=verified) | ~Q(organisation_legal_form=instance.legal_form)
    ).update(organisation_verified=verified, organisation_legal_form=instance.legal_form)


def refresh_offer_search_text(sender, instance, created, update_fields=None, **kwargs):
    if created:
        return
    if update_fields is not None and not {"name", "short_name"} & set(update_fields):
        return
    changed = []
    for offer in Offer.objects.filter(organisation=instance).only(
        "pk", "title", "description", "search_text"
    ):
        text = offer_search_text(offer, instance)
        if text != offer.search_text:
            offer.search_text = text
            changed.append(offer)
    Offer.objects.bulk_update(changed, ["search_text"])


def follow_own_area(sender, instance, action, reverse, pk_set, **kwargs):
    """``Offer.serves_organisation_area`` follows the offer's own list of municipalities, changed
    from either side of the relation."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        offers = Offer.objects.filter(pk=instance.pk)
    elif pk_set:
        offers = Offer.objects.filter(pk__in=pk_set)
    else:
        # Cleared from the municipality's side: which offers lost it is no longer known.
        offers = Offer.objects.filter(serves_organisation_area=False)
    areas = Offer.municipalities_served.through.objects.filter(offer_id=OuterRef("pk"))
    offers.update(serves_organisation_area=~Exists(areas))
