"""Offers are found by their organisation's name too (``Offer.search_text``), listed while it
is verified (``Offer.organisation_verified``) and filtered by its legal form
(``Offer.organisation_legal_form``); when the name, the status or the legal form changes in the
directory, the offers' copies follow. The municipalities each public offer is delivered in
(``OfferArea``) follow the offer, its own list, its organisation's status and area."""

from django.db.models import Exists, OuterRef, Q

from directory.models import Organisation

from .models import Offer, offer_search_text, refresh_offer_areas


def follow_organisation_status(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not {"status", "legal_form"} & set(update_fields)):
        return
    verified = instance.status == Organisation.Status.VERIFIED
    changed = (
        Offer.objects.filter(organisation=instance)
        .filter(
            ~Q(organisation_verified=verified) | ~Q(organisation_legal_form=instance.legal_form)
        )
        .update(organisation_verified=verified, organisation_legal_form=instance.legal_form)
    )
    if changed:
        # Whether the offers are public may have changed with the status.
        refresh_offer_areas(Offer.objects.filter(organisation=instance))


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
    if not reverse or pk_set:
        refresh_offer_areas(offers)
    else:
        # The public offers that listed the municipality are those with a row of it.
        refresh_offer_areas(_delivered_in(instance))


def follow_offer(sender, instance, raw=False, **kwargs):
    """An offer saved (created, edited, archived, reactivated, deleted but kept) enters or
    leaves its municipalities' sets of public offers."""
    if not raw:
        refresh_offer_areas(Offer.objects.filter(pk=instance.pk))


def follow_organisation_area(sender, instance, action, reverse, pk_set, **kwargs):
    """The offers without a list of their own serve where their organisation does: when the
    organisation's area changes (from either side of the relation), so do their rows."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    without_own_list = Offer.objects.filter(serves_organisation_area=True)
    if not reverse:
        refresh_offer_areas(without_own_list.filter(organisation=instance))
    elif pk_set:
        refresh_offer_areas(without_own_list.filter(organisation_id__in=pk_set))
    else:
        # Cleared from the municipality's side: every offer delivered there through its
        # organisation loses it.
        refresh_offer_areas(_delivered_in(instance))


def _delivered_in(municipality):
    """The public offers delivered in ``municipality`` as the table had them, by their ids read
    now (the rows are rewritten from the same table)."""
    ids = list(Offer.objects.filter(areas__municipality=municipality).values_list("pk", flat=True))
    return Offer.objects.filter(pk__in=ids)
