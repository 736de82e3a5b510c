"""Charts drawn on the server as inline SVG: no JavaScript, no external library, the same in the
browser and in the PDF. Each has an accessible name (``<title>``) and the page shows the same
figures as text next to it.

A chart draws a *figure*: any object with ``name``, ``unit``, ``value``, ``target``,
``progress`` (the value's share of the target in %, or None) and ``reached`` (monitoring's
indicators, the grants' outcomes promised and achieved), and optionally ``description``, the
figure in words when "against a target" does not say it."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _


def figure_number(value):
    """A figure in the local format, without trailing zeros (``1 234``, ``12,5``, ``0,25``);
    "—" when there is none."""
    if value in (None, ""):
        return "—"
    value = Decimal(value)
    places = min(2, max(0, -value.normalize().as_tuple().exponent))
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


WIDTH = 320
HEIGHT = 30
BAR_TOP = 6
BAR_HEIGHT = 14
LABEL_SPACE = 60
# The scale runs to 100% of the target, or further when the value overshoots it (up to 150%).
MAX_SCALE = Decimal(150)


def describe(figure) -> str:
    """The chart in words: its accessible name, and the text equivalent in the PDF. The unit is
    what the team typed ("osoby"), which cannot agree with every number in Polish ("120 osoba"),
    so it stands apart, in brackets. A figure that says itself in words of its own (a
    ``description``) is described so."""
    if getattr(figure, "description", None):
        return figure.description
    unit = " " + _("(unit: %(unit)s)") % {"unit": figure.unit} if figure.unit else ""
    if figure.value is None:
        return _("%(name)s: no value for this period yet; target %(target)s%(unit)s.") % {
            "name": figure.name,
            "target": figure_number(figure.target),
            "unit": unit,
        }
    text = _("%(name)s: %(value)s against a target of %(target)s%(unit)s") % {
        "name": figure.name,
        "value": figure_number(figure.value),
        "target": figure_number(figure.target),
        "unit": unit,
    }
    if figure.progress is not None:
        text += " " + _("(%(progress)s%% of the way to the target)") % {
            "progress": figure_number(figure.progress)
        }
    return text + "."


def progress_bar(figure, *, chart_id: str):
    """A horizontal bar: the share of the way to the target, with a line marking the target."""
    scale = max(Decimal(100), min(figure.progress or Decimal(0), MAX_SCALE))
    track = WIDTH - LABEL_SPACE
    target_x = round(track * 100 / scale, 1)
    share = max(Decimal(0), min(figure.progress or Decimal(0), scale))
    bar_width = round(float(track * share / scale), 1)
    label = "—" if figure.progress is None else f"{figure_number(figure.progress)}%"
    fill = "#1b6e3a" if figure.reached else "#1d4f91"
    return format_html(
        '<svg class="progress-chart" role="img" aria-labelledby="{id}-title" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>'
        '<rect x="0" y="{top}" width="{track}" height="{bar_height}" fill="#e4e7eb" />'
        '<rect x="0" y="{top}" width="{bar_width}" height="{bar_height}" fill="{fill}" />'
        '<line x1="{target_x}" y1="2" x2="{target_x}" y2="{line_end}" stroke="#222" '
        'stroke-width="2" />'
        '<text x="{label_x}" y="{text_y}" font-size="13" fill="#222">{label}</text>'
        "</svg>",
        id=chart_id,
        width=WIDTH,
        height=HEIGHT,
        title=describe(figure),
        top=BAR_TOP,
        track=track,
        bar_height=BAR_HEIGHT,
        bar_width=bar_width,
        fill=fill,
        target_x=target_x,
        line_end=HEIGHT - 2,
        label_x=track + 6,
        text_y=BAR_TOP + BAR_HEIGHT - 2,
        label=label,
    )
