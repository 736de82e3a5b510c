from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure_number(value):
    """A figure in the local format, without trailing zeros (``1 234``, ``12,5``, ``0,25``);
    "—" when there is none."""
    if value in (None, ""):
        return "—"
    value = Decimal(value)
    places = min(2, max(0, -value.normalize().as_tuple().exponent))
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def money(value):
    """PLN with two decimals and grouping (``12 500,00``)."""
    if value in (None, ""):
        return "—"
    return number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


@register.simple_tag
def progress_chart(figure, prefix="chart"):
    """The figure's progress bar as inline SVG, with an id unique on the page per indicator."""
    from monitoring.charts import progress_bar

    return progress_bar(figure, chart_id=f"{prefix}-{figure.indicator_id}")


@register.simple_tag
def describe_figure(figure):
    from monitoring.charts import describe

    return describe(figure)


@register.filter
def as_of(taken_at):
    """When a computed figure was taken, as the pages say it: "stan na 30.11.2026, 03:00"."""
    from django.utils import timezone
    from django.utils.translation import gettext

    if not taken_at:
        return ""
    moment = timezone.localtime(taken_at)
    return gettext("as of %(date)s, %(time)s") % {
        "date": f"{moment:%d.%m.%Y}",
        "time": f"{moment:%H:%M}",
    }
