from django import template
from wagtail.images import get_image_model

register = template.Library()


@register.simple_tag
def speaker_photo(photo_id):
    """The speaker's photo (a Wagtail image kept by id in the snapshot), or None if deleted."""
    if not photo_id:
        return None
    return get_image_model().objects.filter(pk=photo_id).first()
