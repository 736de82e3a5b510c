"""Writes to the exchange: each function is one transaction; offers leave events behind."""

import re

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation, OrganisationMembership
from pestor import audit, roles
from pestor.images import PHOTO_FORMATS, reencode
from pestor.models import Company, Department, OfficialMembership
from pestor.notifications import absolute_url, notify

from . import selectors
from .models import Inquiry, InquiryMessage, Offer, OfferPhoto
from .validators import validate_offer_photo

# What a member may set on an offer; the organisation, status and search text are not theirs.
EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "cpv",
    "price_type",
    "price",
    "unit",
    "lead_time_days",
)
# Fields whose changes matter to buyers comparing offers; kept in the event log.
LOGGED_FIELDS = ("title", "cpv", "price_type", "price", "unit", "status")

MAX_PHOTOS = 6
PHOTO_MAX_SIDE = 1600

DESCRIPTION_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "br"}
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _description_heading():
    """Replaces <hN> and </hN> in order: h1 and h2 become h3, the others h4, except that an h4
    before the first h3 is an h3 (its closing tag follows its opening one)."""
    opened = None

    def replace(match):
        nonlocal opened
        if match[1]:  # a closing tag
            return f"</h{opened or 4}>"
        opened = 3 if match[2] in "12" or opened is None else 4
        return f"<h{opened}>"

    return replace


def render_description(text: str) -> str:
    """Markdown written by a PES, as HTML that is safe to show to everyone: paragraphs, lists,
    emphasis, links (rel="noopener nofollow") and small headings; no images, no scripts."""
    html = markdown.markdown(text or "", output_format="html")
    # The page's own headings are h1 and h2: a description's headings sit below them, and the
    # first is an h3 whatever its level, so that no level is skipped (h2 → h4 is invalid HTML).
    html = _HEADING.sub(_description_heading(), html)
    return nh3.clean(
        html,
        tags=DESCRIPTION_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    ).strip()


# --- offers ------------------------------------------------------------------------------------


def _apply(offer: Offer, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable on an offer: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.title = (offer.title or "").strip()
    offer.description_html = render_description(offer.description)


def _check_organisation_may_list(organisation: Organisation) -> None:
    if organisation.status == Organisation.Status.REJECTED:
        raise ValidationError(
            _(
                "The organisation's registration was returned for correction. Correct it "
                "before you list offers."
            ),
            code="organisation_rejected",
        )


@transaction.atomic
def offer_create(*, organisation: Organisation, actor, municipalities_served=None, **fields):
    """A member lists an offer of their organisation. It is public at once if the organisation
    is verified, and once it is, if it awaits verification. With no municipalities given, the
    offer serves where the organisation does."""
    _check_organisation_may_list(organisation)
    offer = Offer(organisation=organisation, created_by=actor, status=Offer.Status.ACTIVE)
    _apply(offer, fields)
    offer.full_clean()
    offer.save()
    offer.municipalities_served.set(
        municipalities_served
        if municipalities_served
        else organisation.municipalities_served.all() or [organisation.seat_municipality]
    )
    audit.record(
        actor=actor,
        action="offer.created",
        target=offer,
        after=audit.snapshot(offer, LOGGED_FIELDS),
    )
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, actor, municipalities_served=None, **fields) -> Offer:
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=offer.pk)
    )
    before = audit.snapshot(offer, LOGGED_FIELDS)
    _apply(offer, fields)
    offer.full_clean()
    offer.save()
    if municipalities_served is not None:
        offer.municipalities_served.set(
            municipalities_served
            or offer.organisation.municipalities_served.all()
            or [offer.organisation.seat_municipality]
        )
    after = audit.snapshot(offer, LOGGED_FIELDS)
    if before != after:
        audit.record(actor=actor, action="offer.changed", target=offer, before=before, after=after)
    return offer


def _set_status(offer: Offer, *, actor, status: str, action: str) -> Offer:
    offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    if offer.status == status:
        return offer
    before = offer.status
    offer.status = status
    offer.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=action,
        target=offer,
        before={"status": before},
        after={"status": status},
    )
    return offer


@transaction.atomic
def offer_archive(*, offer: Offer, actor) -> Offer:
    """The offer leaves the catalogue; its inquiries stay readable to both sides."""
    return _set_status(offer, actor=actor, status=Offer.Status.ARCHIVED, action="offer.archived")


@transaction.atomic
def offer_reactivate(*, offer: Offer, actor) -> Offer:
    _check_organisation_may_list(offer.organisation)
    return _set_status(offer, actor=actor, status=Offer.Status.ACTIVE, action="offer.reactivated")


@transaction.atomic
def offer_delete(*, offer: Offer, actor) -> bool:
    """The organisation deletes an offer. One an inquiry refers to is kept, hidden from
    everyone (the conversation still names it); any other is deleted with its photos.
    Returns whether the offer was kept."""
    offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    kept = offer.inquiries.exists()
    audit.record(
        actor=actor,
        action="offer.deleted",
        target=offer,
        before={"status": offer.status},
        after={"status": Offer.Status.DELETED, "kept": kept},
    )
    photos = [(photo.image.storage, photo.image.name) for photo in offer.photos.all()]
    if kept:
        offer.status = Offer.Status.DELETED
        offer.save(update_fields=["status", "updated_at"])
        return True
    offer.delete()
    for storage, name in photos:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return False


@transaction.atomic
def offer_photo_add(*, offer: Offer, actor, image, alt_text: str) -> OfferPhoto:
    """Adds a photo with the text that describes it to people who cannot see it. The upload is
    validated and a re-encoded copy stored (pestor.images.reencode): resized, without metadata,
    under the extension of its real format. An offer has at most MAX_PHOTOS photos."""
    offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    if offer.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            {
                "image": _("An offer can have at most %(count)s photos. Remove one first.")
                % {"count": MAX_PHOTOS}
            },
            code="too_many_photos",
        )
    try:
        validate_offer_photo(image)
        stored = reencode(image, max_side=PHOTO_MAX_SIDE, formats=PHOTO_FORMATS)
    except ValidationError as error:
        raise ValidationError({"image": error.error_list}) from None
    alt_text = (alt_text or "").strip()
    position = (offer.photos.aggregate(last=Max("position"))["last"] or 0) + 1
    photo = OfferPhoto(offer=offer, alt_text=alt_text, position=position)
    photo.full_clean(exclude=["image"])
    photo.image = stored
    photo.save()
    return photo


@transaction.atomic
def offer_photo_remove(*, photo: OfferPhoto, actor) -> None:
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def offer_photo_update(*, photo: OfferPhoto, actor, alt_text: str) -> OfferPhoto:
    photo.alt_text = (alt_text or "").strip()
    photo.full_clean(exclude=["image"])
    photo.save(update_fields=["alt_text"])
    return photo


# --- inquiries ---------------------------------------------------------------------------------


def _is_member(user, organisation_id) -> bool:
    return OrganisationMembership.objects.filter(
        user=user, organisation_id=organisation_id
    ).exists()


def _check_buyer(*, buyer, department: Department | None, company: Company | None) -> None:
    if (department is None) == (company is None):
        raise ValidationError(
            {"on_behalf": _("Choose the department or the company you ask for.")},
            code="on_behalf_required",
        )
    if (
        department is not None
        and not OfficialMembership.objects.filter(user=buyer, department=department).exists()
    ):
        raise ValidationError(
            {"on_behalf": _("You do not work in this department.")}, code="not_official"
        )
    if company is not None and company.pk not in roles.buyer_company_ids(buyer):
        raise ValidationError(
            {"on_behalf": _("You do not buy for this company.")}, code="not_buyer"
        )


def _message_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")}, code="message_required")
    return body


def _notify_message(inquiry: Inquiry, message: InquiryMessage, *, new: bool) -> None:
    notify(
        template="exchange/inquiry_received" if new else "exchange/inquiry_message",
        key=f"exchange/inquiry_message:{message.pk}",
        recipients=selectors.inquiry_recipient_emails(
            inquiry=inquiry, from_buyer=message.from_buyer
        ),
        context={
            "inquiry": inquiry,
            "offer": inquiry.offer,
            "organisation": inquiry.organisation,
            "asked_for": inquiry.asked_for,
            "message": message,
            "url": absolute_url(inquiry.get_absolute_url()),
        },
    )


@transaction.atomic
def inquiry_send(
    *,
    offer: Offer,
    buyer,
    message: str,
    quantity: str = "",
    needed_by=None,
    department: Department | None = None,
    company: Company | None = None,
) -> Inquiry:
    """A buyer asks about a public offer for their department or company. This opens a
    conversation that only the buyer and the organisation's members can read; the members are
    told by e-mail."""
    offer = Offer.objects.select_related("organisation").get(pk=offer.pk)
    if not offer.is_public:
        raise ValidationError(
            _("This offer is no longer in the catalogue."), code="offer_not_public"
        )
    if _is_member(buyer, offer.organisation_id):
        raise ValidationError(
            _("You cannot send an inquiry to your own organisation."), code="own_organisation"
        )
    _check_buyer(buyer=buyer, department=department, company=company)
    body = _message_body(message)
    if needed_by is not None and needed_by < timezone.localdate():
        raise ValidationError(
            {"needed_by": _("This date has already passed.")}, code="needed_by_past"
        )
    now = timezone.now()
    inquiry = Inquiry(
        offer=offer,
        organisation=offer.organisation,
        buyer=buyer,
        buyer_department=department,
        buyer_company=company,
        quantity=(quantity or "").strip(),
        needed_by=needed_by,
        status=Inquiry.Status.OPEN,
        last_message_at=now,
        buyer_read_at=now,
    )
    inquiry.full_clean()
    inquiry.save()
    first = InquiryMessage.objects.create(inquiry=inquiry, author=buyer, from_buyer=True, body=body)
    _notify_message(inquiry, first, new=True)
    return inquiry


def _side(inquiry: Inquiry, user) -> str:
    if inquiry.buyer_id == user.pk:
        return "buyer"
    if _is_member(user, inquiry.organisation_id):
        return "organisation"
    raise ValidationError(_("You take no part in this conversation."), code="not_a_party")


@transaction.atomic
def inquiry_reply(*, inquiry: Inquiry, author, body: str) -> InquiryMessage:
    """A new message from either side. The PES's first reply marks the inquiry answered; a
    closed conversation takes no more messages."""
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("offer", "organisation", "buyer", "buyer_department", "buyer_company")
        .get(pk=inquiry.pk)
    )
    side = _side(inquiry, author)
    if inquiry.is_closed:
        raise ValidationError(
            _("This conversation is closed; it takes no new messages."), code="closed"
        )
    body = _message_body(body)
    message = InquiryMessage.objects.create(
        inquiry=inquiry, author=author, from_buyer=side == "buyer", body=body
    )
    now = timezone.now()
    inquiry.last_message_at = now
    update_fields = ["last_message_at"]
    if side == "buyer":
        inquiry.buyer_read_at = now
        update_fields.append("buyer_read_at")
    else:
        inquiry.organisation_read_at = now
        update_fields.append("organisation_read_at")
        if inquiry.status == Inquiry.Status.OPEN:
            inquiry.status = Inquiry.Status.ANSWERED
            update_fields.append("status")
    inquiry.save(update_fields=update_fields)
    _notify_message(inquiry, message, new=False)
    return message


@transaction.atomic
def inquiry_close(*, inquiry: Inquiry, actor) -> Inquiry:
    """Either side ends the conversation; the other is told by e-mail."""
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("offer", "organisation", "buyer", "buyer_department", "buyer_company")
        .get(pk=inquiry.pk)
    )
    side = _side(inquiry, actor)
    if inquiry.is_closed:
        return inquiry
    inquiry.status = Inquiry.Status.CLOSED
    inquiry.closed_at = timezone.now()
    inquiry.closed_by = actor
    inquiry.save(update_fields=["status", "closed_at", "closed_by"])
    notify(
        template="exchange/inquiry_closed",
        key=f"exchange/inquiry_closed:{inquiry.pk}",
        recipients=selectors.inquiry_recipient_emails(inquiry=inquiry, from_buyer=side == "buyer"),
        context={
            "inquiry": inquiry,
            "offer": inquiry.offer,
            "organisation": inquiry.organisation,
            "asked_for": inquiry.asked_for,
            "closed_by_buyer": side == "buyer",
            "url": absolute_url(inquiry.get_absolute_url()),
        },
    )
    return inquiry


def inquiry_mark_read(*, inquiry: Inquiry, user) -> None:
    """The user has seen every message so far (on their side of the conversation)."""
    now = timezone.now()
    queryset = Inquiry.objects.filter(pk=inquiry.pk)
    if inquiry.buyer_id == user.pk:
        queryset.update(buyer_read_at=now)
        inquiry.buyer_read_at = now
    if _is_member(user, inquiry.organisation_id):
        queryset.update(organisation_read_at=now)
        inquiry.organisation_read_at = now
