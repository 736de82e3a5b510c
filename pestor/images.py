"""Reading what an uploaded image is, without trusting its name or its declared type."""

from PIL import Image


def probe(file) -> tuple[str, int, int] | None:
    """(format, width, height) of an uploaded image, or None if Pillow cannot read it.

    Only the header is read (no decoding), and the file is left where it was, so that the
    upload can still be saved after validation.
    """
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        with Image.open(file) as image:
            return image.format, image.size[0], image.size[1]
    except Exception:
        return None
    finally:
        if hasattr(file, "seek"):
            file.seek(position)
