"""Bar charts drawn on the server as inline SVG (no JavaScript, no external library), each with
an accessible name; the page shows the same figures in a table beside it, as monitoring does."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join

WIDTH = 560
ROW = 26
LABEL_WIDTH = 200
VALUE_SPACE = 110


def bar_chart(*, rows: list[tuple[str, Decimal]], title: str, chart_id: str, unit: str = ""):
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    largest = max((value for _label, value in rows), default=Decimal(0)) or Decimal(1)
    track = WIDTH - LABEL_WIDTH - VALUE_SPACE
    height = ROW * max(len(rows), 1) + 4
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#222">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="16" fill="#1d4f91" />'
        '<text x="{}" y="{}" font-size="12" fill="#222">{}</text>',
        (
            (
                LABEL_WIDTH - 6,
                index * ROW + 16,
                label[:32],
                LABEL_WIDTH,
                index * ROW + 4,
                round(float(track * value / largest), 1),
                LABEL_WIDTH + round(float(track * value / largest), 1) + 6,
                index * ROW + 16,
                f"{value:,.0f} {unit}".replace(",", "\u00a0").strip(),
            )
            for index, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="bar-chart" role="img" aria-labelledby="{id}-title" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title>{bars}</svg>',
        id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        bars=bars,
    )
