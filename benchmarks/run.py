"""Run the workloads on several backends and scikit-learn, in one process, and write the results.

Writes DIR/results.json (one row per algorithm, backend and size: the median seconds and the score)
and DIR/results.md (a table with each row's speed-up over xpml on numpy and over scikit-learn).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.harness import matmul_gflops, measure
from benchmarks.workloads import all_workloads
from xpml._backend import device_spec, make_backend


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(backends: list[str], algorithms: list[str] | None = None, sizes: str = "full",
        repeats: int = 3, out_dir: str | os.PathLike = "bench-out", with_sklearn: bool = True) -> list[dict]:
    workloads = all_workloads()
    unknown = set(algorithms or []) - set(workloads)
    if unknown:
        raise ValueError(f"algorithms={sorted(unknown)} are unknown; expected some of {sorted(workloads)}.")
    resolved = [make_backend(spec) for spec in backends]
    rows = []
    for name in algorithms or list(workloads):
        work = workloads[name]
        for n, p in work.sizes[sizes]:
            data = work.make_data(n, p, np.random.default_rng(0))
            targets = [(b, lambda b=b: work.run_xpml(b, *data)) for b in resolved]
            if with_sklearn and work.run_sklearn is not None and _has_sklearn():
                targets.append((None, lambda: work.run_sklearn(*data)))
            for backend, build in targets:
                label = "sklearn" if backend is None else backend.name
                _progress(f"{name} {n}x{p} {work.dtype} on {label} ...")
                seconds, score = measure(build(), backend, repeats)
                row = dict(
                    algorithm=name, backend=label,
                    device="cpu" if backend is None else str(device_spec(backend)),
                    dtype=work.dtype, n_samples=n, n_features=p, seconds=seconds, repeats=repeats, score=score,
                    gflops=(work.flops(n, p) / seconds / 1e9) if work.flops else None,
                    matmul_gflops=None,
                )
                if work.gemm is not None and work.flops is not None:
                    row["matmul_gflops"] = matmul_gflops(backend, work.gemm(n, p), work.dtype, repeats)
                rows.append(row)
                roof = f", {row['gflops']:.1f} GFLOP/s ({100 * row['gflops'] / row['matmul_gflops']:.0f}% of a plain " \
                       f"matmul)" if row["matmul_gflops"] else ""
                _progress(f"  median {seconds:.4f} s over {repeats} runs, score {score:.6g}{roof}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(rows, indent=1))
    (out / "results.md").write_text(markdown_table(rows))
    _figures(rows, out)
    return rows


def _figures(rows: list[dict], out: Path) -> None:
    """speedup.png (always) and roofline.png (where some workload has a matmul reference)."""
    from xpml import plot

    title = f"xpml speed-ups ({_machine()})"
    plot.speedup(rows, title=title).savefig(out / "speedup.png", dpi=110)
    if any(r.get("matmul_gflops") for r in rows):
        plot.roofline(rows, title=f"Achieved GFLOP/s against a plain matmul ({_machine()})").savefig(
            out / "roofline.png", dpi=110)


def _machine() -> str:
    """A short description of where the run happened: the CPU model and core count, or the GPU."""
    import platform

    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            name = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{name}, {os.cpu_count()} cores"


def _has_sklearn() -> bool:
    import importlib.util

    return importlib.util.find_spec("sklearn") is not None


def markdown_table(rows: list[dict]) -> str:
    """A table of the rows, each with its speed-up over xpml on numpy and over scikit-learn (>1: faster)."""
    lines = [
        "| algorithm | n_samples × n_features | dtype | backend | device | median s | vs numpy | vs sklearn | GFLOP/s "
        "| % of matmul | score |",
        "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        same = [o for o in rows if (o["algorithm"], o["n_samples"], o["n_features"]) ==
                (r["algorithm"], r["n_samples"], r["n_features"])]
        ref = {o["backend"]: o["seconds"] for o in same}
        vs_np = f"{ref['numpy'] / r['seconds']:.2f}×" if "numpy" in ref else "-"
        vs_sk = f"{ref['sklearn'] / r['seconds']:.2f}×" if "sklearn" in ref else "-"
        gflops = f"{r['gflops']:.1f}" if r.get("gflops") is not None else "-"
        roof = f"{100 * r['gflops'] / r['matmul_gflops']:.0f}%" if r.get("matmul_gflops") else "-"
        lines.append(f"| {r['algorithm']} | {r['n_samples']:,} × {r['n_features']} | {r['dtype']} | {r['backend']} | "
                     f"{r['device']} | {r['seconds']:.4f} | {vs_np} | {vs_sk} | {gflops} | {roof} | {r['score']:.6g} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    from xpml._backend import all_targets

    parser = argparse.ArgumentParser(prog="python -m xpml bench", description=__doc__)
    parser.add_argument("--backends", nargs="+", default=None, help="backends to compare (default: all available)")
    parser.add_argument("--algorithms", nargs="+", default=None, help=f"default: all of {sorted(all_workloads())}")
    parser.add_argument("--sizes", choices=["quick", "full"], default="full")
    parser.add_argument("--quick", action="store_true", help="small sizes and one repeat: a minute on 2 cores")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default="bench-out")
    args = parser.parse_args(argv)
    sizes, repeats = ("quick", 1) if args.quick else (args.sizes, args.repeats)
    # array_api_strict is the standard's reference implementation, for correctness: not timed by default
    backends = args.backends or [b for b in all_targets() if b != "array_api_strict"]
    rows = run(backends, args.algorithms, sizes, repeats, args.out)
    print(markdown_table(rows))
    print(f"machine: {_machine()}")
    print(f"wrote {args.out}/results.json, results.md, speedup.png" + (", roofline.png" if any(
        r.get("matmul_gflops") for r in rows) else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
