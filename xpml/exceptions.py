"""Exceptions and warnings that xpml raises, named as in scikit-learn.

Where scikit-learn is imported, what xpml raises or warns with is also scikit-learn's class of the same
name (`interop`), so `except sklearn.exceptions.NotFittedError` and a filter on scikit-learn's
ConvergenceWarning catch xpml's as they catch scikit-learn's. Every xpml warning goes through
`xpml.utils._warnings.warn`, which makes that swap; xpml never imports scikit-learn for it.
"""

__all__ = ["ConvergenceWarning", "DataConversionWarning", "FitFailedWarning", "LinAlgWarning", "NotFittedError",
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


class LinAlgWarning(RuntimeWarning):
    """A linear system was singular, and a least-squares solution stands in for its solution."""


_interop_classes: dict = {}


def interop(cls: type) -> type:
    """`cls`, or, where scikit-learn is already imported, a subclass of it and of scikit-learn's class of the
    same name, so that scikit-learn's tools (and its estimator checks) catch or record it as their own.

    xpml does not import scikit-learn to make one: the subclass exists only in a program that has.
    """
    import sys

    sklearn_exceptions = sys.modules.get("sklearn.exceptions")
    if sklearn_exceptions is None:
        return cls
    if not hasattr(sklearn_exceptions, cls.__name__):
        return cls
    if cls.__name__ not in _interop_classes:
        _interop_classes[cls.__name__] = type(
            cls.__name__, (cls, getattr(sklearn_exceptions, cls.__name__)),
            {"__module__": __name__, "__doc__": cls.__doc__},
        )
    return _interop_classes[cls.__name__]


def not_fitted_error(message: str) -> NotFittedError:
    """A NotFittedError to raise; where scikit-learn is already imported, also one of scikit-learn's."""
    return interop(NotFittedError)(message)


def data_conversion_warning() -> type:
    """The DataConversionWarning class to warn with; where scikit-learn is imported, also scikit-learn's."""
    return interop(DataConversionWarning)
