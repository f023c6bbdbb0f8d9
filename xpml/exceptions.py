"""Exceptions and warnings that xpml raises, named as in scikit-learn."""

__all__ = ["ConvergenceWarning", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used (predict, transform, score, ...) before `fit`."""


class ConvergenceWarning(UserWarning):
    """An iterative fit reached `max_iter` before meeting its tolerance."""
