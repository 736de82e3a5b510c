"""Factories of the exchange: CPV codes, offers, photos, inquiries and their messages."""

import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from exchange.models import CpvCode, Inquiry, InquiryMessage, Offer, OfferPhoto
from tests.directory.factories import OrganisationFactory
from tests.factories import UserFactory

CPV_NAMES = {
    "55000000": "Usługi hotelarskie, restauracyjne i handlu detalicznego",
    "55500000": "Usługi stołówek i usługi cateringowe",
    "55520000": "Usługi dostarczania posiłków",
    "55521200": "Usługi dostarczania posiłków",
    "90000000": "Usługi odbioru ścieków, usuwania odpadów, czyszczenia i ekologiczne",
    "90910000": "Usługi sprzątania",
    "90911200": "Usługi sprzątania budynków",
    "77310000": "Usługi sadzenia roślin oraz utrzymania terenów zielonych",
    "79800000": "Usługi drukowania i powiązane",
    "79810000": "Usługi drukowania",
}


def cpv_code(code: str, **fields) -> CpvCode:
    """The code as in the vocabulary, created if the curated list did not bring it."""
    defaults = {"name_pl": CPV_NAMES.get(code, f"Kategoria {code}"), "name_en": ""}
    defaults.update(fields)
    found, _created = CpvCode.objects.get_or_create(code=code, defaults=defaults)
    return found


class OfferFactory(factory.django.DjangoModelFactory):
    """An active offer with a fixed price, of a verified organisation. The search text and the
    description's HTML are what the services would make of them."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Offer.Kind.SERVICE
    title = factory.Sequence(lambda n: f"Usługa testowa {n}")
    description = "Opis usługi testowej."
    description_html = factory.LazyAttribute(lambda o: f"<p>{o.description}</p>")
    cpv = factory.LazyFunction(lambda: cpv_code("55520000"))
    price_type = Offer.PriceType.FIXED
    price = Decimal("25.00")
    unit = "osoba"
    lead_time_days = 3
    status = Offer.Status.ACTIVE

    @factory.post_generation
    def municipalities_served(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities_served.set(extracted)


def image_file(name="photo.png", *, size=(40, 30), image_format="PNG", color=(200, 80, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}.get(
        image_format, "application/octet-stream"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


class OfferPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferPhoto

    offer = factory.SubFactory(OfferFactory)
    image = factory.LazyFunction(image_file)
    alt_text = "Talerz z obiadem"
    position = factory.Sequence(lambda n: n)


class InquiryFactory(factory.django.DjangoModelFactory):
    """An open inquiry from a user (give ``buyer_company`` or ``buyer_department``) with its first
    message; the buyer has read it, the organisation has not."""

    class Meta:
        model = Inquiry
        skip_postgeneration_save = True

    offer = factory.SubFactory(OfferFactory)
    organisation = factory.SelfAttribute("offer.organisation")
    buyer = factory.SubFactory(UserFactory)
    quantity = "80 porcji"
    status = Inquiry.Status.OPEN
    last_message_at = factory.LazyFunction(timezone.now)
    buyer_read_at = factory.SelfAttribute("last_message_at")

    @factory.post_generation
    def first_message(self, create, extracted, **kwargs):
        if create and extracted is not False:
            InquiryMessage.objects.create(
                inquiry=self,
                author=self.buyer,
                from_buyer=True,
                body=extracted or "Czy możecie przygotować obiad dla 80 osób?",
            )


def offer_areas_by_rule() -> set:
    """(municipality, offer, date) of every public offer delivered in every municipality, by
    the rule the catalogue used before ``OfferArea`` (``Offer.objects.serving``)."""
    from exchange.models import Offer
    from pestor.models import Municipality

    return {
        (municipality.pk, offer_id, created_at)
        for municipality in Municipality.objects.all()
        for offer_id, created_at in Offer.objects.public()
        .serving(municipality)
        .values_list("pk", "created_at")
    }


def offer_area_rows() -> list:
    """The rows of ``OfferArea`` as (municipality, offer, date)."""
    from exchange.models import OfferArea

    return list(OfferArea.objects.values_list("municipality_id", "offer_id", "created_at"))
