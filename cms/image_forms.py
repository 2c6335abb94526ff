"""The admin's image upload form: a file whose header says "image" but that Pillow cannot read
is a form error, not a server error.

Willow recognises a format by the file's first bytes only, so a GIF/script polyglot ("GIF89a"
followed by JavaScript) passes Wagtail's `to_python`; the image is opened for real when its size
is checked, where Wagtail catches only Pillow's decompression-bomb errors, and Pillow's
UnidentifiedImageError became a 500.
"""

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            # Pillow's UnidentifiedImageError is an OSError; truncated or forged headers raise
            # the others.
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ImageForm(BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE: Wagtail's form with the checked file field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if type(field) is WagtailImageField:
            field.__class__ = CheckedImageField
