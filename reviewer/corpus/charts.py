"""Charts as inline SVG for the self-contained HTML pages (`stats`, `history`): nothing is
fetched, no script runs. Every label is escaped; a mark's exact figure is in its <title>
(a tooltip)."""

from __future__ import annotations

import html
from collections.abc import Sequence

# Told apart by hue, not shade: Outstanding green, Good blue, the third grade amber/orange,
# Inadequate red.
GRADE_COLOURS = {
    "Outstanding": "#1a7f37",
    "Good": "#2166ac",
    "Requires improvement to be good": "#e0a100",
    "Adequate": "#d9731a",
    "Inadequate": "#c0392b",
}
NO_GRADE = "#888888"
# For series with no colour of their own (topics, categories of an unknown family).
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)

e = html.escape


def legend(items: Sequence[tuple[str, str]]) -> str:
    """A row of coloured keys: (label, colour)."""
    keys = "".join(
        f"<span class='key'><i style='background:{colour}'></i>{e(label)}</span>"
        for label, colour in items
    )
    return f"<p class='legend'>{keys}</p>"


def stacked_bars(
    title: str,
    xs: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    width: int = 720,
    height: int = 260,
) -> str:
    """Vertical bars, one per x, stacked by series: (label, colour, a value per x)."""
    left, bottom, top = 40, 30, 12
    plot_h = height - bottom - top
    totals = [sum(s[2][i] for s in series) for i in range(len(xs))]
    most = max(totals, default=0) or 1
    step = (width - left - 10) / max(1, len(xs))
    bar = max(4.0, min(48.0, step * 0.7))
    out = [
        f"<svg class='chart' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        f"role='img' aria-label='{e(title)}' xmlns='http://www.w3.org/2000/svg'>",
        f"<title>{e(title)}</title>",
        f"<line x1='{left}' y1='{top + plot_h}' x2='{width - 10}' y2='{top + plot_h}' "
        "stroke='#999'/>",
    ]
    for tick in _ticks(most):
        y = top + plot_h - plot_h * tick / most
        out.append(
            f"<line x1='{left}' y1='{y:.1f}' x2='{width - 10}' y2='{y:.1f}' stroke='#eee'/>"
            f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='11' text-anchor='end' "
            f"fill='#666'>{tick}</text>"
        )
    for i, x_label in enumerate(xs):
        cx = left + step * (i + 0.5)
        y = top + plot_h
        for label, colour, values in series:
            v = values[i]
            if not v:
                continue
            h = plot_h * v / most
            y -= h
            out.append(
                f"<rect class='bar' x='{cx - bar / 2:.1f}' y='{y:.1f}' width='{bar:.1f}' "
                f"height='{h:.1f}' fill='{colour}'><title>{e(x_label)}: {e(label)} {v}"
                "</title></rect>"
            )
        out.append(
            f"<text x='{cx:.1f}' y='{height - 10}' font-size='11' text-anchor='middle' "
            f"fill='#444'>{e(x_label)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _ticks(most: int) -> list[int]:
    step = max(1, -(-most // 4))
    return list(range(step, most + 1, step))


def label_room(labels: Sequence[str], font_px: int = 12) -> int:
    """Pixels to leave left of a chart for its longest row label."""
    return 20 + round(0.6 * font_px * max((len(label) for label in labels), default=0))


def heat_grid(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[int]],
    colour: str = "#2166ac",
) -> str:
    """A grid of cells, shaded by value, each showing its number: rows x columns."""
    left, top, cell_w, cell_h = label_room(rows), 24, 48, 22
    width = left + cell_w * len(columns) + 10
    height = top + cell_h * len(rows) + 6
    most = max((v for row in values for v in row), default=0) or 1
    out = [
        f"<svg class='chart' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        f"role='img' aria-label='{e(title)}' xmlns='http://www.w3.org/2000/svg'>",
        f"<title>{e(title)}</title>",
    ]
    for j, column in enumerate(columns):
        out.append(
            f"<text x='{left + cell_w * (j + 0.5):.1f}' y='{top - 8}' font-size='11' "
            f"text-anchor='middle' fill='#444'>{e(column)}</text>"
        )
    for i, row in enumerate(rows):
        y = top + cell_h * i
        out.append(
            f"<text x='{left - 8}' y='{y + 15}' font-size='12' text-anchor='end' "
            f"fill='#222'>{e(row)}</text>"
        )
        for j, v in enumerate(values[i]):
            x = left + cell_w * j
            shade = 0.08 + 0.92 * v / most if v else 0.0
            ink = "#fff" if shade > 0.55 else "#222"
            out.append(
                f"<rect class='cell' x='{x}' y='{y}' width='{cell_w - 2}' height='{cell_h - 2}' "
                f"fill='{colour}' fill-opacity='{shade:.2f}' stroke='#eee'>"
                f"<title>{e(row)}, {e(columns[j])}: {v}</title></rect>"
            )
            if v:
                out.append(
                    f"<text x='{x + (cell_w - 2) / 2:.1f}' y='{y + 15}' font-size='11' "
                    f"text-anchor='middle' fill='{ink}'>{v}</text>"
                )
    out.append("</svg>")
    return "".join(out)


def share_bar(title: str, parts: Sequence[tuple[str, str, int]], width: int = 720) -> str:
    """One horizontal bar split into parts: (label, colour, count)."""
    total = sum(n for _, _, n in parts) or 1
    height = 34
    x = 0.0
    out = [
        f"<svg class='chart' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        f"role='img' aria-label='{e(title)}' xmlns='http://www.w3.org/2000/svg'>",
        f"<title>{e(title)}</title>",
    ]
    for label, colour, n in parts:
        if not n:
            continue
        w = width * n / total
        out.append(
            f"<rect class='bar' x='{x:.1f}' y='4' width='{w:.1f}' height='26' fill='{colour}'>"
            f"<title>{e(label)}: {n}</title></rect>"
        )
        if w > 28:
            out.append(
                f"<text x='{x + w / 2:.1f}' y='22' font-size='11' text-anchor='middle' "
                f"fill='#fff'>{n}</text>"
            )
        x += w
    out.append("</svg>")
    return "".join(out)


PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:72rem}"
    "h2{margin-top:2.2rem;border-bottom:2px solid #ddd}"
    ".chart{display:block;margin:.6rem 0;max-width:100%;height:auto}"
    ".legend .key{display:inline-block;margin-right:1rem;font-size:.9rem}"
    ".legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;"
    "margin-right:.3rem;vertical-align:middle}"
    "table{border-collapse:collapse;font-size:.9rem}"
    "td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    ".figure{font-size:2rem;font-weight:600}.muted{color:#666}"
)


def page(title: str, body: Sequence[str]) -> str:
    """A whole self-contained HTML page."""
    return "\n".join(
        [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            f"<title>{e(title)}</title><style>{PAGE_STYLE}</style></head><body>",
            f"<h1>{e(title)}</h1>",
            *body,
            "</body></html>\n",
        ]
    )
