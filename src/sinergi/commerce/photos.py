"""Product photos made light: an upload becomes a bounded full-size picture and a thumbnail.

Phones take 12-megapixel photos of 3-5 MB; buyers on slow networks should get ~30 KB. Both
copies are re-encoded (which also drops EXIF data such as the GPS position of the owner's
house) after turning them upright by their EXIF orientation.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FULL_SIZE = 1600
THUMBNAIL_SIZE = 480
MAX_PIXELS = 50_000_000  # refuse decompression bombs long before Pillow's own limit
WEBP_QUALITY = 78
JPEG_QUALITY = 82


class PhotoInvalid(ValueError):
    """The upload is not a picture we can read; the message says so for a person."""


@dataclass(frozen=True)
class PreparedPhoto:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]


def _encode(picture: Image.Image, *, size: int, name: str) -> ContentFile[bytes]:
    copy = picture.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    return ContentFile(buffer.getvalue(), name=f"{name}.webp")


def photo_prepare(upload: IO[bytes]) -> PreparedPhoto:
    """Read an uploaded picture and return a full-size (≤1600 px) and a thumbnail (≤480 px) copy,
    both WebP, upright, without metadata. Raises :class:`PhotoInvalid`."""
    try:
        with Image.open(upload) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise PhotoInvalid(_("This picture is too large; use one under 50 megapixels."))
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise PhotoInvalid(
            _("This file is not a picture we can read (use JPEG, PNG or WebP).")
        ) from error
    if picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    name = uuid.uuid4().hex
    return PreparedPhoto(
        image=_encode(picture, size=FULL_SIZE, name=name),
        thumbnail=_encode(picture, size=THUMBNAIL_SIZE, name=f"{name}-thumb"),
    )
