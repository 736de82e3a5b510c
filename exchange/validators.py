from django.conf import settings

from pestor.images import validate_photo

PHOTO_DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def photo_max_bytes() -> int:
    return getattr(settings, "OFFER_PHOTO_MAX_BYTES", PHOTO_DEFAULT_MAX_BYTES)


def validate_offer_photo(file):
    """An offer photo: a PNG, JPEG or WebP image within the size limits (pestor.images)."""
    validate_photo(file, max_bytes=photo_max_bytes())
