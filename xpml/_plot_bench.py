"""The benchmark's figures (`python -m xpml bench` draws them; `xpml.plot` offers them too): speed-ups over
xpml on numpy, and the achieved GFLOP/s beside a plain matmul of the same shape.

matplotlib is imported only when a function here is called.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["roofline", "speedup"]


def _rows(results: Any) -> list[dict]:
    if isinstance(results, (str, Path)):
        results = json.loads(Path(results).read_text())
    return list(results["rows"] if isinstance(results, dict) else results)  # a results.json, or its rows


def _times_axis(axis) -> None:
    """A logarithmic axis of ratios, labelled 0.5×, 1×, 2×, ... rather than in powers of ten."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    low, high = axis.get_view_interval()
    narrow = high / max(low, 1e-300) < 10  # within a decade: label more of it
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 7.0) if narrow else (1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}×"))
    axis.set_minor_formatter(NullFormatter())


def _count(n: int) -> str:
    """20000 -> '20k', 1000000 -> '1M'."""
    for size, suffix in ((10**9, "G"), (10**6, "M"), (10**3, "k")):
        if n >= size:
            return f"{n / size:g}{suffix}"
    return str(n)


def speedup(results: Any, *, title: str | None = None):
    """The benchmark's speed-up over xpml on numpy, against n_samples: one panel per algorithm.

    `results` is the list of rows of `python -m xpml bench` (or the path of its results.json).
    """
    from matplotlib.ticker import NullFormatter

    rows = _rows(results)
    algorithms = list(dict.fromkeys(r["algorithm"] for r in rows))
    from .plot import _axes  # the figure maker all of xpml's figures share

    fig, _ = _axes(figsize=(4.2 * min(len(algorithms), 3), 3.6 * ((len(algorithms) + 2) // 3)))
    fig.clear()
    grid = fig.subplots((len(algorithms) + 2) // 3, min(len(algorithms), 3), squeeze=False)
    for ax, algorithm in zip(grid.flat, algorithms):
        mine = [r for r in rows if r["algorithm"] == algorithm]
        base = {(r["n_samples"], r["n_features"]): r["seconds"] for r in mine if r["backend"] == "numpy"}
        for backend in dict.fromkeys(r["backend"] for r in mine):
            pts = sorted((r["n_samples"], base[(r["n_samples"], r["n_features"])] / r["seconds"])
                         for r in mine if r["backend"] == backend and (r["n_samples"], r["n_features"]) in base)
            if pts:
                ax.plot(*zip(*pts), marker="o", label=backend, linestyle="--" if backend == "sklearn" else "-")
        ax.axhline(1.0, color="grey", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        sizes = sorted({r["n_samples"] for r in mine})
        ax.set_xticks(sizes, [_count(n) for n in sizes])  # the sizes measured, as 20k, 1M
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_title(algorithm)
        ax.set_xlabel("n_samples")
        ax.set_ylabel("speed-up over xpml on numpy")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize="x-small")
        _times_axis(ax.yaxis)  # once the data have set the limits
    for ax in list(grid.flat)[len(algorithms):]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    return fig


def roofline(results: Any, *, title: str | None = None):
    """Each algorithm's main kernel, in GFLOP/s, beside a plain matmul of the same shape, per backend.

    Uses the rows of `python -m xpml bench` that carry `gflops` and `matmul_gflops`.
    """
    rows = [r for r in _rows(results) if r.get("gflops") and r.get("matmul_gflops")]
    if not rows:
        raise ValueError("results have no rows with both gflops and matmul_gflops to draw a roofline from.")
    from .plot import _axes

    fig, ax = _axes(figsize=(7.5, 1.2 + 0.32 * len(rows)))
    y = np.arange(len(rows))[::-1]  # the first row at the top
    ax.barh(y + 0.2, [r["gflops"] for r in rows], height=0.4, label="algorithm's kernel")
    ax.barh(y - 0.2, [r["matmul_gflops"] for r in rows], height=0.4, label="plain matmul, same shape")
    for i, r in zip(y, rows):
        ax.text(r["gflops"], i + 0.2, f" {100 * r['gflops'] / r['matmul_gflops']:.0f}%", va="center",
                fontsize="x-small")
    ax.set_yticks(y, [f"{r['algorithm']} {_count(r['n_samples'])} · {r['backend']}" for r in rows], fontsize="small")
    ax.set_xlabel("GFLOP/s")
    ax.set_xscale("log")
    fig.legend(fontsize="small", loc="outside lower center", ncols=2)
    ax.grid(alpha=0.3, axis="x")
    ax.set_title(title or "Achieved GFLOP/s against a plain matmul")
    return fig
