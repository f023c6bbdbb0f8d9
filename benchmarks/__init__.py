"""The backend comparison: workloads, a timing harness, and the runner behind `python -m xpml bench`."""
