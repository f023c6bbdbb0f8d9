"""Exceptions and warnings that xpml raises, named as in scikit-learn."""

__all__ = ["ConvergenceWarning", "DataConversionWarning", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used (predict, transform, score, ...) before `fit`."""


class ConvergenceWarning(UserWarning):
    """An iterative fit reached `max_iter` before meeting its tolerance."""


class DataConversionWarning(UserWarning):
    """Input was converted in a way the user may not expect (a column-vector y made 1-D, say)."""
