from decimal import Decimal

from django import template
from django.utils.formats import number_format

from pestor.charts import describe, figure_number, progress_bar

register = template.Library()


# The charts and their figures are the portal's (pestor.charts); monitoring's templates name
# the filter as they always have.
register.filter("figure_number", figure_number)


@register.filter
def money(value):
    """PLN with two decimals and grouping (``12 500,00``)."""
    if value in (None, ""):
        return "—"
    return number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


@register.simple_tag
def progress_chart(figure, prefix="chart"):
    """The figure's progress bar as inline SVG, with an id unique on the page per indicator."""
    return progress_bar(figure, chart_id=f"{prefix}-{figure.indicator_id}")


@register.simple_tag
def describe_figure(figure):
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
