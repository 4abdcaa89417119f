"""Small inline SVG charts (no JavaScript library, no network): horizontal bars and histograms.

Every chart is a plain string of SVG with ``<title>`` tooltips and the plotted numbers in
``data-*`` attributes, so a test (or a person with the inspector) can read back exactly what was
drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

# Colour-blind-safe pair (Okabe-Ito blue / vermillion) for kept vs removed.
KEPT_COLOUR = "#0072B2"
REMOVED_COLOUR = "#D55E00"
NEUTRAL_COLOUR = "#6a7f99"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}"


def hbar_chart(
    rows: Sequence[tuple[str, float]],
    colour: str = NEUTRAL_COLOUR,
    width: int = 640,
    label_width: int = 300,
    chart_id: str = "",
) -> str:
    """One horizontal bar per ``(label, value)`` row, longest bar = largest value."""
    if not rows:
        return '<p class="empty">nothing to plot</p>'
    bar_h, gap = 18, 4
    height = len(rows) * (bar_h + gap) + gap
    top = max(v for _, v in rows) or 1
    span = width - label_width - 70
    parts = [
        f'<svg class="chart hbar" id="{escape(chart_id)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(1.0, span * value / top) if value else 0
        parts.append(
            f'<g class="bar" data-label="{escape(str(label))}" data-value="{value}">'
            f"<title>{escape(str(label))}: {_fmt(value)}</title>"
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{escape(_short(str(label), 44))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + 13}">{_fmt(value)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def histogram(
    bins: Sequence[tuple[str, float, float]], width: int = 300, height: int = 150, title: str = "", chart_id: str = ""
) -> str:
    """Stacked vertical bars: ``(bin label, kept count, removed count)`` per bin, in axis order."""
    if not bins:
        return '<p class="empty">no values</p>'
    pad_l, pad_b, pad_t = 34, 30, 18
    plot_w, plot_h = width - pad_l - 6, height - pad_b - pad_t
    top = max(k + r for _, k, r in bins) or 1
    step = plot_w / len(bins)
    parts = [
        f'<svg class="chart hist" id="{escape(chart_id)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<text class="title" x="{pad_l}" y="12">{escape(title)}</text>',
        f'<text x="{pad_l - 4}" y="{pad_t + 8}" text-anchor="end">{_fmt(top)}</text>',
        f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - 6}" y2="{pad_t + plot_h}" stroke="#999"/>',
    ]
    for i, (label, kept, removed) in enumerate(bins):
        x = pad_l + i * step
        h_k, h_r = plot_h * kept / top, plot_h * removed / top
        base = pad_t + plot_h
        parts.append(
            f'<g class="bin" data-bin="{escape(label)}" data-kept="{kept}" data-removed="{removed}">'
            f"<title>{escape(label)}: kept {_fmt(kept)}, removed {_fmt(removed)}</title>"
            f'<rect x="{x + 0.5:.1f}" y="{base - h_k:.1f}" width="{max(step - 1, 1):.1f}" height="{h_k:.1f}" '
            f'fill="{KEPT_COLOUR}"/>'
            f'<rect x="{x + 0.5:.1f}" y="{base - h_k - h_r:.1f}" width="{max(step - 1, 1):.1f}" height="{h_r:.1f}" '
            f'fill="{REMOVED_COLOUR}"/></g>'
        )
    for i in sorted({0, len(bins) // 2, len(bins) - 1}):
        x = pad_l + (i + 0.5) * step
        parts.append(f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle">{escape(bins[i][0])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(
    segments: Sequence[tuple[str, float, str]], width: int = 640, height: int = 26, chart_id: str = ""
) -> str:
    """One bar split into ``(label, value, colour)`` segments, e.g. kept vs each removal reason."""
    total = sum(v for _, v, _ in segments) or 1
    parts = [
        f'<svg class="chart stacked" id="{escape(chart_id)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    x = 0.0
    for label, value, colour in segments:
        w = width * value / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour}" '
            f'data-label="{escape(label)}" data-value="{value}"><title>{escape(label)}: {_fmt(value)} '
            f"({100 * value / total:.1f}%)</title></rect>"
        )
        x += w
    parts.append("</svg>")
    return "".join(parts)
