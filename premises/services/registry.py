"""The registry: premises, their status with its history, photos and the plan."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pestor import audit
from pestor.images import PHOTO_FORMATS, reencode

from ..models import Premises, PremisesPhoto, PremisesStatusChange
from ..permissions import can_manage_premises, is_city_official
from ..validators import validate_pdf, validate_photo

MAX_PHOTOS = 8
PHOTO_MAX_SIDE = 1600
PREMISES_FIELDS = (
    "unit",
    "address",
    "district",
    "latitude",
    "longitude",
    "floor",
    "area_m2",
    "rooms",
    "technical_state",
    "step_free_entrance",
    "accessible_toilet",
    "has_electricity",
    "has_water",
    "has_gas",
    "has_heating",
    "description",
    "market_rent_m2",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise ValidationError(
            _("Only the officials of the premises' municipality can do this."),
            code="not_official",
        )


@transaction.atomic
def premises_create(*, actor, **fields) -> Premises:
    unit = fields["unit"]
    _require(is_city_official(actor, unit.municipality_id))
    premises = Premises(**{name: fields[name] for name in PREMISES_FIELDS if name in fields})
    premises.municipality_id = unit.municipality_id
    premises.full_clean()
    premises.save()
    PremisesStatusChange.objects.create(
        premises=premises, to_status=premises.status, changed_by=actor
    )
    audit.record(
        actor=actor,
        action="premises.created",
        target=premises,
        after=audit.snapshot(premises, PREMISES_FIELDS),
    )
    return premises


@transaction.atomic
def premises_update(*, premises: Premises, actor, **fields) -> Premises:
    _require(can_manage_premises(actor, premises))
    if "unit" in fields:
        _require(is_city_official(actor, fields["unit"].municipality_id))
    before = audit.snapshot(premises, PREMISES_FIELDS)
    for name, value in fields.items():
        if name in PREMISES_FIELDS:
            setattr(premises, name, value)
    premises.full_clean()
    premises.save()
    audit.record(
        actor=actor,
        action="premises.updated",
        target=premises,
        before=before,
        after=audit.snapshot(premises, PREMISES_FIELDS),
    )
    return premises


def premises_set_status(*, premises: Premises, status: str, actor, note: str = "") -> Premises:
    """Change the status and keep the change in its history (called inside the services that
    lease, offer or free the premises, and by an official by hand)."""
    if premises.status == status:
        return premises
    PremisesStatusChange.objects.create(
        premises=premises,
        from_status=premises.status,
        to_status=status,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        note=note[:300],
    )
    previous = premises.status
    premises.status = status
    premises.status_changed_at = timezone.now()
    premises.save(update_fields=["status", "status_changed_at"])
    audit.record(
        actor=actor,
        action="premises.status_changed",
        target=premises,
        before={"status": previous},
        after={"status": status},
        comment=note,
    )
    if status == Premises.Status.VACANT:
        from .alerts import alerts_match_premises_later

        alerts_match_premises_later(premises=premises)
    return premises


@transaction.atomic
def premises_change_status(*, premises: Premises, status: str, actor, note: str) -> Premises:
    """An official's change by hand: only between vacant, leased otherwise and not for lease
    (leases and calls set the others)."""
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    _require(can_manage_premises(actor, premises))
    manual = {
        Premises.Status.VACANT,
        Premises.Status.LEASED_OTHER,
        Premises.Status.NOT_FOR_LEASE,
    }
    if status not in manual or premises.status not in manual:
        raise ValidationError(
            {"status": _("Leases and calls set this status; end the lease or the call instead.")},
            code="status_by_process",
        )
    if not note.strip():
        raise ValidationError({"note": _("Say why the status changes.")}, code="note_required")
    return premises_set_status(premises=premises, status=status, actor=actor, note=note.strip())


@transaction.atomic
def premises_photo_add(*, premises: Premises, actor, image, alt_text: str) -> PremisesPhoto:
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    _require(can_manage_premises(actor, premises))
    if premises.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            {
                "image": _("Premises can have at most %(count)s photos. Remove one first.")
                % {"count": MAX_PHOTOS}
            },
            code="too_many_photos",
        )
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise ValidationError(
            {"alt_text": _("Describe what the photo shows.")}, code="alt_text_required"
        )
    try:
        validate_photo(image)
        stored = reencode(image, max_side=PHOTO_MAX_SIDE, formats=PHOTO_FORMATS)
    except ValidationError as error:
        raise ValidationError({"image": error.error_list}) from None
    position = (premises.photos.aggregate(last=Max("position"))["last"] or 0) + 1
    photo = PremisesPhoto(premises=premises, alt_text=alt_text, position=position)
    photo.full_clean(exclude=["image"])
    photo.image = stored
    photo.save()
    audit.record(actor=actor, action="premises.photo_added", target=premises, comment=alt_text)
    return photo


@transaction.atomic
def premises_photo_remove(*, photo: PremisesPhoto, actor) -> None:
    _require(can_manage_premises(actor, photo.premises))
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    audit.record(
        actor=actor, action="premises.photo_removed", target=photo.premises, comment=photo.alt_text
    )
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def premises_plan_set(*, premises: Premises, actor, file) -> Premises:
    _require(can_manage_premises(actor, premises))
    try:
        validate_pdf(file)
    except ValidationError as error:
        raise ValidationError({"plan": error.error_list}) from None
    old = premises.plan.name if premises.plan else ""
    premises.plan.save(file.name or "plan.pdf", file, save=False)
    premises.save(update_fields=["plan"])
    if old:
        storage = premises.plan.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit.record(actor=actor, action="premises.plan_set", target=premises)
    return premises
