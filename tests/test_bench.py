"""The benchmark runner writes what `python -m xpml bench` promises (no timing is asserted here)."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.harness import matmul_gflops  # noqa: E402
from benchmarks.run import run  # noqa: E402
from benchmarks.workloads import all_workloads  # noqa: E402

FIELDS = {"algorithm", "backend", "device", "dtype", "n_samples", "n_features", "seconds", "repeats", "score"}


def test_every_algorithm_of_the_issue_has_a_workload():
    names = set(all_workloads())
    assert {"linear_regression", "logistic_regression", "kmeans", "pca", "mlp"} <= names


def test_runner_writes_results_table_and_figures(tmp_path):
    rows = run(["numpy", "torch"], ["linear_regression"], sizes="quick", repeats=1, out_dir=tmp_path)
    assert {r["backend"] for r in rows} == {"numpy", "torch", "sklearn"}
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved == rows
    for row in saved:
        assert FIELDS <= set(row)
        assert row["seconds"] > 0 and row["n_samples"] == 10_000
        assert row["matmul_gflops"] > 0  # the roofline's reference, measured in the same run
    # every contender solved the same least-squares problem: the same R²
    assert max(r["score"] for r in rows) - min(r["score"] for r in rows) < 1e-10
    table = (tmp_path / "results.md").read_text()
    assert table.count("| linear_regression |") == 3 and "vs sklearn" in table
    for figure in ("speedup.png", "roofline.png"):
        assert (tmp_path / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_matmul_reference_counts_flops():
    assert matmul_gflops(None, (64, 32, 16), "float64", repeats=1) > 0
