from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pestor.images import probe

LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
LOGO_MAX_SIDE = 4000


def validate_logo(file):
    """A logo is a PNG, JPEG or WebP image within the size limits (bytes, pixels, side), all
    read before the image is decoded."""
    if file.size > settings.LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo may be at most %(limit)s; this file has %(size)s."),
            code="file_too_large",
            params={
                "limit": filesizeformat(settings.LOGO_MAX_BYTES),
                "size": filesizeformat(file.size),
            },
        )
    probed = probe(file)
    if probed is None:
        raise ValidationError(
            _("This file is not an image. Upload the logo as PNG, JPEG or WebP."),
            code="invalid_image",
        )
    image_format, width, height = probed
    if image_format not in LOGO_FORMATS:
        raise ValidationError(
            _("Upload the logo as PNG, JPEG or WebP."), code="invalid_image_format"
        )
    if max(width, height) > LOGO_MAX_SIDE:
        raise ValidationError(
            _("The logo may be at most %(side)s pixels wide and high."),
            code="image_too_big",
            params={"side": LOGO_MAX_SIDE},
        )
