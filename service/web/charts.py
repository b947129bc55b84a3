"""A small server-rendered SVG bar chart: decisions per month, by destination."""

from __future__ import annotations

from markupsafe import Markup, escape

COLOURS = {"cat": "#1d70b8", "borough_tasking": "#d4351c", "community_led_solution": "#00703c"}
LABELS = {"cat": "CAT", "borough_tasking": "Borough Tasking", "community_led_solution": "Community Led Solution"}


def stacked_bars(area: str, rows: list[dict], chart_id: str, width: int = 560, height: int = 220) -> Markup:
    """Stacked bars per month (one colour per destination), with a title (id ``chart_id``) for screen readers."""
    top = max((row["triaged"] for row in rows), default=0) or 1
    plot_h, left, bottom = height - 60, 40, height - 30
    bar_w = max(12, min(60, (width - left - 20) // max(len(rows), 1) - 10))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-labelledby="{escape(chart_id)}"><title id="{escape(chart_id)}">'
             f'Issues triaged per month in {escape(area)}, by destination</title>',
             f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#0b0c0c"/>',
             f'<text x="4" y="{bottom - plot_h + 4}" font-size="12">{top}</text>',
             f'<text x="4" y="{bottom}" font-size="12">0</text>']
    for index, row in enumerate(rows):
        x, y = left + 10 + index * (bar_w + 10), bottom
        for code, colour in COLOURS.items():
            size = round(row.get(code, 0) / top * plot_h)
            if size:
                y -= size
                parts.append(f'<rect x="{x}" y="{y}" width="{bar_w}" height="{size}" fill="{colour}">'
                             f'<title>{escape(row["month"])}: {row.get(code, 0)} to {LABELS[code]}</title></rect>')
        parts.append(f'<text x="{x}" y="{bottom + 16}" font-size="11">{escape(row["month"])}</text>')
    legend_x = left
    for code, colour in COLOURS.items():
        parts.append(f'<rect x="{legend_x}" y="{height - 10}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{legend_x + 14}" y="{height - 1}" font-size="11">{LABELS[code]}</text>')
        legend_x += 24 + 7 * len(LABELS[code])
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value from the data is escaped above

