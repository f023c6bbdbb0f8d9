"""Exceptions and warnings that xpml raises, named as in scikit-learn."""

__all__ = ["ConvergenceWarning", "FitFailedWarning", "NotFittedError", "UndefinedMetricWarning"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used (predict, transform, score, ...) before `fit`."""


class ConvergenceWarning(UserWarning):
    """An iterative fit reached `max_iter` before meeting its tolerance."""


class UndefinedMetricWarning(UserWarning):
    """A metric is undefined for the data given (a 0/0), and a stated value stands in for it."""


class FitFailedWarning(RuntimeWarning):
    """A fit failed during cross-validation or a search, and its score was set to `error_score`."""
