"""The speed-up plot as SVG, written by hand, for machines without matplotlib (`pip install xpml` alone).

One horizontal bar per algorithm, size and backend: how many times faster than the reference, which is
scikit-learn where it ran and xpml on numpy otherwise, on a log scale with the reference's 1× marked.
"""

from __future__ import annotations

import math
from html import escape

_COLOURS = {"numpy": "#4c72b0", "torch": "#dd8452", "jax": "#55a868", "cupy": "#c44e52", "sklearn": "#8c8c8c"}


def _bars(rows: list[dict]) -> tuple[str, list[tuple[str, str, float]]]:
    """(reference name, [(label, backend, speed-up)]): each row's speed-up over the reference of its size."""
    reference = "sklearn" if any(r["backend"] == "sklearn" for r in rows) else "numpy"
    bars = []
    for r in rows:
        ref = next((o["seconds"] for o in rows if o["backend"] == reference and (o["algorithm"], o["n_samples"],
                    o["n_features"]) == (r["algorithm"], r["n_samples"], r["n_features"])), None)
        if ref is not None and r["backend"] != reference:
            label = f"{r['algorithm']} {r['n_samples']:,}×{r['n_features']} {r['backend']} ({r['device']})"
            bars.append((label, r["backend"], ref / r["seconds"]))
    return reference, bars


def speedup_svg(rows: list[dict], title: str = "xpml speed-ups") -> str:
    reference, bars = _bars(rows)
    width, left, row_height, top = 900, 380, 18, 50
    height = top + row_height * max(len(bars), 1) + 40
    logs = [math.log10(s) for _, _, s in bars] or [0.0]
    low, high = min(min(logs), 0.0) - 0.1, max(max(logs), 0.0) + 0.1

    def x(log_speedup: float) -> float:
        return left + (width - left - 20) * (log_speedup - low) / (high - low)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="11">',
             f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>',
             f'<text x="{width / 2}" y="38" text-anchor="middle">times faster than {reference} (log scale; '
             f'the line is 1×)</text>']
    for i, (label, backend, speedup) in enumerate(bars):
        y = top + i * row_height
        x0, x1 = sorted((x(0.0), x(math.log10(speedup))))
        parts.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(x1 - x0, 1):.1f}" height="{row_height - 4}" '
                     f'fill="{_COLOURS.get(backend, "#937860")}"/>')
        parts.append(f'<text x="{x1 + 4:.1f}" y="{y + 12}">{speedup:.2f}×</text>')
    parts.append(f'<line x1="{x(0.0):.1f}" y1="{top - 4}" x2="{x(0.0):.1f}" y2="{height - 30}" stroke="black"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
