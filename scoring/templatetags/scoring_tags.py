from django import template

from ..models import points_text

register = template.Library()


@register.filter
def points(value) -> str:
    """Points as people write them: "10", "7,5"."""
    return points_text(value)
