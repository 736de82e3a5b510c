from django import template
from django.utils.formats import get_format

from ..models import points_text

register = template.Library()


@register.filter
def points(value) -> str:
    """Points as people write them: "10", "7,5"."""
    return points_text(value)


@register.filter
def cents(value) -> str:
    """A mean, subtotal or total already rounded to two places, with the language's decimal
    mark ("7,50"): what ``floatformat:2`` gives, without its cost on a table of thousands."""
    if value is None:
        return ""
    return f"{value:.2f}".replace(".", get_format("DECIMAL_SEPARATOR"))
