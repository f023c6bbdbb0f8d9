"""`set_output`: transformers that return DataFrames, named by their `get_feature_names_out`.

scikit-learn's transformers take `set_output(transform="pandas" | "polars" | "default")`, and so do
xpml's. The mixin wraps a subclass's own `transform` and `fit_transform` when the class is created;
the wrapper returns the result unchanged unless the estimator's output is set to a DataFrame library
(or, where it was never set and scikit-learn is imported, scikit-learn's own `transform_output`).
The choice is kept in `_sklearn_output_config`, the attribute scikit-learn's `clone` carries over.
"""

from __future__ import annotations

import functools
import inspect
import sys
from typing import Any

from ._available_if import available_if
from ._frames import FRAME_LIBRARIES, wrap_output

__all__ = ["SetOutputMixin"]


def _output_container(estimator: Any) -> str:
    """"default", "pandas" or "polars": what `transform` returns, set by `set_output`; where it was not
    set and scikit-learn is imported, scikit-learn's `set_config(transform_output=...)` decides."""
    config = vars(estimator).get("_sklearn_output_config", {})
    if "transform" in config:
        return config["transform"]
    sklearn = sys.modules.get("sklearn")
    chosen = sklearn.get_config().get("transform_output", "default") if hasattr(sklearn, "get_config") else "default"
    return chosen if chosen in FRAME_LIBRARIES else "default"


def _wrapped_output(method):
    """`method` (transform or fit_transform), its result returned as a DataFrame where set_output asks."""

    @functools.wraps(method)
    def wrapped(self, X, *args, **kwargs):
        result = method(self, X, *args, **kwargs)
        library = _output_container(self)
        if library == "default" or not hasattr(self, "get_feature_names_out"):
            return result
        return wrap_output(result, self.get_feature_names_out(), library, like=X)

    wrapped._wraps_output = True
    return wrapped


class SetOutputMixin:
    """`set_output(transform=...)`: transformers return DataFrames with the names of `get_feature_names_out`.

    A subclass's own `transform` and `fit_transform` are wrapped when the class is created; the wrapper
    returns the result unchanged unless the estimator's output is set to "pandas" or "polars".
    """

    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        for name in ("transform", "fit_transform"):
            method = vars(cls).get(name)
            if inspect.isfunction(method) and not getattr(method, "_wraps_output", False):
                setattr(cls, name, _wrapped_output(method))

    @available_if(lambda self: hasattr(self, "get_feature_names_out"))
    def set_output(self, *, transform: str | None = None) -> Any:
        """Choose what `transform` and `fit_transform` return.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, optional
            "default": arrays, following the input (section 2 of the API); "pandas" or "polars": a DataFrame
            whose columns are named by `get_feature_names_out` (pandas keeps a pandas input's index).
            None leaves the choice as it is.

        Returns
        -------
        self
        """
        if transform is None:
            return self
        if transform not in ("default",) + FRAME_LIBRARIES:
            raise ValueError(f"transform={transform!r} should be one of 'default', 'pandas', 'polars' or None.")
        self._sklearn_output_config = {**vars(self).get("_sklearn_output_config", {}), "transform": transform}
        return self
