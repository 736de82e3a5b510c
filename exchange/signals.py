"""Offers are found by their organisation's name too (``Offer.search_text``) and listed while
it is verified (``Offer.organisation_verified``); when the name or the status changes in the
directory, the offers' copies follow."""

from directory.models import Organisation

from .models import Offer, offer_search_text


def follow_organisation_status(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and "status" not in update_fields):
        return
    verified = instance.status == Organisation.Status.VERIFIED
    Offer.objects.filter(organisation=instance).exclude(organisation_verified=verified).update(
        organisation_verified=verified
    )


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
