"""xpml's benchmark: each algorithm timed on every backend and against scikit-learn, in one run.

    python -m xpml bench --quick                      # small sizes, the whole run in seconds
    python -m xpml bench                              # the "full" sizes, made for a CPU
    python -m xpml bench --sizes large --backends cupy torch:cuda numpy   # sized for a GPU

Each module of `workloads/` describes one algorithm (`Workload`): its data, made on the host from a
seed, how to run it with xpml on a backend, and scikit-learn's counterpart. `run` warms each one up,
times the median of the repeats (a GPU is synchronized before the clock stops), and writes
results.json, results.md (with the machine and the versions of every library) and the plots.
"""

from ._harness import Workload, measure
from ._run import environment, main, markdown_table, run
from .workloads import all_workloads

__all__ = ["Workload", "all_workloads", "environment", "main", "markdown_table", "measure", "run"]
