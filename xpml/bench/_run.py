"""Run the workloads on several backends and scikit-learn, in one process, and write the results.

Writes, in the output folder: results.json (the environment, and one row per algorithm, backend and
size: the median seconds and the score), results.md (the machine, the versions, and a table with each
row's speed-up over xpml on numpy and over scikit-learn) and the plots (speedup.png and roofline.png
with matplotlib; speedup.svg without it).

Sizes come in three tiers: "quick" (the whole run in seconds, to see that everything works: one run of
each, without the warm-up run, so its times include first-call costs such as compiling), "full" (sized for
a CPU) and "large" (sized for a GPU: each fit keeps it busy for a tenth of a second or more).
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from .._backend import all_targets, device_spec, hardware, host_cpu, make_backend
from ._harness import matmul_gflops, measure
from ._svg import speedup_svg
from .workloads import all_workloads

TIERS = ("quick", "full", "large")
# The libraries whose versions a report names (those installed).
LIBRARIES = ("xpml", "numpy", "array-api-compat", "array-api-extra", "scikit-learn", "scipy", "torch", "jax",
             "jaxlib", "cupy-cuda12x", "cupy-cuda13x", "cupy", "array-api-strict", "matplotlib", "dask", "lightgbm",
             "xgboost", "xgboost-cpu")


def environment(backends: list) -> dict:
    """Where a run happened: the host CPU, each backend's device and hardware, and the libraries' versions."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    if "xpml" not in versions:  # run from a source checkout that is not installed
        from .. import __version__

        versions["xpml"] = __version__
    return {
        "cpu": host_cpu(),
        "devices": {f"{b.name}:{device_spec(b)}": hardware(b) for b in backends},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "threads": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
                    if k in os.environ},
    }


class _Progress:
    """One line per measurement on stderr: which workload runs, on what, and how many remain."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.done, self.quiet, self.start = total, 0, quiet, time.perf_counter()

    def __call__(self, message: str) -> None:
        self.done += 1
        if not self.quiet:
            elapsed = time.perf_counter() - self.start
            print(f"[{self.done:>3}/{self.total}, {elapsed:5.1f} s] {message}", file=sys.stderr, flush=True)


def run(backends: list[str], algorithms: list[str] | None = None, sizes: str = "full", repeats: int = 3,
        out_dir: str | os.PathLike = "bench-out", with_sklearn: bool = True, quiet: bool = False) -> list[dict]:
    """Time each workload of `algorithms` (None: all) at the `sizes` tier on each backend and on
    scikit-learn; write the results to `out_dir` and return the rows."""
    workloads = all_workloads()
    unknown = set(algorithms or []) - set(workloads)
    if unknown:
        raise ValueError(f"algorithms={sorted(unknown)} are unknown; expected some of {sorted(workloads)}.")
    if sizes not in TIERS:
        raise ValueError(f"sizes={sizes!r} is not a tier; expected one of {TIERS}.")
    resolved = [make_backend(spec) for spec in backends]
    sklearn = with_sklearn and importlib.util.find_spec("sklearn") is not None
    chosen = [workloads[name] for name in algorithms or workloads if workloads[name].sizes.get(sizes)]
    missing = {w.name: [m for m in w.needs if importlib.util.find_spec(m) is None] for w in chosen}
    missing = {name: libs for name, libs in missing.items() if libs}
    needed = ", ".join(sorted({m for libs in missing.values() for m in libs}))
    if missing and algorithms:
        raise ValueError(f"algorithms {sorted(missing)} need {needed}, which is not installed; pip install it, "
                         f"or leave those algorithms out.")
    if missing and not quiet:
        print(f"left out: {', '.join(sorted(missing))} (they need {needed}, which is not installed)", file=sys.stderr)
    chosen = [w for w in chosen if w.name not in missing]
    progress = _Progress(sum(len(w.sizes[sizes]) * (len(resolved) + (sklearn and w.run_sklearn is not None)
                                                    + len(_peers(w, sklearn))) for w in chosen), quiet)
    rows, env, out = [], environment(resolved), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for work in chosen:
        for n, p in work.sizes[sizes]:
            data = work.make_data(n, p, np.random.default_rng(0))
            targets = [(b.name, b, lambda b=b: work.run_xpml(b, *data)) for b in resolved]
            if sklearn and work.run_sklearn is not None:
                targets.append(("sklearn", None, lambda: work.run_sklearn(*data)))
            targets += [(peer, None, lambda run=run: run(*data)) for peer, run in _peers(work, sklearn).items()]
            for label, backend, build in targets:
                device = "cpu" if backend is None else str(device_spec(backend))
                progress(f"{work.name} {n:,} × {p} {work.dtype} on {label} ({device})")
                seconds, score = measure(build(), backend, repeats, warm_up=sizes != "quick")
                row = dict(algorithm=work.name, backend=label, device=device, dtype=work.dtype, n_samples=n,
                           n_features=p, seconds=seconds, repeats=repeats, score=score,
                           gflops=(work.flops(n, p) / seconds / 1e9) if work.flops else None, matmul_gflops=None)
                if work.gemm is not None and work.flops is not None:
                    row["matmul_gflops"] = matmul_gflops(backend, work.gemm(n, p), work.dtype, repeats)
                rows.append(row)
                _write(rows, env, sizes, out)  # after every measurement: a run cut short keeps what it measured
    _figures(rows, out, env["cpu"])
    return rows


def _peers(work, with_peers: bool) -> dict:
    """The other libraries a workload times beside scikit-learn (LightGBM, XGBoost, ...: its `extra["peers"]`,
    name -> run(*data)), those that are installed; none when scikit-learn is left out."""
    peers = work.extra.get("peers", {}) if with_peers else {}
    return {name: run for name, run in peers.items() if importlib.util.find_spec(name) is not None}


def _write(rows: list[dict], env: dict, sizes: str, out: Path) -> None:
    (out / "results.json").write_text(json.dumps({"environment": env, "sizes": sizes, "rows": rows}, indent=1))
    (out / "results.md").write_text(report(rows, env, sizes))


def _figures(rows: list[dict], out: Path, machine: str) -> list[str]:
    """speedup.png and roofline.png (where a workload has a matmul reference) with matplotlib, else
    speedup.svg. Returns the names written (none for a run that measured nothing)."""
    if not rows:
        return []
    if importlib.util.find_spec("matplotlib") is None:
        (out / "speedup.svg").write_text(speedup_svg(rows, title=f"xpml speed-ups ({machine})"))
        return ["speedup.svg"]
    from .. import plot

    plot.speedup(rows, title=f"xpml speed-ups ({machine})").savefig(out / "speedup.png", dpi=110)
    written = ["speedup.png"]
    if any(r.get("matmul_gflops") for r in rows):
        plot.roofline(rows, title=f"Achieved GFLOP/s against a plain matmul ({machine})").savefig(
            out / "roofline.png", dpi=110)
        written.append("roofline.png")
    return written


def report(rows: list[dict], env: dict, sizes: str = "full") -> str:
    """results.md: the machine, the devices, the versions, how the times were taken, then the table."""
    devices = "; ".join(f"{spec}: {name}" for spec, name in env["devices"].items())
    versions = ", ".join(f"{name} {version}" for name, version in env["versions"].items())
    threads = ", ".join(f"{k}={v}" for k, v in env["threads"].items()) or "libraries' defaults"
    timing = ("one run of each, without a warm-up (quick tier: first-call costs, such as compiling, included)"
              if sizes == "quick" else "the median of the timed runs, after a warm-up run")
    head = (f"- CPU: {env['cpu']} (threads: {threads})\n- devices: {devices}\n- Python {env['python']} on "
            f"{env['platform']}\n- versions: {versions}\n- sizes: {sizes}; times: {timing}\n\n")
    return head + markdown_table(rows)


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

    parser = argparse.ArgumentParser(prog="python -m xpml bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=None,
                        help="backends to compare, e.g. numpy torch jax cupy torch:cuda (default: all available)")
    parser.add_argument("--algorithms", nargs="+", default=None, help=f"default: all of {sorted(all_workloads())}")
    parser.add_argument("--sizes", choices=TIERS, default="full", help="the size tier (default: full)")
    parser.add_argument("--quick", action="store_true", help="the quick tier with one repeat: seconds in all")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs after the warm-up (default: 3; "
                        "1 for --quick)")
    parser.add_argument("--no-sklearn", action="store_true", help="time xpml's backends only")
    parser.add_argument("--out", default="bench-out", help="the folder for the results (default: bench-out)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    sizes = "quick" if args.quick else args.sizes
    repeats = args.repeats or (1 if args.quick else 3)
    if repeats < 1:
        parser.error(f"--repeats should be at least 1; got {repeats}.")
    # array_api_strict is the standard's reference implementation, for correctness: not timed by default
    backends = args.backends or [b for b in all_targets() if b != "array_api_strict"]
    try:
        rows = run(backends, args.algorithms, sizes, repeats, args.out, with_sklearn=not args.no_sklearn)
    except ValueError as exc:  # a backend or algorithm that is not there: the message says what is
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(markdown_table(rows))
    print(f"machine: {host_cpu()}")
    written = sorted(p.name for p in Path(args.out).iterdir())
    print(f"wrote {', '.join(str(Path(args.out) / name) for name in written)}")
    return 0
