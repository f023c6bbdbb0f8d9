"""make_column_transformer: a ColumnTransformer whose parts are named after their transformers."""

from __future__ import annotations

from typing import Any

from ..utils._metaestimators import name_estimators
from ._column_transformer import ColumnTransformer

__all__ = ["make_column_transformer"]


def make_column_transformer(*transformers: tuple, remainder: Any = "drop", sparse_threshold: float = 0.3,
                            n_jobs: int | None = None, verbose: bool = False,
                            verbose_feature_names_out: Any = True) -> ColumnTransformer:
    """A ColumnTransformer of (transformer, columns) pairs, each named after its transformer's class in lower
    case ("standardscaler"), or "drop" and "passthrough"; a name that repeats gets a number
    ("standardscaler-1", "standardscaler-2"). The other parameters are ColumnTransformer's.

    >>> from xpml.compose import make_column_transformer
    >>> from xpml.preprocessing import StandardScaler
    >>> ct = make_column_transformer((StandardScaler(), [0]), ("passthrough", [1]))
    >>> [name for name, _, _ in ct.transformers]
    ['standardscaler', 'passthrough']
    """
    for pair in transformers:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"Each transformer of make_column_transformer should be a (transformer, columns) tuple; "
                            f"got {pair!r}.")
    named = name_estimators([trans for trans, _ in transformers])
    parts = [(name, trans, columns) for (name, trans), (_, columns) in zip(named, transformers)]
    return ColumnTransformer(parts, remainder=remainder, sparse_threshold=sparse_threshold, n_jobs=n_jobs,
                             verbose=verbose, verbose_feature_names_out=verbose_feature_names_out)
