"""Exceptions and warnings that xpml raises, named as in scikit-learn."""

__all__ = ["ConvergenceWarning", "DataConversionWarning", "FitFailedWarning", "NotFittedError",
           "UndefinedMetricWarning"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used (predict, transform, score, ...) before `fit`."""


class ConvergenceWarning(UserWarning):
    """An iterative fit reached `max_iter` before meeting its tolerance."""


class UndefinedMetricWarning(UserWarning):
    """A metric is undefined for the data given (a 0/0), and a stated value stands in for it."""


class FitFailedWarning(RuntimeWarning):
    """A fit failed during cross-validation or a search, and its score was set to `error_score`."""


class DataConversionWarning(UserWarning):
    """Input was converted in a way the user may not expect (a column-vector y made 1-D, say)."""


_interop_classes: dict = {}


def not_fitted_error(message: str) -> NotFittedError:
    """A NotFittedError to raise; where scikit-learn is already imported, also one of scikit-learn's.

    scikit-learn's tools (and its estimator checks) catch their own NotFittedError. xpml does not import
    scikit-learn to make one, but when the user's program already has, the error derives from both.
    """
    import sys

    sklearn_exceptions = sys.modules.get("sklearn.exceptions")
    if sklearn_exceptions is None:
        return NotFittedError(message)
    if "sklearn" not in _interop_classes:
        _interop_classes["sklearn"] = type("NotFittedError", (NotFittedError, sklearn_exceptions.NotFittedError),
                                           {"__module__": __name__, "__doc__": NotFittedError.__doc__})
    return _interop_classes["sklearn"](message)
