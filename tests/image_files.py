"""Uploaded image files for the tests of logos and offer photos, and a guard against decoding."""

import io
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile


def upload(image, image_format="PNG", name="photo.png", *, exif=None, extra=b""):
    """An uploaded file with the image's bytes and, after them, ``extra``."""
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **options)
    return SimpleUploadedFile(name, buffer.getvalue() + extra)


def huge_png(side=8000, name="bomb.png"):
    """A one-bit image of side x side pixels: a few kilobytes that would decode into side²
    bytes or more."""
    return upload(Image.new("1", (side, side)), name=name)


def jpeg_with_gps(name="photo.jpg"):
    image = Image.new("RGB", (64, 48), (10, 200, 30))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "Camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 1.0, 2.0)
    return upload(image, "JPEG", name, exif=exif)


def has_gps(content: bytes) -> bool:
    with Image.open(io.BytesIO(content)) as image:
        return bool(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


@contextmanager
def decoding_forbidden():
    """Fails the test if anything decodes an image's pixels inside the block."""

    def load(self):
        raise AssertionError("the image was decoded")

    with pytest.MonkeyPatch.context() as patch:
        # Image.Image.load and the override every file format inherits.
        patch.setattr(Image.Image, "load", load)
        patch.setattr(ImageFile.ImageFile, "load", load)
        yield
