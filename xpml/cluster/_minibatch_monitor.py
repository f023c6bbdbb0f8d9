"""The stopping rules of mini-batch k-means, fed one step at a time: centre moves and a smoothed batch inertia.

The smoothed batch inertia is an exponentially weighted average whose newest batch weighs
min(1, 2 · batch_size / (n_samples + 1)); the fit stops once it has not improved for
`max_no_improvement` steps, or once a step moves the centres by at most `tol`.
"""

from __future__ import annotations

__all__ = ["Monitor"]


class Monitor:
    """The stopping rules, fed one step at a time: centre moves and a smoothed batch inertia."""

    def __init__(self, model, n_samples, tol):
        self.model, self.tol = model, tol
        self.alpha = min(1.0, 2.0 * model._batch / (n_samples + 1))  # weight of the newest batch in the average
        self.ewa = self.ewa_min = None
        self.no_improvement = 0

    def converged(self, step, n_steps, batch_inertia, moved) -> bool:
        model = self.model
        if step == 1:  # the first batch measures the seeding, not a step
            return False
        self.ewa = batch_inertia if self.ewa is None else self.ewa * (1 - self.alpha) + batch_inertia * self.alpha
        if model.verbose:
            print(f"Mini-batch step {step}/{n_steps}: mean batch inertia {batch_inertia:.6g}, ewa {self.ewa:.6g}")
        if self.tol > 0 and moved <= self.tol:
            return True
        if self.ewa_min is None or self.ewa < self.ewa_min:
            self.no_improvement, self.ewa_min = 0, self.ewa
        else:
            self.no_improvement += 1
        return model.max_no_improvement is not None and self.no_improvement >= model.max_no_improvement
