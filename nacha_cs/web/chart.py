"""Bar charts as inline SVG, drawn on the server: no front-end library, no script, and nothing
the Content-Security-Policy has to allow (colours are presentation attributes, not styles).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 720
BAR_AREA = 200
LABEL_HEIGHT = 100
TOP = 24
LEFT = 70


def _count(value: float) -> str:
    return f"{round(value):,}"


def _dollars(cents: float) -> str:
    dollars = cents / 100
    if dollars >= 1_000_000:
        return f"${dollars / 1_000_000:.1f}M"
    if dollars >= 10_000:
        return f"${dollars / 1_000:.0f}k"
    return f"${dollars:,.0f}"


def bar_chart(title: str, bars: Sequence[tuple[str, int]], *, money: bool = True) -> str:
    """An SVG bar chart of ``(label, value)`` pairs; values are cents when ``money``.

    >>> svg = bar_chart("Paid per day", [("2026-11-20", 40547), ("2026-11-21", 1000)])
    >>> svg.count("<rect class=\\"bar\\""), "$405" in svg
    (2, True)
    """
    fmt = _dollars if money else _count
    level = bool(bars) and (WIDTH - LEFT - 10) / len(bars) >= 100
    height = TOP + BAR_AREA + (30 if level else LABEL_HEIGHT)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" class="bar-chart">',
        f"<title>{escape(title)}</title>",
    ]
    if not bars:
        parts.append(
            f'<text x="{WIDTH // 2}" y="{TOP + BAR_AREA // 2}" text-anchor="middle" '
            'fill="#5b6475">nothing to show yet</text></svg>'
        )
        return "".join(parts)
    peak = max(max(value for _, value in bars), 1)
    plot = WIDTH - LEFT - 10
    step = plot / len(bars)
    bar_width = max(2.0, min(48.0, step * 0.7))
    base_y = TOP + BAR_AREA
    # Counts get whole-number ticks (0, about half, the top); money gets 0, half, the top.
    ticks = [0.0, peak / 2, float(peak)] if money else sorted({0, peak // 2, peak})
    for tick in ticks:
        y = base_y - BAR_AREA * tick / peak
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dde5"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#5b6475">{escape(fmt(tick))}</text>'
        )
    label_every = max(1, len(bars) // 24)
    for index, (label, value) in enumerate(bars):
        bar_height = BAR_AREA * max(value, 0) / peak
        x = LEFT + step * index + (step - bar_width) / 2
        centre = x + bar_width / 2
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{base_y - bar_height:.1f}" '
            f'width="{bar_width:.1f}" height="{bar_height:.1f}" fill="#1f5fbf">'
            f"<title>{escape(label)}: {escape(fmt(value))}</title></rect>"
        )
        if level:  # room to write the label level under its bar
            room = int(step // 7)
            shown = label if len(label) <= room else label[: room - 1] + "…"
            parts.append(
                f'<text x="{centre:.1f}" y="{base_y + 16}" font-size="12" fill="#1d2330" '
                f'text-anchor="middle">{escape(shown)}</text>'
            )
        elif index % label_every == 0:
            shown = label if len(label) <= 18 else label[:17] + "…"
            parts.append(
                f'<text x="{centre:.1f}" y="{base_y + 12}" font-size="11" fill="#1d2330" '
                f'text-anchor="end" transform="rotate(-40 {centre:.1f} {base_y + 12})">'
                f"{escape(shown)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
