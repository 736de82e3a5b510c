"""Photos and attachments of resources, and the secret address of an organisation's feed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pestor import audit
from pestor.images import PHOTO_FORMATS, reencode

from ..models import CalendarFeed, Resource, ResourceAttachment, ResourcePhoto
from ..permissions import manages_owner
from ..validators import validate_attachment, validate_photo

MAX_PHOTOS = 6
PHOTO_MAX_SIDE = 1600


def _require_manager(actor, resource: Resource) -> None:
    if not manages_owner(actor, resource.owner):
        raise ValidationError(_("Only the owner's managers can do this."), code="not_manager")


@transaction.atomic
def resource_photo_add(*, resource: Resource, actor, image, alt_text: str) -> ResourcePhoto:
    """A photo with the text that describes it to people who cannot see it; the upload is
    checked and a re-encoded copy stored (pestor.images.reencode)."""
    resource = Resource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
    _require_manager(actor, resource)
    if resource.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            {
                "image": _("A resource can have at most %(count)s photos. Remove one first.")
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
    position = (resource.photos.aggregate(last=Max("position"))["last"] or 0) + 1
    photo = ResourcePhoto(resource=resource, alt_text=alt_text, position=position)
    photo.full_clean(exclude=["image"])
    photo.image = stored
    photo.save()
    audit.record(actor=actor, action="resource.photo_added", target=resource, comment=alt_text)
    return photo


@transaction.atomic
def resource_photo_remove(*, photo: ResourcePhoto, actor) -> None:
    _require_manager(actor, photo.resource)
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    audit.record(
        actor=actor, action="resource.photo_removed", target=photo.resource, comment=photo.alt_text
    )
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def resource_attachment_add(
    *, resource: Resource, actor, file, title: str, kind: str
) -> ResourceAttachment:
    _require_manager(actor, resource)
    try:
        validate_attachment(file)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None
    attachment = ResourceAttachment(resource=resource, title=(title or "").strip(), kind=kind)
    attachment.full_clean(exclude=["file"])
    attachment.file = file
    attachment.save()
    audit.record(
        actor=actor, action="resource.attachment_added", target=resource, comment=attachment.title
    )
    return attachment


@transaction.atomic
def calendar_feed_renew(*, organisation, actor) -> CalendarFeed:
    """A new secret address for the organisation's bookings; the old one stops working."""
    now = timezone.now()
    CalendarFeed.objects.filter(organisation=organisation, revoked_at__isnull=True).update(
        revoked_at=now
    )
    feed = CalendarFeed.objects.create(organisation=organisation, created_by=actor)
    audit.record(actor=actor, action="calendar_feed.renewed", target=organisation)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, organisation, actor) -> None:
    CalendarFeed.objects.filter(organisation=organisation, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit.record(actor=actor, action="calendar_feed.revoked", target=organisation)
