from django import template
from django.utils.formats import get_format
from django.utils.html import format_html_join
from django.utils.translation import gettext

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


@register.filter
def result_cells(result):
    """The ``<td>`` of each criterion's mean and each part's subtotal of one ranked item, built
    here in one go: a ranking page has hundreds of them, each several template nodes otherwise.
    A mean nobody gave points to reads "n/a" if it was marked so, "—" if nobody scored."""
    separator = get_format("DECIMAL_SEPARATOR")
    not_applicable = gettext("n/a")
    cells = []
    for mean in result.means:
        if mean.mean is not None:
            cells.append(f"{mean.mean:.2f}".replace(".", separator))
        else:
            cells.append(not_applicable if mean.not_applicable else "—")
    for subtotal in result.subtotals:
        cells.append("—" if subtotal is None else f"{subtotal:.2f}".replace(".", separator))
    return format_html_join("", "<td>{}</td>", ((cell,) for cell in cells))
